/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { WorkloadClusterStatus } from '@archipelago/multicluster-common';
import { startRollout } from './rollout';
import { aggregateStatus } from './status';

const c = (
  name: string,
  extra: Partial<WorkloadClusterStatus> = {},
): WorkloadClusterStatus => ({
  cluster: name,
  name,
  revision: 2,
  desiredReplicas: 3,
  readyReplicas: 3,
  drift: [],
  failedOver: false,
  ...extra,
});

const base = {
  revision: 2,
  paused: false,
  deleting: false,
  clusters: [c('a'), c('b')],
  waiting: 0,
  inGrace: [],
};

describe('aggregateStatus', () => {
  it.each<
    [string, Partial<Parameters<typeof aggregateStatus>[0]>, string, RegExp]
  >([
    [
      'every cluster ready',
      {},
      'Available',
      /^2 clusters run revision 2; 6 of 6 replicas ready$/,
    ],
    [
      'replicas not ready',
      { clusters: [c('a', { readyReplicas: 1 }), c('b')] },
      'Progressing',
      /^4 of 6 replicas ready$/,
    ],
    [
      'a cluster behind',
      { clusters: [c('a', { revision: 1 }), c('b')] },
      'Progressing',
      /^1 cluster not yet at revision 2$/,
    ],
    [
      'a cluster failed over',
      { clusters: [c('a', { failedOver: true }), c('b')] },
      'Degraded',
      /^failed over from a$/,
    ],
    [
      'a cluster in grace',
      { inGrace: ['b'] },
      'Degraded',
      /^b unhealthy \(replicas move after the grace period\)$/,
    ],
    [
      'an error',
      { clusters: [c('a', { error: 'forbidden' }), c('b')] },
      'Degraded',
      /^errors on a \(forbidden\)$/,
    ],
    [
      'no cluster',
      { clusters: [] },
      'Degraded',
      /^no cluster matches the placement$/,
    ],
    [
      'clusters still coming up',
      { clusters: [], waiting: 2 },
      'Degraded',
      /^waiting for 2 selected clusters to become healthy$/,
    ],
    ['paused', { paused: true }, 'Paused', /^paused/],
    [
      'deleting',
      { deleting: true },
      'Progressing',
      /^deleting: removing it from 2 clusters$/,
    ],
    [
      'a rollout in progress',
      {
        rollout: {
          ...startRollout(2, 1, 0),
          step: 1,
          done: ['a'],
          inFlight: [{ clusterId: 'b', appliedAt: 0 }],
        },
      },
      'Progressing',
      /^rolling out revision 2: step 1, 1 cluster done, 1 in progress$/,
    ],
    [
      'a failed rollout',
      {
        rollout: {
          ...startRollout(2, 1, 0),
          state: 'failed',
          reason: 'revision 2 failed on 1 cluster (maxFailures 0): x',
        },
      },
      'Failed',
      /^revision 2 failed on 1 cluster \(maxFailures 0\): x; the touched clusters were rolled back to revision 1$/,
    ],
  ])('%s', (_title, change, phase, reason) => {
    const s = aggregateStatus({ ...base, ...change });
    expect(s.phase).toBe(phase);
    expect(s.reason).toMatch(reason);
  });
});
