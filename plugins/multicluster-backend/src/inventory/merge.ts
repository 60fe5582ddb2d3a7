/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  ClusterCloud,
  ProviderState,
} from '@archipelago/multicluster-common';
import type { DiscoveredCluster } from '@archipelago/multicluster-node';
import { clusterIdFor, normaliseServerUrl } from './clusterId';
import { redactUrl } from '../util/redact';

/** The non-secret facts one provider states about a cluster; stored per source. */
export interface SourceData {
  name: string;
  title?: string;
  url: string;
  cloud: ClusterCloud;
  region?: string;
  distribution?: string;
  labels: Record<string, string>;
  providerState?: ProviderState;
  providerStateReason?: string;
  environment?: string;
  skipTLSVerify: boolean;
}

export interface SourceRecord {
  provider: string;
  sourceId: string;
  clusterId: string;
  urlKey: string;
  scope?: string;
  lastSeenAt: number;
  stale: boolean;
  data: SourceData;
}

/** What the inventory knows of a cluster apart from its probed status. */
export interface MergedCluster {
  id: string;
  urlKey: string;
  name: string;
  title: string;
  url: string;
  cloud: ClusterCloud;
  region?: string;
  /** Distribution a provider declared; the prober's detection fills in otherwise. */
  declaredDistribution?: string;
  labels: Record<string, string>;
  providerState?: ProviderState;
  providerStateReason?: string;
  environment?: string;
  skipTLSVerify: boolean;
  stale: boolean;
  lastSeenAt: number;
}

/** One provider's round, as input to {@link planDiscovery}. */
export type ProviderRound =
  | {
      provider: string;
      ok: true;
      clusters: DiscoveredCluster[];
      complete: boolean;
      failedScopes: string[];
      getScope?: (sourceId: string) => string | undefined;
    }
  | { provider: string; ok: false; error: string };

export interface DiscoveryPlan {
  sources: SourceRecord[];
  clusters: MergedCluster[];
  /** Ids of clusters no provider lists any more. */
  removedClusterIds: string[];
  /** Discovered entries that were ignored, with why (bad URL…). */
  rejected: Array<{ provider: string; sourceId: string; problem: string }>;
}

const MAX_LABEL_VALUE = 63;

/** Source data from a provider's DiscoveredCluster; trims what the API never shows. */
export function sourceDataOf(cluster: DiscoveredCluster): SourceData {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(cluster.labels ?? {})) {
    if (typeof v === 'string') labels[k] = v.slice(0, MAX_LABEL_VALUE);
  }
  return {
    name: cluster.name,
    title: cluster.title,
    // Userinfo in a URL is a credential; it never reaches the database or the API.
    url: redactUrl(cluster.url),
    cloud: cluster.cloud,
    region: cluster.region,
    distribution: cluster.distribution,
    labels,
    providerState: cluster.providerState,
    providerStateReason: cluster.providerStateReason,
    environment: cluster.environment,
    skipTLSVerify: cluster.skipTLSVerify === true,
  };
}

/** Orders sources by provider priority (registration order), then ids, for deterministic merges. */
export function compareSources(order: ReadonlyMap<string, number>) {
  const rank = (p: string) => order.get(p) ?? Number.MAX_SAFE_INTEGER;
  return (
    a: { provider: string; sourceId: string },
    b: { provider: string; sourceId: string },
  ) =>
    rank(a.provider) - rank(b.provider) ||
    a.provider.localeCompare(b.provider) ||
    a.sourceId.localeCompare(b.sourceId);
}

/**
 * Merges the sources of one cluster. The highest-priority source names the
 * cluster and says how to reach it; labels are a union where higher priority
 * wins on a conflict; a cluster is stale only when every source is.
 */
