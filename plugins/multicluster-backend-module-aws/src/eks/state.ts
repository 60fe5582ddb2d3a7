/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ProviderState } from '@archipelago/multicluster-common';

// EKS ClusterStatus values, see the DescribeCluster API reference. PENDING is what
// EKS reports for a connected (EKS Connector) cluster that has not yet registered.
const EKS_STATES: Record<string, ProviderState> = {
  CREATING: 'provisioning',
  PENDING: 'provisioning',
  ACTIVE: 'active',
  UPDATING: 'updating',
  DELETING: 'deleting',
  FAILED: 'failed',
};

/** Folds an EKS cluster status into the inventory's provider state. @public */
export function eksProviderState(status: string | undefined): ProviderState {
  return (status && EKS_STATES[status]) || 'unknown';
}

/** The human line shown next to the provider state. */
export function eksProviderStateReason(cluster: {
  status?: string;
  version?: string;
  platformVersion?: string;
  health?: { issues?: Array<{ code?: string; message?: string }> };
}): string {
  const parts = [`EKS status ${cluster.status ?? 'unknown'}`];
  if (cluster.version) {
    parts.push(`Kubernetes ${cluster.version}`);
  }
  if (cluster.platformVersion) {
    parts.push(`platform ${cluster.platformVersion}`);
  }
  const issues = (cluster.health?.issues ?? [])
    .map(i => [i.code, i.message].filter(Boolean).join(': '))
    .filter(Boolean);
  const text = parts.join(', ');
  return issues.length ? `${text}; ${issues.join('; ')}` : text;
}
