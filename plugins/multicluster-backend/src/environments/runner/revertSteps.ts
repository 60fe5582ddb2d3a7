/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { redactText } from '../../util/redact';
import type { ComponentSnapshot } from '../changes/types';
import { resolveReferences } from '../references';
import { type CapabilitiesByComponent } from '../secrets/EnvironmentSecrets';
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

// One component's step backward: reverting it to its previous state, and
// deleting what a finished change left behind.

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
