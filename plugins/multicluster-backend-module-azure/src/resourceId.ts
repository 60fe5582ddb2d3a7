/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/** The parts of an AKS managed cluster's ARM resource id. */
export interface ManagedClusterId {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

const MANAGED_CLUSTER_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)$/i;

/**
 * Parses `/subscriptions/S/resourceGroups/G/providers/Microsoft.ContainerService/managedClusters/N`.
 * ARM ids are case-insensitive, so the subscription comes back lower-cased; the group
 * and name keep their case for API calls.
 */
export function parseManagedClusterId(
  id: string,
): ManagedClusterId | undefined {
  const m = MANAGED_CLUSTER_ID.exec(id);
  if (!m) {
    return undefined;
  }
  return {
    subscriptionId: m[1].toLowerCase(),
    resourceGroup: m[2],
    name: m[3],
  };
}
