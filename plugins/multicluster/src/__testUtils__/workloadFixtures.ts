/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  Workload,
  WorkloadClusterStatus,
  WorkloadEvent,
  WorkloadRevision,
} from '@archipelago/multicluster-common';
import { isoAgo } from './fixtures';

/** One cluster of a workload, ready at revision 3. */
export function makeWorkloadCluster(
  name: string,
  extra: Partial<WorkloadClusterStatus> = {},
): WorkloadClusterStatus {
  return {
    cluster: `id-${name}`,
    name,
    revision: 3,
    desiredReplicas: 6,
    readyReplicas: 6,
    drift: [],
    failedOver: false,
    lastSyncAt: isoAgo(30_000),
    ...extra,
  };
}

/** A workload at revision 3 on two clusters, one of which failed over. */
export function makeWorkload(extra: Partial<Workload> = {}): Workload {
  return {
    name: 'checkout',
    owner: 'group:default/team-a',
    entityRef: 'component:default/payments',
    namespace: 'shop',
    manifests: [],
    placement: { clusterSelector: 'env=production' },
    replicas: {
      totalReplicas: 12,
      preferences: { '*': { weight: 1 } },
      rebalance: true,
    },
    overrides: [],
    rollout: {
      maxConcurrent: 2,
      maxFailures: 0,
      soakSeconds: 0,
      timeoutSeconds: 300,
    },
    failover: { graceSeconds: 60 },
    onClusterRemoved: 'delete',
    revision: 3,
    paused: false,
    createdAt: isoAgo(3_600_000),
    updatedAt: isoAgo(600_000),
    status: {
      phase: 'Degraded',
      reason: 'failed over from eu-2',
      clusters: [
        makeWorkloadCluster('eu-1', {
          desiredReplicas: 12,
          readyReplicas: 11,
          drift: ['Deployment shop/checkout: spec.replicas is 9, want 12'],
          driftAt: isoAgo(120_000),
        }),
        makeWorkloadCluster('eu-2', {
          desiredReplicas: 0,
          readyReplicas: 0,
          revision: 2,
          failedOver: true,
          error: 'connection refused',
        }),
      ],
    },
    ...extra,
  };
}

export const WORKLOAD_EVENTS: WorkloadEvent[] = [
  {
    id: 1,
    at: isoAgo(3_600_000),
    level: 'info',
    message: 'rolling out revision 1',
  },
  {
    id: 2,
    at: isoAgo(300_000),
    level: 'warning',
    cluster: 'eu-2',
    message: 'failed over: eu-2 has been unreachable for 61 s (grace 60 s)',
  },
];

export const WORKLOAD_REVISIONS: WorkloadRevision[] = [
  {
    revision: 3,
    createdAt: isoAgo(600_000),
    createdBy: 'user:default/alice',
    cause: 'updated',
    images: ['acme/checkout:1.3'],
    current: true,
  },
  {
    revision: 2,
    createdAt: isoAgo(1_800_000),
    createdBy: 'user:default/alice',
    cause: 'updated',
    images: ['acme/checkout:1.2'],
    current: false,
  },
];
