/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { redactText } from '../../util/redact';
import type { ComponentChange } from '../changes/types';
import { resolveReferences } from '../references';
import { secretValues } from '../secrets/EnvironmentSecrets';
import { resourceNameFor } from '../serialize';
import type { ComponentRecord, EnvironmentRecord } from '../store/records';
import { type EngineDeps, driverContext, raceSignal, seconds } from './context';

import {
  keepOutputs,
  previousCapabilities,
  previousOf,
  same,
  scopeOf,
  tryResolve,
} from './stepHelpers';
// One component's step of a change, forward (apply) and backward (revert).
// Each ends in one row update that records both the outcome and the step, so
// an interrupted step is simply run again: creates are idempotent on the
// resource name, updates on their inputs.

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
