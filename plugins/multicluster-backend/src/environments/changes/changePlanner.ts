/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type CapabilityChange,
  type CapabilityValue,
  type ComponentChangePlan,
  type ComponentKind,
  type InputChange,
  capabilityContracts,
  secretCapabilities,
} from '@archipelago/multicluster-common';
import type { ComponentDriverUpdates } from '@archipelago/multicluster-node';
import { literalInputs } from '../catalog';
import { findReferences } from '../references';
import { canonical } from '../serialize';
import { type PlannedComponent, topologicalStages } from '../stagePlanner';

/** A component as it is now, for planning. */
export interface CurrentComponent {
  key: string;
  kind: ComponentKind;
  template: string;
  driver: string;
  /** Inputs as recorded (references unresolved). */
  inputs: Record<string, unknown>;
  dependsOn: string[];
  /** As served: secret capabilities are references. */
  capabilities: Record<string, CapabilityValue>;
}

/** What the planner needs to know of a driver. */
export interface DriverTraits {
  /** True when the driver implements `update`. */
  canUpdate: boolean;
  updates?: ComponentDriverUpdates;
  validateUpdate?(change: {
    previous: Record<string, unknown>;
    next: Record<string, unknown>;
    changed: string[];
  }): void;
}

/** The outcome: one entry per component, the apply order, and what makes the change impossible. */
export interface ComponentChangesPlan {
  components: ComponentChangePlan[];
  /** Changed components of the target by stage, in dependency order. */
  stages: string[][];
  /** `inputs.<key>.<input>: …` for each change a driver refuses; empty when the plan can be applied. */
  problems: string[];
}

const same = (a: unknown, b: unknown) =>
  JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

const shown = (v: unknown) => (v === undefined ? 'unset' : JSON.stringify(v));

const capabilityNames = (kind: ComponentKind) =>
  Object.keys(capabilityContracts[kind].shape);

/** The capabilities a component has, all marked as known only after apply. */
function allCapabilities(
  kind: ComponentKind,
  from?: Record<string, CapabilityValue>,
): CapabilityChange[] {
  return capabilityNames(kind).map(name => {
    const secret = secretCapabilities[kind].includes(name);
    return {
      name,
      secret,
      ...(from && !secret && from[name] !== undefined
        ? { from: from[name] }
        : {}),
      knownAfterApply: true,
    };
  });
}

/**
 * Plans a change from the current components to a target plan, per
 * component: unchanged, created, updated in place, replaced, recreated (the
 * keys in `recreate`, for heal) or deleted, with the inputs and capabilities
 * that change. Drivers say which inputs they change in place and which never
 * change; any other input change replaces the component. A capability that
 * may change makes the components whose inputs read it change too, in
 * dependency order. Pure: the table tests beside it are its specification.
 */
