/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { EnvironmentStatus } from '@archipelago/multicluster-common';
import { redactText } from '../../util/redact';
import { resolveReferences } from '../references';
import { secretValues } from '../secrets/EnvironmentSecrets';
import { deletableComponents } from '../stagePlanner';
import type { ComponentRecord, EnvironmentRecord } from '../store/records';
import {
  type EngineDeps,
  clustersChanged,
  driverContext,
  raceSignal,
  seconds,
} from './context';

/** Rollback (after a failure) or destroy: delete in reverse dependency order, parallel where independent. */
export async function teardown(
  deps: EngineDeps,
  env: EnvironmentRecord,
  signal: AbortSignal,
  mode: 'rollback' | 'destroy',
): Promise<void> {
  const name = env.name;
  const started = Date.now();
  if (mode === 'destroy') await deps.connections?.unpublish(name);
  const attempted = new Set<string>();
  const inFlight = new Map<string, Promise<void>>();
  for (;;) {
    const components = await deps.store.getComponents(name);
    if (!signal.aborted) {
      for (const key of deletableComponents(components)) {
        if (inFlight.has(key) || attempted.has(key)) continue;
        attempted.add(key);
        const component = components.find(c => c.key === key)!;
        inFlight.set(
          key,
          deleteComponent(deps, env, component, components, signal).finally(
            () => inFlight.delete(key),
          ),
        );
      }
    }
    if (inFlight.size === 0) break;
    await Promise.race(inFlight.values());
  }
  if (signal.aborted) return;
  const after = await deps.store.getComponents(name);
  const left = after.filter(
    c => c.status !== 'deleted' && c.status !== 'pending',
  );
  const current = (await deps.store.get(name))!;
  const from: EnvironmentStatus =
    mode === 'rollback' ? 'rolling-back' : 'destroying';
  if (left.length > 0) {
    const problems = left
      .map(c => `${c.key}${c.error ? ` (${c.error})` : ''}`)
      .join(', ');
    await deps.store.transition(name, [from], {
      status: 'failed',
      destroyRequested: false,
      reason: `${
        mode === 'rollback'
          ? `${current.reason ?? 'failed'}; rollback incomplete`
          : 'destroy incomplete'
      }: ${problems} could not be deleted; DELETE the environment to retry`,
    });
    await deps.events.record(
      name,
      'error',
      undefined,
      `${mode === 'rollback' ? 'Rollback' : 'Destroy'} incomplete: ${problems}`,
    );
    return;
  }
  if (mode === 'rollback' && !current.destroyRequested) {
    if (env.revision === 1)
      await deps.store.revisions.update(name, 1, {
        status: 'failed',
        reason: current.reason,
      });
    await deps.store.transition(name, [from], {
      status: 'failed',
      reason: `${
        current.reason ?? 'failed'
      }; everything created was rolled back`,
    });
    await deps.events.record(
      name,
      'info',
      undefined,
      `Rolled back in ${seconds(Date.now() - started)}`,
    );
  } else {
    await deps.secrets.delete(name);
    await deps.store.transition(name, [from], {
      status: 'destroyed',
      destroyRequested: false,
      clusterId: undefined,
      reason:
        mode === 'rollback'
          ? 'failed and rolled back, then destroyed on request'
          : current.reason,
    });
    await deps.events.record(
      name,
      'info',
      undefined,
      `Destroyed in ${seconds(Date.now() - started)}`,
    );
  }
  if (after.some(c => c.kind === 'kubernetes')) await clustersChanged(deps);
}

async function deleteComponent(
  deps: EngineDeps,
  env: EnvironmentRecord,
  component: ComponentRecord,
  all: ComponentRecord[],
  signal: AbortSignal,
): Promise<void> {
  const name = env.name;
  const driver = deps.catalog.driver(component.driver);
  const started = Date.now();
  await deps.store.updateComponent(name, component.key, {
    status: 'deleting',
  });
  await deps.events.record(
    name,
    'info',
    component.key,
    `Deleting ${component.key} (${component.driver})`,
  );
  const timeout = AbortSignal.timeout(
    deps.settings.componentTimeoutMinutes * 60_000,
  );
  const combined = AbortSignal.any([signal, timeout]);
  let known: string[] = [];
  try {
    const dependencies = all.filter(c => component.dependsOn.includes(c.key));
    const depCaps = await deps.secrets.withSecrets(name, dependencies);
    known = secretValues(dependencies, depCaps);
    let inputs = component.inputs;
    try {
      inputs = resolveReferences(component.inputs, {
        environment: {
          name,
          type: env.type,
          cloud: env.cloud,
          owner: env.owner,
        },
        components: depCaps,
      });
    } catch {
      // A dependency that never became ready: delete works from the resource name and state.
    }
    await raceSignal(
      driver.delete({
        ...driverContext(deps, env, component, inputs, depCaps, combined),
        state: component.state,
      }),
      combined,
    );
    await deps.secrets.delete(name, component.key);
    await deps.store.updateComponent(name, component.key, {
      status: 'deleted',
      capabilities: {},
      error: undefined,
      drift: undefined,
      finishedAt: Date.now(),
    });
    await deps.events.record(
      name,
      'info',
      component.key,
      `${component.key} deleted in ${seconds(Date.now() - started)}`,
    );
  } catch (error) {
    if (signal.aborted) return;
    const message = timeout.aborted
      ? `delete timed out after ${deps.settings.componentTimeoutMinutes} minutes`
      : redactText(String((error as Error)?.message ?? error), [
          ...known,
          ...(await deps.secrets.knownValues(name)),
        ]);
    await deps.store.updateComponent(name, component.key, {
      status: 'failed',
      error: `delete failed: ${message}`,
    });
    await deps.events.record(
      name,
      'error',
      component.key,
      `${component.key} delete failed: ${message}`,
    );
  }
}
