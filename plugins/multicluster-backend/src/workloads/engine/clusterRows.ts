/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { WorkloadClusterStatus } from '@archipelago/multicluster-common';
import type { ClusterRecord } from '../store/records';

const iso = (ms: number | undefined) =>
  ms ? new Date(ms).toISOString() : undefined;

/** A cluster row as `GET /workloads/:name` serves it. */
export function statusOf(row: ClusterRecord): WorkloadClusterStatus {
  const lastSyncAt = iso(row.lastSyncAt);
  const driftAt = iso(row.driftAt);
  return {
    cluster: row.clusterId,
    name: row.clusterName,
    revision: row.revision,
    desiredReplicas: row.desiredReplicas,
    readyReplicas: row.readyReplicas,
    drift: row.drift,
    ...(driftAt ? { driftAt } : {}),
    failedOver: row.failedOver,
    ...(lastSyncAt ? { lastSyncAt } : {}),
    ...(row.error ? { error: row.error } : {}),
  };
}
