/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  WorkloadClusterStatus,
  WorkloadPhase,
} from '@archipelago/multicluster-common';
import type { RolloutState } from './rollout';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * A workload's phase and reason from its clusters, as Karmada aggregates a
 * binding's status. Pure. In order: deleting, paused and a failed rollout
 * win; a rollout in progress is Progressing; a cluster in error, unreachable
 * (in its grace period) or failed over makes it Degraded; replicas not yet
 * ready or clusters not yet at the revision make it Progressing; otherwise
 * Available.
 */
export function aggregateStatus(input: {
  revision: number;
  paused: boolean;
  deleting: boolean;
  rollout?: RolloutState;
  clusters: WorkloadClusterStatus[];
  /** Selected clusters not yet healthy enough to get the workload. */
  waiting: number;
  /** Selected clusters still in their grace period (unfit, replicas not moved yet). */
  inGrace: string[];
}): { phase: WorkloadPhase; reason: string } {
  const { clusters, rollout, revision } = input;
  if (input.deleting) {
    return {
      phase: 'Progressing',
      reason: `deleting: removing it from ${plural(
        clusters.length,
        'cluster',
      )}`,
    };
  }
  if (input.paused) {
    return {
      phase: 'Paused',
      reason: 'paused: nothing is written to its clusters until it is resumed',
    };
  }
  if (rollout?.state === 'failed' && rollout.revision === revision) {
    const back =
      rollout.fromRevision !== undefined
        ? `the touched clusters were rolled back to revision ${rollout.fromRevision}`
        : 'its objects were removed from the touched clusters';
    return {
      phase: 'Failed',
      reason: `${rollout.reason ?? `revision ${revision} failed`}; ${back}`,
    };
  }
  if (rollout?.state === 'progressing') {
    const total = rollout.done.length + rollout.failed.length;
    const soaking =
      rollout.inFlight.length === 0 && rollout.soakUntil !== undefined
        ? ', soaking before the next step'
        : '';
    return {
      phase: 'Progressing',
      reason: `rolling out revision ${revision}: step ${rollout.step}, ${plural(
        total,
        'cluster',
      )} done${
        rollout.failed.length ? ` (${rollout.failed.length} failed)` : ''
      }, ${rollout.inFlight.length} in progress${soaking}`,
    };
  }
  if (clusters.length === 0) {
    return {
      phase: 'Degraded',
      reason:
        input.waiting > 0
          ? `waiting for ${plural(
              input.waiting,
              'selected cluster',
            )} to become healthy`
          : 'no cluster matches the placement',
    };
  }
  const problems: string[] = [];
  const failedOver = clusters.filter(c => c.failedOver).map(c => c.name);
  if (failedOver.length)
    problems.push(`failed over from ${failedOver.join(', ')}`);
  if (input.inGrace.length)
    problems.push(
      `${input.inGrace.join(
        ', ',
      )} unhealthy (replicas move after the grace period)`,
    );
  const errors = clusters.filter(
    c => c.error && !c.failedOver && !input.inGrace.includes(c.name),
  );
  if (errors.length)
    problems.push(
      `errors on ${errors.map(c => `${c.name} (${c.error})`).join(', ')}`,
    );
  if (problems.length)
    return { phase: 'Degraded', reason: problems.join('; ') };

  const behind = clusters.filter(c => !c.failedOver && c.revision !== revision);
  const desired = clusters.reduce((n, c) => n + c.desiredReplicas, 0);
  const ready = clusters.reduce((n, c) => n + c.readyReplicas, 0);
  if (behind.length) {
    return {
      phase: 'Progressing',
      reason: `${plural(
        behind.length,
        'cluster',
      )} not yet at revision ${revision}`,
    };
  }
  if (ready < desired) {
    return {
      phase: 'Progressing',
      reason: `${ready} of ${desired} replicas ready`,
    };
  }
  return {
    phase: 'Available',
    reason: `${plural(clusters.length, 'cluster')} run${
      clusters.length === 1 ? 's' : ''
    } revision ${revision}; ${ready} of ${desired} replicas ready`,
  };
}
