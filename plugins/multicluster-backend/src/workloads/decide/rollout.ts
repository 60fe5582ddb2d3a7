/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { WorkloadRollout } from '@archipelago/multicluster-common';

/**
 * The rollout of a revision, persisted after every change so a restarted
 * backend (or another replica) continues it: OCM's progressive rollout with
 * clusters per step, failures tolerated and a soak time between steps.
 */
export interface RolloutState {
  revision: number;
  /** The revision the clusters ran before; what a failed rollout returns to. Absent for the first. */
  fromRevision?: number;
  state: 'progressing' | 'complete' | 'failed';
  /** Steps started. */
  step: number;
  /** Cluster ids updated and ready. */
  done: string[];
  /** Cluster ids that failed (not ready in time, refused, a failed Job…), with why. */
  failed: Array<{ clusterId: string; reason: string }>;
  /** Cluster ids of the current step, applied at `appliedAt`. */
  inFlight: Array<{ clusterId: string; appliedAt: number }>;
  /** No step starts before this (soak after a step). */
  soakUntil?: number;
  reason?: string;
  startedAt: number;
  finishedAt?: number;
}

/** How an in-flight cluster looks this round. */
export interface StepObservation {
  ready: boolean;
  failed: boolean;
  reason?: string;
}

/** What to do after advancing a rollout. */
export interface RolloutAdvance {
  state: RolloutState;
  /** Cluster ids to apply the revision to now (a new step). */
  start: string[];
  /** Cluster ids that settled this round, for events. */
  settled: Array<{ clusterId: string; ok: boolean; reason?: string }>;
  /** True when this call stopped the rollout (failures past maxFailures). */
  stopped: boolean;
}

/** A new rollout of `revision`, from the revision the clusters ran. */
export function startRollout(
  revision: number,
  fromRevision: number | undefined,
  now: number,
): RolloutState {
  return {
    revision,
    ...(fromRevision !== undefined ? { fromRevision } : {}),
    state: 'progressing',
    step: 0,
    done: [],
    failed: [],
    inFlight: [],
    startedAt: now,
  };
}

/**
 * One step of the rollout state machine. Pure. In-flight clusters that are
 * ready are done; failed ones, or those past `timeoutSeconds`, fail; one that
 * left the fit targets (unreachable) goes back to pending without counting.
 * Past `maxFailures` the rollout stops (the caller rolls the touched clusters
 * back). When the step is settled and the soak is over, the next
 * `maxConcurrent` pending clusters start, in the targets' order; with none
 * left the rollout is complete.
 */
export function advanceRollout(input: {
  state: RolloutState;
  /** Fit target cluster ids, in order. */
  targets: string[];
  observations: Map<string, StepObservation>;
  settings: WorkloadRollout;
  now: number;
}): RolloutAdvance {
  const { settings, now } = input;
  const state: RolloutState = {
    ...input.state,
    done: [...input.state.done],
    failed: [...input.state.failed],
    inFlight: [],
  };
  const settled: RolloutAdvance['settled'] = [];
  if (state.state !== 'progressing')
    return { state, start: [], settled, stopped: false };

  const targetSet = new Set(input.targets);
  for (const flight of input.state.inFlight) {
    if (!targetSet.has(flight.clusterId)) continue; // back to pending
    const seen = input.observations.get(flight.clusterId);
    const overdue = now - flight.appliedAt > settings.timeoutSeconds * 1000;
    if (seen?.ready) {
      state.done.push(flight.clusterId);
      settled.push({ clusterId: flight.clusterId, ok: true });
    } else if (seen?.failed || overdue) {
      const reason = seen?.failed
        ? seen.reason ?? 'failed'
        : `not ready within ${settings.timeoutSeconds} s${
            seen?.reason ? ` (${seen.reason})` : ''
          }`;
      state.failed.push({ clusterId: flight.clusterId, reason });
      settled.push({ clusterId: flight.clusterId, ok: false, reason });
    } else {
      state.inFlight.push(flight);
    }
  }

  if (state.failed.length > settings.maxFailures) {
    state.state = 'failed';
    state.inFlight = [];
    state.finishedAt = now;
    state.reason = `revision ${state.revision} failed on ${
      state.failed.length
    } cluster${state.failed.length === 1 ? '' : 's'} (maxFailures ${
      settings.maxFailures
    }): ${state.failed.map(f => f.reason).join('; ')}`;
    return { state, start: [], settled, stopped: true };
  }
  if (state.inFlight.length > 0)
    return { state, start: [], settled, stopped: false };

  const touched = new Set([
    ...state.done,
    ...state.failed.map(f => f.clusterId),
  ]);
  const pending = input.targets.filter(id => !touched.has(id));
  if (pending.length === 0) {
    state.state = 'complete';
    state.finishedAt = now;
    delete state.soakUntil;
    return { state, start: [], settled, stopped: false };
  }
  if (state.step > 0 && settings.soakSeconds > 0) {
    if (state.soakUntil === undefined) {
      state.soakUntil = now + settings.soakSeconds * 1000;
    }
    if (now < state.soakUntil)
      return { state, start: [], settled, stopped: false };
  }
  const start = pending.slice(0, settings.maxConcurrent);
  state.inFlight = start.map(clusterId => ({ clusterId, appliedAt: now }));
  state.step += 1;
  delete state.soakUntil;
  return { state, start, settled, stopped: false };
}

/**
 * The revision a fit cluster should run while a rollout is in this state:
 * the newest once complete; the rollout's on the clusters it touched; what
 * it already runs (`current`, 0 for none) on the others, which wait for
 * their step; the revision rolled back to once failed (none: nothing).
 */
export function revisionFor(
  clusterId: string,
  rollout: RolloutState | undefined,
  newest: number,
  current: number,
): number | undefined {
  if (!rollout || rollout.state === 'complete') return newest;
  if (rollout.state === 'failed') return rollout.fromRevision;
  const touched =
    rollout.done.includes(clusterId) ||
    rollout.failed.some(f => f.clusterId === clusterId) ||
    rollout.inFlight.some(f => f.clusterId === clusterId);
  if (touched) return rollout.revision;
  return current > 0 ? current : undefined;
}

/** When the rollout next needs a look without any change: the soak's end. */
export function rolloutDeadline(
  rollout: RolloutState | undefined,
): number | undefined {
  return rollout?.state === 'progressing' ? rollout.soakUntil : undefined;
}
