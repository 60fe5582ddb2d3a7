/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  Cluster,
  ClusterAllocatable,
  ClusterCheck,
  ClusterCloud,
  ClusterSource,
  ClusterStatus,
} from '@archipelago/multicluster-common';
import { parseJsonColumn, toBoolean, toNumber } from '../database/tables';
import type { MergedCluster } from './merge';

/** Milliseconds to ISO text; 0 (never) to undefined. */
export const isoTime = (ms: number): string | undefined =>
  ms > 0 ? new Date(ms).toISOString() : undefined;

/** Lower-case text `q` searches: name, title and labels. */
export function searchText(c: MergedCluster): string {
  const labels = Object.entries(c.labels).map(([k, v]) => `${k}=${v}`);
  return [c.name, c.title, ...labels].join(' ').toLowerCase();
}

/** Escapes LIKE wildcards; used with `escape '\\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, m => `\\${m}`);
}

/**
 * Whether a cluster's last probe is too old to believe: probed once, but not
 * since `staleBefore` (epoch ms). Undefined `staleBefore`: never.
 */
export function isProbeStale(
  lastProbeAt: number,
  staleBefore: number | undefined,
): boolean {
  return (
    staleBefore !== undefined && lastProbeAt > 0 && lastProbeAt < staleBefore
  );
}

/**
 * A clusters row, with its sources, as the REST API serves it. A cluster
 * whose last probe is older than `staleBefore` shows `unknown`, stale, with
 * the reason: no page may show `healthy` for a cluster nobody looks at.
 */
export function rowToCluster(
  r: any,
  sources: ClusterSource[],
  staleBefore?: number,
): Cluster {
  const lastProbeAt = isoTime(toNumber(r.last_probe_at));
  const lastSeenAt = isoTime(toNumber(r.last_seen_at));
  const probeStale = isProbeStale(toNumber(r.last_probe_at), staleBefore);
  const status: ClusterStatus = {
    health: probeStale ? 'unknown' : r.health,
    reason: probeStale
      ? `no probe since ${lastProbeAt}: probe rounds are not running (last seen ${r.health})`
      : r.reason,
    checks: parseJsonColumn<ClusterCheck[]>(r.checks, []),
    stale: probeStale || toBoolean(r.stale),
    ...(r.version ? { version: r.version } : {}),
    ...(r.nodes_total !== null && r.nodes_total !== undefined
      ? {
          nodes: {
            ready: toNumber(r.nodes_ready),
            total: toNumber(r.nodes_total),
          },
        }
      : {}),
    ...(r.allocatable
      ? {
          allocatable: parseJsonColumn<ClusterAllocatable>(r.allocatable, {
            cpu: 0,
            memoryBytes: 0,
            pods: 0,
          }),
        }
      : {}),
    ...(r.kubelet_versions
      ? { kubeletVersions: parseJsonColumn<string[]>(r.kubelet_versions, []) }
      : {}),
    ...(r.provider_state ? { providerState: r.provider_state } : {}),
    ...(lastProbeAt ? { lastProbeAt } : {}),
    ...(lastSeenAt ? { lastSeenAt } : {}),
    ...(toBoolean(r.skip_tls_verify) ? { tlsVerificationDisabled: true } : {}),
    ...(r.latency_ms !== null && r.latency_ms !== undefined
      ? { latencyMs: toNumber(r.latency_ms) }
      : {}),
  };
  return {
    id: r.id,
    name: r.name,
    title: r.title,
    url: r.url,
    cloud: r.cloud as ClusterCloud,
    distribution: r.declared_distribution ?? r.distribution ?? 'unknown',
    ...(r.region ? { region: r.region } : {}),
    labels: parseJsonColumn<Record<string, string>>(r.labels, {}),
    sources,
    ...(r.environment ? { environment: r.environment } : {}),
    status,
  };
}
