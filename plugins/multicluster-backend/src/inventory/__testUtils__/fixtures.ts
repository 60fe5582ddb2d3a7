/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { DiscoveredCluster } from '@archipelago/multicluster-node';
import type { Classification } from '../../prober/classify';
import type { ClusterListQuery } from '../types';
import type { ProviderRound } from '../merge';

// Inventory test fixtures: discovered clusters, provider rounds, probe outcomes.

const creds = async () => ({ type: 'anonymous' as const });
export const dc = (
  name: string,
  extra: Partial<DiscoveredCluster> = {},
): DiscoveredCluster => ({
  sourceId: name,
  name,
  url: `https://${name}.example.com`,
  credentials: creds,
  cloud: 'aws',
  ...extra,
});
export const ok = (
  provider: string,
  clusters: DiscoveredCluster[],
  complete = true,
): ProviderRound => ({
  provider,
  ok: true,
  clusters,
  complete,
  failedScopes: [],
});
export const order = new Map([
  ['config', 0],
  ['aws', 1],
]);
export const healthy: Classification = {
  health: 'healthy',
  reason: 'API server ready',
  checks: [],
};
export const down: Classification = {
  health: 'unreachable',
  reason: 'connection refused: ECONNREFUSED',
  checks: [],
};
export const q = (extra: Partial<ClusterListQuery> = {}): ClusterListQuery => ({
  limit: 50,
  sort: 'name',
  ...extra,
});
