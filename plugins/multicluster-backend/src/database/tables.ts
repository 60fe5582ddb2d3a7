/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// The plugin's tables, named once (see migrations/). The inventory's writers
// (discovery, prober) and its read queries share these definitions, as do the
// environments store's parts.

/** One row per cluster: descriptive columns (discovery) and status columns (prober). */
export const TABLE_CLUSTERS = 'multicluster_clusters';
/** One row per cluster label, so selectors and permission conditions are indexed sub-queries. */
export const TABLE_CLUSTER_LABELS = 'multicluster_cluster_labels';
/** Which providers list which cluster. */
export const TABLE_SOURCES = 'multicluster_sources';
/** Probe history. */
export const TABLE_PROBES = 'multicluster_probes';
/** Each provider's last discovery outcome. */
export const TABLE_PROVIDER_RUNS = 'multicluster_provider_runs';
/** Probe rounds: order history and drive pruning. */
export const TABLE_PROBE_ROUNDS = 'multicluster_probe_rounds';
/** The current or last run of each inventory task (discovery, probing), with its heartbeat. */
export const TABLE_TASK_RUNS = 'multicluster_task_runs';
/** Key/value metadata; `revision` changes with every inventory write (ETags). */
export const TABLE_META = 'multicluster_meta';

export const TABLE_ENVIRONMENTS = 'environments';
export const TABLE_ENVIRONMENT_COMPONENTS = 'environment_components';
export const TABLE_ENVIRONMENT_SECRETS = 'environment_secrets';
export const TABLE_ENVIRONMENT_EVENTS = 'environment_events';
/** Every applied (or attempted) change of an environment. */
export const TABLE_ENVIRONMENT_REVISIONS = 'environment_revisions';

/** Row of {@link TABLE_CLUSTERS}. */
export interface DbClusterRow {
  id: string;
  url_key: string;
  name: string;
  title: string;
  url: string;
  cloud: string;
  region: string | null;
  declared_distribution: string | null;
  distribution: string;
  labels: string;
  search_text: string;
  provider_state: string | null;
  provider_state_reason: string | null;
  environment: string | null;
  skip_tls_verify: boolean | number;
  stale: boolean | number;
  last_seen_at: number | string;
  health: string;
  health_rank: number;
  reason: string;
  checks: string;
  version: string | null;
  nodes_ready: number | null;
  nodes_total: number | null;
  allocatable: string | null;
  kubelet_versions: string | null;
  last_probe_at: number | string;
  latency_ms: number | null;
  pending_health: string | null;
  pending_count: number;
  created_at: number | string;
  updated_at: number | string;
}

/** Row of {@link TABLE_SOURCES}. */
export interface DbSourceRow {
  provider: string;
  source_id: string;
  cluster_id: string;
  url_key: string;
  scope: string | null;
  data: string;
  last_seen_at: number | string;
  stale: boolean | number;
}

/** Row of {@link TABLE_ENVIRONMENTS}. */
export interface DbEnvironmentRow {
  name: string;
  type: string;
  cloud: string;
  owner: string;
  created_by: string | null;
  inputs: string;
  request_hash: string;
  plan: string;
  on_failure: string;
  ttl_minutes: number | null;
  expires_at: number | string | null;
  status: string;
  reason: string | null;
  destroy_requested: boolean | number;
  cluster_id: string | null;
  lease_owner: string | null;
  lease_until: number | string;
  created_at: number | string;
  updated_at: number | string;
}

/** Row of {@link TABLE_ENVIRONMENT_COMPONENTS}. */
export interface DbComponentRow {
  environment_name: string;
  key: string;
  position: number;
  kind: string;
  template: string;
  driver: string;
  depends_on: string;
  inputs: string;
  resource_name: string;
  status: string;
  capabilities: string;
  state: string | null;
  error: string | null;
  drift: string | null;
  started_at: number | string | null;
  finished_at: number | string | null;
}

// Column values as SQLite and PostgreSQL return them (booleans as 0/1, bigints as strings).
export const toNumber = (v: unknown): number =>
  v === null || v === undefined ? 0 : Number(v);
export const toOptionalNumber = (v: unknown): number | undefined =>
  v === null || v === undefined ? undefined : Number(v);
export const toBoolean = (v: unknown): boolean =>
  v === true || v === 1 || v === '1' || v === 't' || v === 'true';
export const parseJsonColumn = <T>(v: unknown, fallback: T): T => {
  if (typeof v !== 'string' || v === '') return fallback;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
};
/** Splits writes into batches small enough for every database's parameter limit. */
export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size));
  return out;
}
