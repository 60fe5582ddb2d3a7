/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ProviderState } from '@archipelago/multicluster-common';

// google.container.v1.Cluster.Status, by name and by number: the REST transport
// returns names, protobuf objects may carry numbers.
const GKE_STATUS_NAMES = [
  'STATUS_UNSPECIFIED',
  'PROVISIONING',
  'RUNNING',
  'RECONCILING',
  'STOPPING',
  'ERROR',
  'DEGRADED',
] as const;

// DEGRADED means the cluster needs user action but still serves: probing says how
// healthy it is, so it counts as active (the reason carries the status message).
const GKE_STATES: Record<string, ProviderState> = {
  PROVISIONING: 'provisioning',
  RUNNING: 'active',
  RECONCILING: 'updating',
  STOPPING: 'deleting',
  ERROR: 'failed',
  DEGRADED: 'active',
};

/** The status name of a GKE cluster, whichever form it came in. */
export function gkeStatusName(
  status: string | number | null | undefined,
): string {
  if (typeof status === 'number') {
    return GKE_STATUS_NAMES[status] ?? 'STATUS_UNSPECIFIED';
  }
  return status || 'STATUS_UNSPECIFIED';
}

/** Folds a GKE cluster status into the inventory's provider state. @public */
export function gkeProviderState(
  status: string | number | null | undefined,
): ProviderState {
  return GKE_STATES[gkeStatusName(status)] ?? 'unknown';
}

/** The human line shown next to the provider state. */
export function gkeProviderStateReason(cluster: {
  status?: string | number | null;
  statusMessage?: string | null;
  currentMasterVersion?: string | null;
}): string {
  const parts = [`GKE status ${gkeStatusName(cluster.status)}`];
  if (cluster.currentMasterVersion) {
    parts.push(`Kubernetes ${cluster.currentMasterVersion}`);
  }
  const text = parts.join(', ');
  return cluster.statusMessage ? `${text}; ${cluster.statusMessage}` : text;
}
