/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ProviderState } from '@archipelago/multicluster-common';

// ARM provisioningState of a managed cluster: the state of the last operation.
// AKS reports the operation in progress (Upgrading, Scaling, Starting…) while it runs.
const PROVISIONING_STATES: Record<string, ProviderState> = {
  succeeded: 'active',
  creating: 'provisioning',
  updating: 'updating',
  upgrading: 'updating',
  scaling: 'updating',
  starting: 'updating',
  stopping: 'updating',
  migrating: 'updating',
  reconciling: 'updating',
  deleting: 'deleting',
  failed: 'failed',
};

/**
 * Folds an AKS provisioningState and powerState into the inventory's provider state.
 * A cluster whose last operation succeeded but that is powered off is `stopped`, so
 * the prober does not call it dead. `Canceled` (the last operation was cancelled and
 * the cluster stays as it was) says nothing about the cluster: `unknown`.
 * @public
 */
export function aksProviderState(
  provisioningState: string | undefined,
  powerState: string | undefined,
): ProviderState {
  const state =
    (provisioningState &&
      PROVISIONING_STATES[provisioningState.toLowerCase()]) ||
    'unknown';
  if (
    powerState?.toLowerCase() === 'stopped' &&
    (state === 'active' || state === 'unknown')
  ) {
    return 'stopped';
  }
  return state;
}

/** The human line shown next to the provider state. */
export function aksProviderStateReason(cluster: {
  provisioningState?: string;
  powerState?: { code?: string };
  currentKubernetesVersion?: string;
  kubernetesVersion?: string;
}): string {
  const parts = [
    `AKS provisioningState ${cluster.provisioningState ?? 'unknown'}`,
  ];
  if (cluster.powerState?.code) {
    parts.push(`powerState ${cluster.powerState.code}`);
  }
  const version = cluster.currentKubernetesVersion ?? cluster.kubernetesVersion;
  if (version) {
    parts.push(`Kubernetes ${version}`);
  }
  return parts.join(', ');
}
