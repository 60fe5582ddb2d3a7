/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  CLUSTER_CLOUDS,
  type ClusterCloud,
  teamLabelsFor,
} from '@archipelago/multicluster-common';
import type {
  ClusterDiscoveryResult,
  ClusterProvider,
  DiscoveredCluster,
} from '@archipelago/multicluster-node';
import { redactText } from '../util/redact';
import type { EnvironmentEngine } from './engine';
import type { EnvironmentStore } from './store/EnvironmentStore';

/** Environments whose clusters may exist. */
const LIVE: Array<
  | 'ready'
  | 'provisioning'
  | 'updating'
  | 'failed'
  | 'rolling-back'
  | 'destroying'
> = [
  'ready',
  'provisioning',
  'updating',
  'failed',
  'rolling-back',
  'destroying',
];

/** A label value: at most 63 characters of [A-Za-z0-9._-], alphanumeric at both ends. */
function labelValue(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/**
 * Lists the clusters environments created, so they enter the inventory (and
 * get health, appear on the clusters page and in the Kubernetes plugin). Each
 * environment is a scope: when one driver cannot say how to reach its
 * cluster, the other environments' clusters are still listed and that one is
 * kept, marked stale.
 */
export class EnvironmentClusterProvider implements ClusterProvider {
  constructor(
    private readonly store: EnvironmentStore,
    private readonly engine: EnvironmentEngine,
  ) {}

  getProviderId(): string {
    return 'environments';
  }

  getScope(sourceId: string): string | undefined {
    return sourceId.split('/')[0];
  }

  async discover(
    _options: { signal?: AbortSignal } = {},
  ): Promise<ClusterDiscoveryResult> {
    const clusters: DiscoveredCluster[] = [];
    const failedScopes: Array<{ scope: string; error: string }> = [];
    for (const name of await this.store.listNames(LIVE)) {
      const env = await this.store.get(name);
      if (!env) continue;
      const components = (await this.store.getComponents(name)).filter(
        c =>
          c.kind === 'kubernetes' &&
          (c.status === 'ready' || c.status === 'drifted'),
      );
      for (const c of components) {
        try {
          const capabilities = c.capabilities;
          const access = await this.engine.clusterAccess(name, c.key);
          const cloud: ClusterCloud = (
            CLUSTER_CLOUDS as readonly string[]
          ).includes(env.cloud)
            ? (env.cloud as ClusterCloud)
            : 'other';
          clusters.push({
            sourceId: `${name}/${c.key}`,
            name: String(capabilities.cluster_id),
            title: `${name} (${env.type} on ${env.cloud})`,
            url: access.url,
            caData: access.caData,
            skipTLSVerify: access.skipTLSVerify,
            credentials: access.credentials,
            ...(access.roleCredentials
              ? { roleCredentials: access.roleCredentials }
              : {}),
            cloud,
            region: access.region,
            distribution: access.distribution,
            providerState: access.providerState,
            environment: name,
            labels: {
              'archipelago.dev/environment': labelValue(name),
              'archipelago.dev/environment-type': labelValue(env.type),
              cloud: labelValue(env.cloud),
              // The owning group as the team, namespace included, so team
              // policies match it exactly (a user owner names no team).
              ...teamLabelsFor(env.owner),
            },
          });
        } catch (error) {
          failedScopes.push({
            scope: name,
            error: redactText(String((error as Error)?.message ?? error)),
          });
        }
      }
    }
    return {
      clusters,
      complete: true,
      ...(failedScopes.length ? { failedScopes } : {}),
    };
  }
}
