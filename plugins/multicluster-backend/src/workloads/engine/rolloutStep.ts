/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { WorkloadClusterOutcome } from '@archipelago/multicluster-node';
import type { PlacementTarget } from '../decide/placement';
import {
  advanceRollout,
  type RolloutState,
  type StepObservation,
} from '../decide/rollout';
import { recordOutcome } from './outcomes';
import type { Target, WorkloadPass } from './WorkloadPass';

/**
 * Advances a rollout in progress with what the in-flight clusters showed
 * this pass: settles them, starts the next step (applying the revision to
 * its clusters now), and past `maxFailures` rolls every touched cluster back
 * to the revision they ran before — or, for a first revision, removes it.
 * Returns the new state; the caller stores it.
 */
export async function stepRollout(
  pass: WorkloadPass,
  rollout: RolloutState,
  fit: PlacementTarget[],
  outcomes: Map<string, WorkloadClusterOutcome>,
): Promise<{
  rollout: RolloutState;
  removals: Array<{ target: PlacementTarget; revision: number }>;
}> {
  const { say } = pass;
  const spec = pass.newest.record.spec;
  const observations = new Map<string, StepObservation>();
  for (const [id, o] of outcomes) {
    const problem = o.error ?? o.reason;
    observations.set(id, {
      ready: o.reached && !o.error && o.ready,
      failed: Boolean(o.failed || (o.reached && o.error)),
      ...(problem ? { reason: say(problem) } : {}),
    });
  }
  const advance = advanceRollout({
    state: rollout,
    targets: fit.map(t => t.cluster.id),
    observations,
    settings: spec.rollout,
    now: pass.now,
  });
  const state = advance.state;
  const byId = new Map(fit.map(t => [t.cluster.id, t.cluster]));
  const nameOf = (id: string) =>
    byId.get(id)?.name ?? pass.rows.get(id)?.clusterName ?? id;

  for (const s of advance.settled)
    pass.event({
      level: s.ok ? 'info' : 'error',
      cluster: nameOf(s.clusterId),
      message: s.ok
        ? `revision ${state.revision} is ready on ${nameOf(s.clusterId)}`
        : `revision ${state.revision} failed on ${nameOf(s.clusterId)}: ${
            s.reason
          }`,
    });

  if (advance.start.length) {
    pass.event({
      level: 'info',
      message: `step ${state.step}: applying revision ${
        state.revision
      } to ${advance.start.map(nameOf).join(', ')}`,
    });
    await applyTo(pass, advance.start, state.revision, nameOf);
  }

  const removals: Array<{ target: PlacementTarget; revision: number }> = [];
  if (advance.stopped) {
    const back = state.fromRevision;
    pass.event({
      level: 'error',
      message: `rollout of revision ${state.revision} stopped: ${say(
        state.reason ?? '',
      )}; ${
        back !== undefined
          ? `rolling the touched clusters back to revision ${back}`
          : 'removing its objects from the touched clusters'
      }`,
    });
    const touched = [
      ...state.done,
      ...state.failed.map(f => f.clusterId),
    ].filter(id => byId.has(id));
    if (back !== undefined) await applyTo(pass, touched, back, nameOf);
    else
      for (const id of touched)
        removals.push({
          target: fit.find(t => t.cluster.id === id)!,
          revision: state.revision,
        });
  }
  if (state.state === 'complete')
    pass.event({
      level: 'info',
      message: `revision ${state.revision} rolled out to ${
        state.done.length
      } cluster(s)${
        state.failed.length
          ? `, ${state.failed.length} failed within maxFailures`
          : ''
      }`,
    });
  return { rollout: state, removals };
}

/** Applies a revision to clusters now, recording each outcome. */
async function applyTo(
  pass: WorkloadPass,
  ids: string[],
  revision: number,
  nameOf: (id: string) => string,
) {
  const targets: Target[] = [];
  for (const id of ids) {
    const target = await pass.target(
      { id, name: nameOf(id) },
      revision,
      'apply',
    );
    if (target) targets.push(target);
  }
  const outcomes = await pass.run(targets);
  for (const target of targets)
    await recordOutcome(pass, target, outcomes.get(target.cluster.id)!);
}
