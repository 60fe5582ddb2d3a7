/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  ClusterCredentialsResolver,
  ClusterRole,
  DiscoveredCluster,
} from '@archipelago/multicluster-node';
import type { ProviderState } from '@archipelago/multicluster-common';
import { normaliseServerUrl } from './clusterId';
import { compareSources } from './merge';

/** How to reach a cluster, as the best-ranked provider that lists it says. In memory only. */
export interface ClusterConnection {
  provider: string;
  sourceId: string;
  url: string;
  caData?: string;
  skipTLSVerify: boolean;
  /** Serves every role `roleCredentials` does not name; use `credentialsForRole`. */
  credentials: ClusterCredentialsResolver;
  roleCredentials?: Partial<Record<ClusterRole, ClusterCredentialsResolver>>;
  kubernetesPluginAuth?: {
    authProvider: string;
    metadata?: Record<string, string>;
  };
  providerState?: ProviderState;
}

/**
 * Credentials are never stored: each replica keeps the resolvers from its
 * latest discovery in memory, keyed by normalised API server URL. A provider
 * that failed keeps its last known connections, so a flaky cloud API does not
 * stop probing of clusters it listed before.
 */
export class ConnectionRegistry {
  private byProvider = new Map<
    string,
    Map<string, { sourceId: string; cluster: DiscoveredCluster }>
  >();
  private merged = new Map<string, ClusterConnection>();
  private lastUpdate = 0;

  constructor(private readonly order: () => ReadonlyMap<string, number>) {}

  /** Replaces a provider's connections after a successful discovery. */
  setProviderClusters(
    provider: string,
    clusters: DiscoveredCluster[],
    complete: boolean,
  ) {
    const previous = this.byProvider.get(provider);
    const next = complete || !previous ? new Map() : new Map(previous);
    for (const cluster of clusters) {
      try {
        next.set(
          `${normaliseServerUrl(cluster.url)}\u0000${cluster.sourceId}`,
          {
            sourceId: cluster.sourceId,
            cluster,
          },
        );
      } catch {
        // Invalid URLs are reported by discovery; nothing to connect to.
      }
    }
    this.byProvider.set(provider, next);
  }

  /** Recomputes the best connection per URL; call after a discovery round. */
  commit(now: number = Date.now()) {
    const candidates = new Map<
      string,
      Array<{ provider: string; sourceId: string; cluster: DiscoveredCluster }>
    >();
    for (const [provider, entries] of this.byProvider) {
      for (const [k, { sourceId, cluster }] of entries) {
        const urlKey = k.split('\u0000')[0];
        const list = candidates.get(urlKey) ?? [];
        list.push({ provider, sourceId, cluster });
        candidates.set(urlKey, list);
      }
    }
    const merged = new Map<string, ClusterConnection>();
    const compare = compareSources(this.order());
    for (const [urlKey, list] of candidates) {
      const best = list.sort(compare)[0];
      merged.set(urlKey, {
        provider: best.provider,
        sourceId: best.sourceId,
        url: best.cluster.url,
        caData: best.cluster.caData,
        skipTLSVerify: best.cluster.skipTLSVerify === true,
        credentials: best.cluster.credentials,
        roleCredentials: best.cluster.roleCredentials,
        kubernetesPluginAuth: best.cluster.kubernetesPluginAuth,
        providerState: best.cluster.providerState,
      });
    }
    this.merged = merged;
    this.lastUpdate = now;
  }

  get(urlKey: string): ClusterConnection | undefined {
    return this.merged.get(urlKey);
  }

  /** Epoch ms of the last commit; 0 when this replica never discovered. */
  get updatedAt(): number {
    return this.lastUpdate;
  }

  get size(): number {
    return this.merged.size;
  }
}