export function planComponentChanges(options: {
  current: CurrentComponent[];
  /** In dependency order. */
  target: PlannedComponent[];
  driver: (id: string) => DriverTraits;
  /** Components to create again (heal), with why. */
  recreate?: ReadonlyMap<string, string>;
}): ComponentChangesPlan {
  const current = new Map(options.current.map(c => [c.key, c]));
  const problems: string[] = [];
  const out: ComponentChangePlan[] = [];
  // Capabilities that may change, by component: a set of names.
  const changing = new Map<string, Set<string>>();

  for (const t of options.target) {
    const c = current.get(t.key);
    const traits = options.driver(t.driver);
    const base = {
      key: t.key,
      kind: t.kind,
      template: t.template,
      driver: t.driver,
    };
    if (!c) {
      changing.set(t.key, new Set(capabilityNames(t.kind)));
      out.push({
        ...base,
        action: 'create',
        inputs: Object.entries(literalInputs(t.inputs)).map(([name, to]) => ({
          name,
          to,
          how: 'replace' as const,
        })),
        capabilities: allCapabilities(t.kind),
        reasons: [`${t.key} is new in ${t.template}`],
      });
      continue;
    }
    const moved = {
      ...(c.template !== t.template ? { fromTemplate: c.template } : {}),
      ...(c.driver !== t.driver ? { fromDriver: c.driver } : {}),
    };
    const recreateWhy = options.recreate?.get(t.key);
    if (recreateWhy !== undefined) {
      changing.set(t.key, new Set(capabilityNames(t.kind)));
      out.push({
        ...base,
        ...moved,
        action: 'recreate',
        inputs: [],
        capabilities: allCapabilities(t.kind, c.capabilities),
        reasons: [recreateWhy],
      });
      continue;
    }

    // Inputs whose literal value changes, and inputs that read a capability that changes.
    const inputs: InputChange[] = [];
    const names = [
      ...new Set([...Object.keys(c.inputs), ...Object.keys(t.inputs)]),
    ].sort();
    const literalChanged: string[] = [];
    for (const name of names) {
      if (!same(c.inputs[name], t.inputs[name])) {
        literalChanged.push(name);
        inputs.push({
          name,
          ...(c.inputs[name] !== undefined ? { from: c.inputs[name] } : {}),
          ...(t.inputs[name] !== undefined ? { to: t.inputs[name] } : {}),
          how: 'replace',
        });
        continue;
      }
      const reads = safeReferences(t.inputs[name]);
      const via = reads.find(r => changing.get(r.component)?.has(r.capability));
      if (via) {
        inputs.push({
          name,
          from: t.inputs[name],
          how: 'dependency',
        });
      }
    }

    const reasons: string[] = [];
    let replace = false;
    if (c.driver !== t.driver || c.kind !== t.kind) {
      replace = true;
      reasons.push(
        `driver changes from ${c.driver} to ${t.driver}: a new ${t.kind} replaces the old one`,
      );
    }
    const inPlace = traits.canUpdate ? traits.updates?.inPlace ?? {} : {};
    const immutable = new Set(traits.updates?.immutable ?? []);
    const capsChanging = new Set<string>();
    if (!replace) {
      for (const change of inputs) {
        const where = `inputs.${t.key}.${change.name}`;
        if (immutable.has(change.name)) {
          problems.push(
            `${where}: ${t.driver} cannot change ${change.name} of an existing ${t.kind}` +
              `${
                change.how === 'dependency'
                  ? ' (it reads a capability that this change replaces)'
                  : ` (from ${shown(change.from)} to ${shown(change.to)})`
              }; destroy and create the environment again, or promote it to a new one`,
          );
          continue;
        }
        if (inPlace[change.name]) {
          if (change.how !== 'dependency') change.how = 'in-place';
          for (const cap of inPlace[change.name]) capsChanging.add(cap);
          reasons.push(
            change.how === 'dependency'
              ? `${change.name} reads a capability that changes; ${t.driver} updates it in place`
              : `${t.driver} changes ${change.name} in place`,
          );
        } else {
          replace = true;
          reasons.push(
            `${t.driver} cannot change ${change.name} in place${
              change.how === 'dependency'
                ? ' (it reads a capability that changes)'
                : ''
            }`,
          );
        }
      }
      if (literalChanged.length && traits.validateUpdate) {
        try {
          traits.validateUpdate({
            previous: literalInputs(c.inputs),
            next: literalInputs(t.inputs),
            changed: literalChanged,
          });
        } catch (error) {
          problems.push(`inputs.${t.key}: ${(error as Error).message}`);
        }
      }
    }
    if (replace) {
      for (const change of inputs)
        change.how = change.how === 'dependency' ? 'dependency' : 'replace';
      changing.set(t.key, new Set(capabilityNames(t.kind)));
      out.push({
        ...base,
        ...moved,
        action: 'replace',
        inputs,
        capabilities: allCapabilities(t.kind, c.capabilities),
        reasons,
      });
      continue;
    }
    if (inputs.length === 0 && !moved.fromTemplate) {
      out.push({
        ...base,
        action: 'unchanged',
        inputs: [],
        capabilities: [],
        reasons: [],
      });
      continue;
    }
    if (inputs.length === 0) {
      reasons.push(
        `template changes from ${c.template} to ${t.template}; its inputs stay the same`,
      );
    }
    changing.set(t.key, capsChanging);
    out.push({
      ...base,
      ...moved,
      action: 'update',
      inputs,
      capabilities: [...capsChanging].sort().map(name => {
        const secret = secretCapabilities[t.kind].includes(name);
        return {
          name,
          secret,
          ...(!secret && c.capabilities[name] !== undefined
            ? { from: c.capabilities[name] }
            : {}),
          knownAfterApply: true,
        };
      }),
      reasons: [...new Set(reasons)],
    });
  }

  const targetKeys = new Set(options.target.map(t => t.key));
  for (const c of options.current) {
    if (targetKeys.has(c.key)) continue;
    out.push({
      key: c.key,
      kind: c.kind,
      template: c.template,
      driver: c.driver,
      action: 'delete',
      inputs: [],
      capabilities: allCapabilities(c.kind, c.capabilities).map(cap => ({
        ...cap,
        knownAfterApply: false,
      })),
      reasons: [`the target has no component ${c.key}`],
    });
  }

  const changedKeys = new Set(
    out
      .filter(c => c.action !== 'unchanged' && c.action !== 'delete')
      .map(c => c.key),
  );
  const stages = topologicalStages(
    options.target.map(t => ({ key: t.key, dependsOn: t.dependsOn })),
  )
    .map(stage => stage.filter(k => changedKeys.has(k)))
    .filter(stage => stage.length > 0);
  return { components: out, stages, problems };
}

function safeReferences(
  value: unknown,
): Array<{ component: string; capability: string }> {
  try {
    return findReferences(value).flatMap(r =>
      r.reference.type === 'component'
        ? [
            {
              component: r.reference.component,
              capability: r.reference.capability,
            },
          ]
        : [],
    );
  } catch {
    return [];
  }
}
