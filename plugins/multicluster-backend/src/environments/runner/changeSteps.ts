/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  secretCapabilities,
  validateCapabilities,
} from '@archipelago/multicluster-common';
import { redactText } from '../../util/redact';
import type { ComponentChange, ComponentSnapshot } from '../changes/types';
import { resolveReferences } from '../references';
import {
  type CapabilitiesByComponent,
  secretValues,
} from '../secrets/EnvironmentSecrets';
import { canonical, resourceNameFor } from '../serialize';
import type { ComponentRecord, EnvironmentRecord } from '../store/records';
import { type EngineDeps, driverContext, raceSignal, seconds } from './context';

// One component's step of a change, forward (apply) and backward (revert).
// Each ends in one row update that records both the outcome and the step, so
// an interrupted step is simply run again: creates are idempotent on the
// resource name, updates on their inputs.

const same = (a: unknown, b: unknown) =>
  JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** The environment fields `${{ environment.* }}` reads. */
const scopeOf = (env: {
  name: string;
  type: string;
  cloud: string;
  owner: string;
}) => ({
  name: env.name,
  type: env.type,
  cloud: env.cloud,
  owner: env.owner,
});

/** The snapshot a component had before the change, or its current record when it has none. */
export function previousOf(c: ComponentRecord): ComponentSnapshot {
  return (
    c.change?.previous ?? {
      kind: c.kind,
      template: c.template,
      driver: c.driver,
      inputs: c.inputs,
      dependsOn: c.dependsOn,
      position: c.position,
      generation: c.generation,
      resourceName: c.resourceName,
      capabilities: c.capabilities,
      state: c.state,
      status: c.status,
    }
  );
}

/** Capabilities components had before the change (secrets in clear), for reverting and comparing. */
export async function previousCapabilities(
  deps: EngineDeps,
  name: string,
  components: ComponentRecord[],
): Promise<CapabilitiesByComponent> {
  const out: CapabilitiesByComponent = {};
  for (const c of components) {
    const before = previousOf(c);
    if (c.change?.action === 'create') continue;
    out[c.key] = {
      ...before.capabilities,
      ...(await deps.secrets.openGeneration(name, c.key, before.generation)),
    };
  }
  return out;
}

function tryResolve(
  inputs: Record<string, unknown>,
  env: EnvironmentRecord,
  caps: CapabilitiesByComponent,
): Record<string, unknown> | undefined {
  try {
    return resolveReferences(inputs, {
      environment: scopeOf(env),
      components: caps,
    });
  } catch {
    return undefined;
  }
}

/** Validates a driver's outputs and seals its secrets under `generation`; returns the public capabilities. */
async function keepOutputs(
  deps: EngineDeps,
  name: string,
  c: ComponentRecord,
  kind: ComponentRecord['kind'],
  driverId: string,
  result: {
    capabilities: Record<string, unknown>;
    state?: Record<string, unknown>;
  },
  generation: number,
): Promise<Record<string, unknown>> {
  const capabilities = validateCapabilities(
    kind,
    result.capabilities,
  ) as Record<string, unknown>;
  const names = secretCapabilities[kind];
  const stateText = JSON.stringify(result.state ?? {});
  if (
    names.some(
      k => capabilities[k] && stateText.includes(String(capabilities[k])),
    )
  ) {
    throw new Error(
      `driver ${driverId} returned a secret in its state; refusing to store it`,
    );
  }
  for (const k of names) {
    await deps.secrets.seal(
      name,
      c.key,
      k,
      String(capabilities[k]),
      generation,
    );
  }
  return Object.fromEntries(
    Object.entries(capabilities).filter(([k]) => !names.includes(k)),
  );
}

const VERB: Record<ComponentChange['action'], string> = {
  create: 'Creating',
  update: 'Updating in place',
  replace: 'Creating the replacement of',
  recreate: 'Recreating',
  delete: 'Deleting',
};

/**
 * Applies one component's change. `env` carries the target's type (tags and
 * references see the environment as it will be).
 */
