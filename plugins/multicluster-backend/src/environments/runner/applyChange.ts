/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { PendingChange } from '../changes/types';
import type { RevisionComponent } from '../store/RevisionStore';
import type { ComponentRecord, EnvironmentRecord } from '../store/records';
import { applyStep } from './changeSteps';
import { deleteLeftover, revertStep } from './revertSteps';
import { previousCapabilities, previousOf } from './stepHelpers';
import {
  type EngineDeps,
  clusterIdOf,
  clustersChanged,
  seconds,
} from './context';

/** The change as a subject: `Update to revision 3`. */
function label(change: PendingChange): string {
  if (change.operation === 'heal') return 'Heal';
  if (change.operation === 'rollback')
    return `Rollback to revision ${change.restores}`;
  return `Update to revision ${change.revision}`;
}

/** The change once done: `Updated to revision 3`. */
function done(change: PendingChange): string {
  if (change.operation === 'heal') return 'Healed';
  if (change.operation === 'rollback')
    return `Rolled back to revision ${change.restores} (now revision ${change.revision})`;
  return `Updated to revision ${change.revision}`;
}

// Applying a change (update, rollback, heal): steps in dependency order, in
// parallel where they are independent; once every step succeeded, the old
// resources (replaced originals, dropped components) are deleted and the
// environment is at the new revision. When a step fails, what was changed is
// reverted in reverse order and the environment stays at its revision.

const SETTLED_FORWARD = new Set(['applied']);

/** Steps that can run now: pending (or interrupted) ones whose dependencies are applied or unchanged. */
export function runnableSteps(components: ComponentRecord[]): string[] {
  const byKey = new Map(components.map(c => [c.key, c]));
  return components
    .filter(c => c.change && c.change.action !== 'delete')
    .filter(c => c.change!.step === 'pending' || c.change!.step === 'applying')
    .filter(c =>
      c.change!.target!.dependsOn.every(d => {
        const dep = byKey.get(d);
        return dep && (!dep.change || SETTLED_FORWARD.has(dep.change.step));
      }),
    )
    .map(c => c.key);
}

/** Steps that can be reverted now: those no changed dependant still waits on. */
export function revertibleSteps(components: ComponentRecord[]): string[] {
  const needsRevert = (c: ComponentRecord) =>
    !!c.change &&
    ['applied', 'applying', 'failed', 'reverting'].includes(c.change.step);
  return components
    .filter(needsRevert)
    .filter(c =>
      components.every(
        other =>
          other === c ||
          !needsRevert(other) ||
          !(other.change?.target?.dependsOn ?? other.dependsOn).includes(c.key),
      ),
    )
    .map(c => c.key);
}

/** Runs `launch` for whatever `pick` allows, until nothing runs. */
async function drive(
  deps: EngineDeps,
  name: string,
  signal: AbortSignal,
  pick: (components: ComponentRecord[]) => string[],
  launch: (c: ComponentRecord, all: ComponentRecord[]) => Promise<void>,
  stopWhen: (components: ComponentRecord[]) => boolean = () => false,
): Promise<void> {
  const inFlight = new Map<string, Promise<void>>();
  const attempted = new Set<string>();
  for (;;) {
    const components = await deps.store.getComponents(name);
    if (!signal.aborted && !stopWhen(components)) {
      for (const key of pick(components)) {
        if (inFlight.has(key) || attempted.has(key)) continue;
        attempted.add(key);
        const c = components.find(x => x.key === key)!;
        inFlight.set(
          key,
          launch(c, components).finally(() => inFlight.delete(key)),
        );
      }
    }
    if (inFlight.size === 0) break;
    await Promise.race(inFlight.values());
  }
}

/** The environment as the change's target describes it (type, inputs), for drivers and references. */
function targetView(
  env: EnvironmentRecord,
  change: PendingChange,
): EnvironmentRecord {
  return { ...env, type: change.target.type, inputs: change.target.inputs };
}

