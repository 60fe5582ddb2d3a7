/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  secretCapabilities,
  validateCapabilities,
} from '@archipelago/multicluster-common';
import { redactText } from '../../util/redact';
import { resolveReferences } from '../references';
import { secretValues } from '../secrets/EnvironmentSecrets';
import { runnableComponents } from '../stagePlanner';
import { revisionComponents } from './applyChange';
import type { ComponentRecord, EnvironmentRecord } from '../store/records';
import {
  type EngineDeps,
  clusterIdOf,
  clustersChanged,
  driverContext,
  raceSignal,
  seconds,
} from './context';

/**
 * Provisions a pending or provisioning environment: launches every component
 * whose dependencies are ready (in parallel), until all are ready or one
 * fails; then marks the environment ready, or kept-failed / rolling back as
 * its onFailure policy says. A destroy requested meanwhile wins once the
 * components in flight finish.
 */
export async function provision(
  deps: EngineDeps,
  env: EnvironmentRecord,
  signal: AbortSignal,
): Promise<void> {
  const name = env.name;
  if (env.destroyRequested) {
    await deps.store.transition(name, ['pending', 'provisioning'], {
      status: 'destroying',
      destroyRequested: false,
    });
    return;
  }
  if (env.status === 'pending') {
    await deps.store.transition(name, ['pending'], {
      status: 'provisioning',
      reason: undefined,
    });
    await deps.events.record(
      name,
      'info',
      undefined,
      `Provisioning ${env.plan.components.length} components`,
    );
  }
  const started = Date.now();
  const inFlight = new Map<string, Promise<void>>();
  let stopLaunching = false;
  for (;;) {
    const components = await deps.store.getComponents(name);
    const current = await deps.store.get(name);
    if (current?.destroyRequested) stopLaunching = true;
    if (components.some(c => c.status === 'failed')) stopLaunching = true;
    if (!stopLaunching && !signal.aborted) {
      for (const key of runnableComponents(components)) {
        if (inFlight.has(key)) continue;
        const component = components.find(c => c.key === key)!;
        const run = createComponent(
          deps,
          env,
          component,
          components,
          signal,
        ).finally(() => inFlight.delete(key));
        inFlight.set(key, run);
      }
    }
    if (inFlight.size === 0) break;
    await Promise.race(inFlight.values());
  }
  if (signal.aborted) return;

  const after = await deps.store.getComponents(name);
  const current = (await deps.store.get(name))!;
  if (current.destroyRequested) {
    await deps.store.transition(name, ['provisioning'], {
      status: 'destroying',
      destroyRequested: false,
      reason: current.reason ?? 'destroy requested',
    });
    await deps.events.record(
      name,
      'info',
      undefined,
      'Destroying, as requested during provisioning',
    );
    return;
  }
  const failed = after.filter(c => c.status === 'failed');
  if (failed.length > 0) {
    const reason = failed
      .map(
        c =>
          `component ${c.key} (${c.driver}) failed: ${
            c.error ?? 'unknown error'
          }`,
      )
      .join('; ');
    if (env.revision === 1)
      await deps.store.revisions.update(name, 1, { status: 'failed', reason });
    if (env.onFailure === 'keep') {
      await deps.store.transition(name, ['provisioning'], {
        status: 'failed',
        reason: `${reason}; created components kept for a retry (onFailure: keep)`,
      });
      await deps.events.record(
        name,
        'error',
        undefined,
        `Failed; kept what was created (onFailure: keep): ${reason}`,
      );
    } else {
      await deps.store.transition(name, ['provisioning'], {
        status: 'rolling-back',
        reason,
      });
      await deps.events.record(
        name,
        'error',
        undefined,
        `Failed, rolling back in reverse order: ${reason}`,
      );
    }
    return;
  }
  if (after.every(c => c.status === 'ready')) {
    const cluster = after.find(c => c.kind === 'kubernetes');
    const clusterId = cluster ? clusterIdOf(cluster.capabilities) : undefined;
    await deps.store.transition(name, ['provisioning'], {
      status: 'ready',
      reason: undefined,
      clusterId,
    });
    if (
      env.revision === 1 &&
      (await deps.store.revisions.get(name, 1))?.status !== 'applied'
    ) {
      await deps.store.revisions.update(name, 1, {
        status: 'applied',
        components: revisionComponents(after),
      });
    }
    await deps.events.record(
      name,
      'info',
      undefined,
      `Ready${
        env.status === 'pending' ? ` in ${seconds(Date.now() - started)}` : ''
      }`,
    );
    if (cluster) await clustersChanged(deps);
    await deps.connections?.publish(name);
  }
}

