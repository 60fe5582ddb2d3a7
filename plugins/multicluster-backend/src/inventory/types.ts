/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  ClusterAllocatable,
  ClusterHealth,
  LabelSelector,
  ProviderState,
} from '@archipelago/multicluster-common';
import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import type { Classification } from '../prober/classify';

/** A permission condition on clusters: has label `key` (with `value`, when given). @public */
export interface ClusterLabelCondition {
  /** The label's key. */
  key: string;
  /** The label's value; any value when omitted. */
  value?: string;
}

/** What a caller may see; undefined means everything. */
export type ClusterAccessFilter =
  | PermissionCriteria<ClusterLabelCondition>
  | undefined;

export const CLUSTER_SORTS = [
  'name',
  'health',
  'cloud',
  'lastProbeAt',
] as const;
export type ClusterSort = (typeof CLUSTER_SORTS)[number];

export interface ClusterListQuery {
  selector?: LabelSelector;
  clouds?: string[];
  healths?: ClusterHealth[];
  q?: string;
  /** Cluster names to match (any of). Combined with selector as a union when both set. */
  names?: string[];
  limit: number;
  cursor?: string;
  sort: ClusterSort;
  /** Direction of the sort (default asc); `desc` reverses every key, ties included. */
  order?: ClusterOrder;
}

/** Directions of `GET /clusters?order=`. */
export const CLUSTER_ORDERS = ['asc', 'desc'] as const;
export type ClusterOrder = (typeof CLUSTER_ORDERS)[number];

/**
 * What a keyset cursor records as its sort: the sort alone when ascending
 * (cursors made before `order` existed stay valid), `<sort>:desc` otherwise.
 */
export function cursorSortKey(sort: ClusterSort, order?: ClusterOrder): string {
  return order === 'desc' ? `${sort}:desc` : sort;
}

/** Everything the prober needs to know of a cluster from the database. */
export interface ProbeTarget {
  id: string;
  urlKey: string;
  name: string;
  url: string;
  declaredDistribution?: string;
  providerState?: ProviderState;
  providerStateReason?: string;
  skipTLSVerify: boolean;
  health: ClusterHealth;
  /** gitVersion from an earlier probe; lets the prober skip /version most rounds. */
  version?: string;
}

/** One probe, ready to store. */
export interface ProbeOutcome {
  id: string;
  at: number;
  latencyMs: number;
  classification: Classification;
  version?: string;
  nodes?: { ready: number; total: number };
  allocatable?: ClusterAllocatable;
  kubeletVersions?: string[];
  detectedDistribution?: string;
}

export interface DiscoveryOutcome {
  added: string[];
  removed: string[];
  updated: string[];
  rejected: Array<{ provider: string; sourceId: string; problem: string }>;
}

/** Options of the read model. */
export interface InventoryQueriesOptions {
  /**
   * A cluster whose last probe is older than this is served as `unknown`
   * (stale, with the reason). Unset: stored health as is.
   */
  staleAfterMs?: number;
  /** The clock; tests pass their own. */
  now?: () => number;
}