/** Drives an `updating` environment: applies its change, or reverts it after a failure. */
export async function applyChange(
  deps: EngineDeps,
  env: EnvironmentRecord,
  signal: AbortSignal,
): Promise<void> {
  const change = env.change;
  if (!change) {
    await deps.store.transition(env.name, ['updating'], {
      status: 'ready',
      reason: 'no change was pending',
    });
    return;
  }
  if (change.phase === 'revert') {
    await revert(deps, env, change, signal);
    return;
  }
  const view = targetView(env, change);
  await drive(
    deps,
    env.name,
    signal,
    runnableSteps,
    (c, all) => applyStep(deps, view, c, all, signal),
    all => all.some(c => c.change?.step === 'failed'),
  );
  if (signal.aborted) return;
  const after = await deps.store.getComponents(env.name);
  const failed = after.filter(c => c.change?.step === 'failed');
  if (failed.length) {
    const failure = failed
      .map(
        c =>
          `${c.key} (${c.change!.target?.driver ?? c.driver}): ${
            c.change!.error ?? 'failed'
          }`,
      )
      .join('; ');
    await deps.store.updateEnvironment(env.name, {
      change: { ...change, phase: 'revert', failure },
      reason: `reverting: ${failure}`,
    });
    await deps.events.record(
      env.name,
      'error',
      undefined,
      `${label(change)} failed, reverting to revision ${
        change.fromRevision
      }: ${failure}`,
    );
    return;
  }
  await finalize(deps, view, change, after, signal);
}

/** The public snapshot a revision keeps of its components. */
export function revisionComponents(
  components: ComponentRecord[],
): RevisionComponent[] {
  return components
    .filter(c => c.status !== 'deleted')
    .map(c => ({
      key: c.key,
      kind: c.kind,
      template: c.template,
      driver: c.driver,
      inputs: c.inputs,
      capabilities: c.capabilities,
    }));
}

async function finalize(
  deps: EngineDeps,
  env: EnvironmentRecord,
  change: PendingChange,
  components: ComponentRecord[],
  signal: AbortSignal,
): Promise<void> {
  const name = env.name;
  const leftovers: string[] = [];
  // Old resources go last, dependants first: replaced originals, then dropped components.
  const order = [...components].sort((a, b) => b.position - a.position);
  const before = await previousCapabilities(deps, name, components);
  for (const c of order) {
    const ch = c.change;
    if (!ch) continue;
    if (ch.action === 'replace' && ch.previous) {
      const problem = await deleteLeftover(
        deps,
        env,
        c,
        ch.previous,
        before,
        signal,
      );
      if (signal.aborted) return;
      if (problem)
        leftovers.push(
          `${c.key}'s original ${ch.previous.resourceName} (${problem})`,
        );
      else
        await deps.events.record(
          name,
          'info',
          c.key,
          `Deleted the original ${c.key} (${ch.previous.resourceName})`,
        );
    }
    if (ch.action === 'delete') {
      const problem = await deleteLeftover(
        deps,
        env,
        c,
        ch.previous ?? previousOf(c),
        before,
        signal,
      );
      if (signal.aborted) return;
      if (problem) leftovers.push(`${c.key} ${c.resourceName} (${problem})`);
      else await deps.events.record(name, 'info', c.key, `${c.key} deleted`);
    }
  }
  for (const c of components) {
    const ch = c.change;
    if (!ch) continue;
    if (ch.action === 'delete') {
      await deps.secrets.delete(name, c.key);
      await deps.store.deleteComponent(name, c.key);
      continue;
    }
    if (ch.previous && ch.previous.generation !== c.generation) {
      await deps.secrets.deleteGeneration(name, c.key, ch.previous.generation);
    }
    await deps.store.updateComponent(name, c.key, { change: undefined });
  }
  const after = await deps.store.getComponents(name);
  const cluster = after.find(c => c.kind === 'kubernetes');
  const current = (await deps.store.get(name))!;
  const reason = leftovers.length
    ? `at revision ${change.revision}; could not delete ${leftovers.join(
        ', ',
      )}: remove by hand`
    : undefined;
  const moved = await deps.store.transition(name, ['updating'], {
    status: current.destroyRequested ? 'destroying' : 'ready',
    destroyRequested: false,
    type: change.target.type,
    inputs: change.target.inputs,
    plan: change.target.plan,
    requestHash: change.target.requestHash,
    ttlMinutes: change.target.ttlMinutes,
    expiresAt: change.target.expiresAt,
    ...(change.target.expiresAt !== current.expiresAt
      ? { expiryWarnedAt: undefined }
      : {}),
    revision: change.revision,
    change: undefined,
    clusterId: cluster ? clusterIdOf(cluster.capabilities) : undefined,
    reason,
  });
  if (!moved) return;
  await deps.store.revisions.update(name, change.revision, {
    status: 'applied',
    components: revisionComponents(after),
    ...(reason ? { reason } : {}),
  });
  await deps.store.revisions.prune(
    name,
    deps.settings.revisionsKept ?? 20,
    change.revision,
  );
  await deps.events.record(
    name,
    leftovers.length ? 'warning' : 'info',
    undefined,
    `${done(change)} in ${seconds(Date.now() - change.startedAt)}${
      reason ? `; ${reason}` : ''
    }`,
  );
  await deps.connections?.publish(name);
  if (
    components.some(
      c => c.kind === 'kubernetes' && c.change && c.change.action !== 'update',
    )
  )
    await clustersChanged(deps);
}