async function createComponent(
  deps: EngineDeps,
  env: EnvironmentRecord,
  component: ComponentRecord,
  all: ComponentRecord[],
  signal: AbortSignal,
): Promise<void> {
  const name = env.name;
  const driver = deps.catalog.driver(component.driver);
  const resumed = component.status === 'creating';
  const startedAt = component.startedAt ?? Date.now();
  await deps.store.updateComponent(name, component.key, {
    status: 'creating',
    startedAt,
    error: undefined,
    drift: undefined,
  });
  await deps.events.record(
    name,
    'info',
    component.key,
    `${resumed ? 'Resuming create of' : 'Creating'} ${component.key} (${
      component.driver
    }, template ${component.template})`,
  );
  const timeout = AbortSignal.timeout(
    deps.settings.componentTimeoutMinutes * 60_000,
  );
  const combined = AbortSignal.any([signal, timeout]);
  let secretsSeen: string[] = [];
  try {
    const dependencies = all.filter(c => component.dependsOn.includes(c.key));
    const depCaps = await deps.secrets.withSecrets(name, dependencies);
    const inputs = resolveReferences(component.inputs, {
      environment: {
        name,
        type: env.type,
        cloud: env.cloud,
        owner: env.owner,
      },
      components: depCaps,
    });
    secretsSeen = secretValues(dependencies, depCaps);
    driver.validateInputs?.(inputs);
    const result = await raceSignal(
      driver.create(
        driverContext(deps, env, component, inputs, depCaps, combined),
      ),
      combined,
    );
    const capabilities = validateCapabilities(
      component.kind,
      result.capabilities,
    ) as Record<string, unknown>;
    const secretNames = secretCapabilities[component.kind];
    const sealedValues = secretNames.map(k => String(capabilities[k]));
    const stateText = JSON.stringify(result.state ?? {});
    if (sealedValues.some(v => v && stateText.includes(v))) {
      throw new Error(
        `driver ${driver.id} returned a secret in its state; refusing to store it`,
      );
    }
    for (const k of secretNames) {
      await deps.secrets.seal(
        name,
        component.key,
        k,
        String(capabilities[k]),
        component.generation,
      );
    }
    const publicCapabilities = Object.fromEntries(
      Object.entries(capabilities).filter(([k]) => !secretNames.includes(k)),
    );
    await deps.store.updateComponent(name, component.key, {
      status: 'ready',
      capabilities: publicCapabilities,
      state: result.state,
      finishedAt: Date.now(),
      error: undefined,
    });
    await deps.events.record(
      name,
      'info',
      component.key,
      `${component.key} ready in ${seconds(Date.now() - startedAt)}`,
    );
  } catch (error) {
    if (signal.aborted) {
      // Interrupted (shutdown or lost lease): stays `creating`; whoever resumes creates again.
      return;
    }
    const known = [...secretsSeen, ...(await deps.secrets.knownValues(name))];
    const message = timeout.aborted
      ? `timed out after ${deps.settings.componentTimeoutMinutes} minutes`
      : redactText(String((error as Error)?.message ?? error), known);
    await deps.store.updateComponent(name, component.key, {
      status: 'failed',
      error: message,
      finishedAt: Date.now(),
    });
    await deps.events.record(
      name,
      'error',
      component.key,
      `${component.key} failed: ${message}`,
    );
  }
}