export async function applyStep(
  deps: EngineDeps,
  env: EnvironmentRecord,
  component: ComponentRecord,
  all: ComponentRecord[],
  signal: AbortSignal,
): Promise<void> {
  const name = env.name;
  const change = component.change!;
  const target = change.target!;
  const before = previousOf(component);
  const started = Date.now();
  const generation =
    change.action === 'create' ? component.generation : before.generation + 1;
  const resourceName =
    change.action === 'replace'
      ? resourceNameFor(
          deps.settings.resourcePrefix,
          name,
          component.key,
          generation,
        )
      : before.resourceName;
  const next =
    change.action === 'replace' ? { generation, resourceName } : change.next;
  await deps.store.updateComponent(name, component.key, {
    change: { ...change, step: 'applying', error: undefined, next },
    ...(change.action === 'create'
      ? { status: 'creating', startedAt: started }
      : {}),
  });
  await deps.events.record(
    name,
    'info',
    component.key,
    `${VERB[change.action]} ${component.key} (${target.driver}, template ${
      target.template
    })`,
  );
  const timeout = AbortSignal.timeout(
    deps.settings.componentTimeoutMinutes * 60_000,
  );
  const combined = AbortSignal.any([signal, timeout]);
  let known: string[] = [];
  try {
    const driver = deps.catalog.driver(target.driver);
    const dependencies = all.filter(c => target.dependsOn.includes(c.key));
    const depCaps = await deps.secrets.withSecrets(name, dependencies);
    known = secretValues(dependencies, depCaps);
    const inputs = resolveReferences(target.inputs, {
      environment: scopeOf(env),
      components: depCaps,
    });
    driver.validateInputs?.(inputs);
    const ctx = driverContext(
      deps,
      env,
      { ...component, resourceName },
      inputs,
      depCaps,
      combined,
    );
    let result;
    if (change.action === 'update') {
      const previousDeps = await previousCapabilities(deps, name, dependencies);
      const previousInputs =
        tryResolve(before.inputs, env, previousDeps) ?? before.inputs;
      const changedInputs = [
        ...new Set([...Object.keys(previousInputs), ...Object.keys(inputs)]),
      ].filter(k => !same(previousInputs[k], inputs[k]));
      if (changedInputs.length === 0 && before.driver === target.driver) {
        // A dependency kept the capability this component reads, or only the template was renamed.
        await deps.store.updateComponent(name, component.key, {
          template: target.template,
          inputs: target.inputs,
          dependsOn: target.dependsOn,
          position: target.position,
          change: { ...change, step: 'applied', next: undefined },
        });
        await deps.events.record(
          name,
          'info',
          component.key,
          `${component.key}: nothing to change on the resource`,
        );
        return;
      }
      if (!driver.update) {
        throw new Error(
          `driver ${driver.id} cannot change a ${target.kind} in place`,
        );
      }
      const current = (await deps.secrets.withSecrets(name, [component]))[
        component.key
      ];
      known.push(...secretValues([component], { [component.key]: current }));
      result = await raceSignal(
        driver.update({
          ...ctx,
          state: component.state,
          capabilities: current,
          previousInputs,
          changedInputs,
        }),
        combined,
      );
    } else {
      result = await raceSignal(driver.create(ctx), combined);
    }
    const capabilities = await keepOutputs(
      deps,
      name,
      component,
      target.kind,
      driver.id,
      result,
      generation,
    );
    await deps.store.updateComponent(name, component.key, {
      status: 'ready',
      kind: target.kind,
      template: target.template,
      driver: target.driver,
      inputs: target.inputs,
      dependsOn: target.dependsOn,
      position: target.position,
      generation,
      resourceName,
      capabilities,
      state: result.state,
      error: undefined,
      drift: undefined,
      driftDetails: undefined,
      finishedAt: Date.now(),
      change: { ...change, step: 'applied', error: undefined, next },
    });
    await deps.events.record(
      name,
      'info',
      component.key,
      `${component.key} ${
        change.action === 'update' ? 'updated' : 'ready'
      } in ${seconds(Date.now() - started)}`,
    );
  } catch (error) {
    if (signal.aborted) return;
    const message = timeout.aborted
      ? `timed out after ${deps.settings.componentTimeoutMinutes} minutes`
      : redactText(String((error as Error)?.message ?? error), [
          ...known,
          ...(await deps.secrets.knownValues(name)),
        ]);
    await deps.store.updateComponent(name, component.key, {
      ...(change.action === 'create' ? { status: 'failed' } : {}),
      change: { ...change, step: 'failed', error: message, next },
    });
    await deps.events.record(
      name,
      'error',
      component.key,
      `${component.key} failed: ${message}`,
    );
  }
}

/**
 * Undoes one component's change after a failure: deletes what the change
 * created, or updates the component back to its previous inputs. The
 * component row returns to its snapshot.
 */