async function revert(
  deps: EngineDeps,
  env: EnvironmentRecord,
  change: PendingChange,
  signal: AbortSignal,
): Promise<void> {
  const name = env.name;
  // Steps that never started have nothing to undo.
  for (const c of await deps.store.getComponents(name)) {
    if (c.change?.step === 'pending')
      await deps.store.updateComponent(name, c.key, {
        change: { ...c.change, step: 'reverted' },
      });
  }
  await drive(deps, name, signal, revertibleSteps, (c, all) =>
    revertStep(deps, env, c, all, signal),
  );
  if (signal.aborted) return;
  const after = await deps.store.getComponents(name);
  const stuck = after.filter(c => c.change?.step === 'revert-failed');
  const current = (await deps.store.get(name))!;
  if (stuck.length) {
    const problems = stuck.map(c => `${c.key} (${c.change!.error})`).join(', ');
    const reason = `${label(change)} failed (${
      change.failure
    }); revert incomplete: ${problems}; DELETE the environment to clean up`;
    for (const c of after) {
      if (c.change?.action === 'create' && c.change.step === 'reverted')
        await deps.store.deleteComponent(name, c.key);
      else if (c.change)
        await deps.store.updateComponent(name, c.key, {
          change: undefined,
          ...(c.change.step === 'revert-failed'
            ? { status: 'failed', error: c.change.error }
            : {}),
        });
    }
    await deps.store.transition(name, ['updating'], {
      status: 'failed',
      change: undefined,
      destroyRequested: false,
      reason,
    });
    if (change.operation !== 'heal')
      await deps.store.revisions.update(name, change.revision, {
        status: 'failed',
        reason,
      });
    await deps.events.record(name, 'error', undefined, reason);
    await deps.connections?.publish(name);
    return;
  }
  for (const c of after) {
    if (c.change?.action === 'create')
      await deps.store.deleteComponent(name, c.key);
    else if (c.change)
      await deps.store.updateComponent(name, c.key, { change: undefined });
  }
  const reason = `${label(change)} failed (${
    change.failure
  }); returned to revision ${change.fromRevision}`;
  await deps.store.transition(name, ['updating'], {
    status: current.destroyRequested ? 'destroying' : 'ready',
    destroyRequested: false,
    change: undefined,
    reason,
  });
  if (change.operation !== 'heal')
    await deps.store.revisions.update(name, change.revision, {
      status: 'failed',
      reason,
    });
  await deps.events.record(
    name,
    'warning',
    undefined,
    `Reverted in ${seconds(Date.now() - change.startedAt)}: ${reason}`,
  );
  await deps.connections?.publish(name);
}