export function mergeSources(
  id: string,
  sources: SourceRecord[],
  order: ReadonlyMap<string, number>,
): MergedCluster {
  const sorted = [...sources].sort(compareSources(order));
  const first = sorted[0];
  const labels: Record<string, string> = {};
  for (const s of [...sorted].reverse()) Object.assign(labels, s.data.labels);
  const pick = <K extends keyof SourceData>(key: K) =>
    sorted.map(s => s.data[key]).find(v => v !== undefined && v !== '') as
      | SourceData[K]
      | undefined;
  return {
    id,
    urlKey: first.urlKey,
    name: first.data.name,
    title: first.data.title ?? first.data.name,
    url: first.data.url,
    cloud:
      sorted.map(s => s.data.cloud).find(c => c && c !== 'other') ?? 'other',
    region: pick('region'),
    declaredDistribution: pick('distribution'),
    labels,
    providerState: pick('providerState'),
    providerStateReason: pick('providerStateReason'),
    environment: pick('environment'),
    skipTLSVerify: first.data.skipTLSVerify,
    stale: sorted.every(s => s.stale),
    lastSeenAt: Math.max(...sorted.map(s => s.lastSeenAt)),
  };
}

/**
 * Computes the inventory after one discovery round. Pure; the store writes the
 * difference. Rules:
 * - A failed provider keeps every cluster it listed, marked stale.
 * - A complete answer removes what the provider no longer lists, except in a
 *   failed scope, whose clusters stay, stale.
 * - A partial answer only adds and updates.
 * - One API server URL is one cluster; each provider listing it is a source.
 * - A cluster keeps the id it was first given (`existingIds`).
 */
export function planDiscovery(input: {
  existingSources: SourceRecord[];
  /** urlKey → id of clusters already stored. */
  existingIds: ReadonlyMap<string, string>;
  rounds: ProviderRound[];
  providerOrder: ReadonlyMap<string, number>;
  now: number;
}): DiscoveryPlan {
  const key = (provider: string, sourceId: string) =>
    `${provider}\u0000${sourceId}`;
  const sources = new Map<string, SourceRecord>();
  for (const s of input.existingSources)
    sources.set(key(s.provider, s.sourceId), s);
  const idByUrl = new Map(input.existingIds);
  const rejected: DiscoveryPlan['rejected'] = [];
  const previousClusterIds = new Set(input.existingIds.values());
  for (const s of input.existingSources) previousClusterIds.add(s.clusterId);

  for (const round of input.rounds) {
    const own = [...sources.values()].filter(
      s => s.provider === round.provider,
    );
    if (!round.ok) {
      for (const s of own)
        sources.set(key(s.provider, s.sourceId), { ...s, stale: true });
      continue;
    }
    const failed = new Set(round.failedScopes);
    const listed = new Set<string>();
    // A provider listing one URL under two source ids is legal (two contexts, one server).
    for (const cluster of round.clusters) {
      let urlKey: string;
      try {
        urlKey = normaliseServerUrl(cluster.url);
      } catch (e) {
        rejected.push({
          provider: round.provider,
          sourceId: cluster.sourceId,
          problem: (e as Error).message,
        });
        continue;
      }
      if (listed.has(cluster.sourceId)) {
        rejected.push({
          provider: round.provider,
          sourceId: cluster.sourceId,
          problem: 'duplicate sourceId in one answer',
        });
        continue;
      }
      listed.add(cluster.sourceId);
      let id = idByUrl.get(urlKey);
      if (!id) {
        id = clusterIdFor(cluster.name, urlKey);
        idByUrl.set(urlKey, id);
      }
      sources.set(key(round.provider, cluster.sourceId), {
        provider: round.provider,
        sourceId: cluster.sourceId,
        clusterId: id,
        urlKey,
        scope: round.getScope?.(cluster.sourceId),
        lastSeenAt: input.now,
        stale: false,
        data: sourceDataOf(cluster),
      });
    }
    for (const s of own) {
      if (listed.has(s.sourceId)) continue;
      const k = key(s.provider, s.sourceId);
      if (s.scope !== undefined && failed.has(s.scope)) {
        sources.set(k, { ...s, stale: true });
      } else if (round.complete) {
        sources.delete(k);
      }
    }
  }

  const byCluster = new Map<string, SourceRecord[]>();
  for (const s of sources.values()) {
    const list = byCluster.get(s.clusterId);
    if (list) list.push(s);
    else byCluster.set(s.clusterId, [s]);
  }
  const clusters = [...byCluster.entries()].map(([id, list]) =>
    mergeSources(id, list, input.providerOrder),
  );
  const removedClusterIds = [...previousClusterIds].filter(
    id => !byCluster.has(id),
  );
  return {
    sources: [...sources.values()],
    clusters,
    removedClusterIds,
    rejected,
  };
}