export async function revertStep(
  deps: EngineDeps,
  env: EnvironmentRecord,
  component: ComponentRecord,
  all: ComponentRecord[],
  signal: AbortSignal,
): Promise<void> {
  const name = env.name;
  const change = component.change!;
  const before = previousOf(component);
  const started = Date.now();
  await deps.store.updateComponent(name, component.key, {
    change: { ...change, step: 'reverting' },
  });
  const timeout = AbortSignal.timeout(
    deps.settings.componentTimeoutMinutes * 60_000,
  );
  const combined = AbortSignal.any([signal, timeout]);
  const restore = {
    kind: before.kind,
    template: before.template,
    driver: before.driver,
    inputs: before.inputs,
    dependsOn: before.dependsOn,
    position: before.position,
    generation: before.generation,
    resourceName: before.resourceName,
    status: before.status,
    capabilities: before.capabilities,
    state: before.state,
  };
  try {
    const target = change.target;
    if (change.action === 'create' && target) {
      await deps.events.record(
        name,
        'info',
        component.key,
        `Reverting: deleting ${component.key}`,
      );
      const driver = deps.catalog.driver(target.driver);
      await raceSignal(
        driver.delete({
          ...driverContext(deps, env, component, target.inputs, {}, combined),
          state: component.state,
        }),
        combined,
      );
      await deps.secrets.delete(name, component.key);
      await deps.store.updateComponent(name, component.key, {
        status: 'deleted',
        capabilities: {},
        change: { ...change, step: 'reverted' },
      });
    } else if (change.action === 'replace' && target) {
      const next = change.next ?? {
        generation: before.generation + 1,
        resourceName: resourceNameFor(
          deps.settings.resourcePrefix,
          name,
          component.key,
          before.generation + 1,
        ),
      };
      await deps.events.record(
        name,
        'info',
        component.key,
        `Reverting: deleting the replacement of ${component.key} (${next.resourceName}); the original stays`,
      );
      const driver = deps.catalog.driver(target.driver);
      await raceSignal(
        driver.delete({
          ...driverContext(
            deps,
            env,
            { ...component, resourceName: next.resourceName },
            target.inputs,
            {},
            combined,
          ),
          state:
            component.generation === next.generation
              ? component.state
              : undefined,
        }),
        combined,
      );
      await deps.secrets.deleteGeneration(name, component.key, next.generation);
      await deps.store.updateComponent(name, component.key, {
        ...restore,
        change: { ...change, step: 'reverted' },
      });
    } else if (change.action === 'update' && target) {
      await deps.events.record(
        name,
        'info',
        component.key,
        `Reverting: updating ${component.key} back to its previous inputs`,
      );
      const driver = deps.catalog.driver(before.driver);
      const dependencies = all.filter(c => before.dependsOn.includes(c.key));
      const previousDeps = await previousCapabilities(deps, name, dependencies);
      const inputs = resolveReferences(before.inputs, {
        environment: scopeOf(env),
        components: previousDeps,
      });
      const currentDeps = await deps.secrets.withSecrets(name, dependencies);
      const now = tryResolve(target.inputs, env, currentDeps) ?? target.inputs;
      const changedInputs = [
        ...new Set([...Object.keys(now), ...Object.keys(inputs)]),
      ].filter(k => !same(now[k], inputs[k]));
      let capabilities = before.capabilities;
      let state = before.state;
      if (driver.update && changedInputs.length > 0) {
        const current = (await deps.secrets.withSecrets(name, [component]))[
          component.key
        ];
        const result = await raceSignal(
          driver.update({
            ...driverContext(
              deps,
              env,
              component,
              inputs,
              previousDeps,
              combined,
            ),
            state: component.state,
            capabilities: current,
            previousInputs: now,
            changedInputs,
          }),
          combined,
        );
        capabilities = await keepOutputs(
          deps,
          name,
          component,
          before.kind,
          driver.id,
          result,
          before.generation,
        );
        state = result.state;
      }
      if (component.generation !== before.generation) {
        await deps.secrets.deleteGeneration(
          name,
          component.key,
          component.generation,
        );
      }
      await deps.store.updateComponent(name, component.key, {
        ...restore,
        capabilities,
        state,
        change: { ...change, step: 'reverted' },
      });
    } else {
      // recreate, delete: nothing to undo (a recreated component was broken before).
      await deps.store.updateComponent(name, component.key, {
        change: { ...change, step: 'reverted' },
      });
    }
    await deps.events.record(
      name,
      'info',
      component.key,
      `${component.key} reverted in ${seconds(Date.now() - started)}`,
    );
  } catch (error) {
    if (signal.aborted) return;
    const message = timeout.aborted
      ? `timed out after ${deps.settings.componentTimeoutMinutes} minutes`
      : redactText(
          String((error as Error)?.message ?? error),
          await deps.secrets.knownValues(name),
        );
    await deps.store.updateComponent(name, component.key, {
      change: { ...change, step: 'revert-failed', error: message },
    });
    await deps.events.record(
      name,
      'error',
      component.key,
      `${component.key} could not be reverted: ${message}`,
    );
  }
}

/** Deletes a resource the finished change left behind (a replaced original, a dropped component). */
export async function deleteLeftover(
  deps: EngineDeps,
  env: EnvironmentRecord,
  component: ComponentRecord,
  what: ComponentSnapshot,
  caps: CapabilitiesByComponent,
  signal: AbortSignal,
): Promise<string | undefined> {
  const name = env.name;
  const timeout = AbortSignal.timeout(
    deps.settings.componentTimeoutMinutes * 60_000,
  );
  const combined = AbortSignal.any([signal, timeout]);
  try {
    const driver = deps.catalog.driver(what.driver);
    const inputs = tryResolve(what.inputs, env, caps) ?? what.inputs;
    await raceSignal(
      driver.delete({
        ...driverContext(
          deps,
          env,
          { ...component, resourceName: what.resourceName },
          inputs,
          caps,
          combined,
        ),
        state: what.state,
      }),
      combined,
    );
    return undefined;
  } catch (error) {
    if (signal.aborted) return 'interrupted';
    return timeout.aborted
      ? `delete timed out after ${deps.settings.componentTimeoutMinutes} minutes`
      : redactText(
          String((error as Error)?.message ?? error),
          await deps.secrets.knownValues(name),
        );
  }
}
