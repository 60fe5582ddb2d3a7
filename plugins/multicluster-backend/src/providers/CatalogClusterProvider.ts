/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  type ClusterCredentialsResolver,
  type ClusterDiscoveryResult,
  type ClusterProvider,
  type ClusterRole,
  type DiscoveredCluster,
  sharedCredentialRoles,
  warnSharedCredentials,
} from '@archipelago/multicluster-node';
import type { ClusterCloud } from '@archipelago/multicluster-common';
import type { CatalogProviderConfig } from '../config';

/** Annotations Backstage's Kubernetes catalog locator and its EKS/GKE modules use. */
export const ANNOTATION_API_SERVER = 'kubernetes.io/api-server';
export const ANNOTATION_API_SERVER_CA =
  'kubernetes.io/api-server-certificate-authority';
export const ANNOTATION_AUTH_PROVIDER = 'kubernetes.io/auth-provider';
export const ANNOTATION_SKIP_TLS_VERIFY = 'kubernetes.io/skip-tls-verify';
/** Set by catalog-backend-module-multicluster on the entities it publishes. */
export const ANNOTATION_CLUSTER_ID = 'archipelago.dev/cluster-id';

function decodeCa(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (trimmed.startsWith('-----BEGIN')) return trimmed;
  return Buffer.from(trimmed, 'base64').toString('utf8');
}

function cloudOf(entity: Entity, url: string): ClusterCloud {
  const keys = Object.keys(entity.metadata.annotations ?? {});
  if (
    keys.some(k => k.startsWith('amazonaws.com/')) ||
    /\.eks\.amazonaws\.com$/.test(hostOf(url))
  )
    return 'aws';
  if (
    keys.some(
      k => k.startsWith('azure.com/') || k.startsWith('azure.microsoft.com/'),
    ) ||
    /\.azmk8s\.io$/.test(hostOf(url))
  ) {
    return 'azure';
  }
  if (
    keys.some(
      k => k.startsWith('google.com/') || k.startsWith('cloud.google.com/'),
    )
  )
    return 'gcp';
  return 'other';
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/** Maps a catalog Resource (spec.type kubernetes-cluster) to a discovered cluster, or a reason it cannot. */
export function clusterFromEntity(
  entity: Entity,
  config: CatalogProviderConfig,
): DiscoveredCluster | { skip: string } {
  const annotations = entity.metadata.annotations ?? {};
  if (annotations[ANNOTATION_CLUSTER_ID]) {
    // Published by our own catalog module: reading it back would keep it alive forever.
    return { skip: 'published by the multicluster catalog module' };
  }
  const url = annotations[ANNOTATION_API_SERVER];
  if (!url) return { skip: `no ${ANNOTATION_API_SERVER} annotation` };
  const ns = entity.metadata.namespace ?? 'default';
  const bearer =
    (token: string | undefined): ClusterCredentialsResolver =>
    async () =>
      token ? { type: 'bearer', token } : { type: 'anonymous' };
  const roleCredentials: Partial<
    Record<ClusterRole, ClusterCredentialsResolver>
  > = {};
  for (const [role, token] of Object.entries(config.credentials ?? {})) {
    if (token) roleCredentials[role as ClusterRole] = bearer(token);
  }
  const labels: Record<string, string> = { ...config.labels };
  for (const [k, v] of Object.entries(entity.metadata.labels ?? {}))
    labels[k] = v;
  const authProvider = annotations[ANNOTATION_AUTH_PROVIDER];
  return {
    sourceId: `resource:${ns}/${entity.metadata.name}`,
    name: entity.metadata.name,
    title: entity.metadata.title,
    url,
    caData: decodeCa(annotations[ANNOTATION_API_SERVER_CA]),
    skipTLSVerify: annotations[ANNOTATION_SKIP_TLS_VERIFY] === 'true',
    credentials: bearer(config.token),
    roleCredentials,
    ...(authProvider ? { kubernetesPluginAuth: { authProvider } } : {}),
    cloud: cloudOf(entity, url),
    region:
      annotations['amazonaws.com/region'] ?? annotations['google.com/location'],
    labels,
  };
}

/**
 * Clusters registered in the catalog as `Resource` entities of type
 * `kubernetes-cluster`, as Backstage's EKS and GKE catalog modules emit them.
 * Read through the catalog service with this plugin's service credentials.
 */
export class CatalogClusterProvider implements ClusterProvider {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      config: CatalogProviderConfig;
      logger?: LoggerService;
    },
  ) {
    const { config, logger } = deps;
    if (
      logger &&
      config.token &&
      sharedCredentialRoles(config.credentials).length > 1
    ) {
      warnSharedCredentials(logger, {
        configKey: 'multicluster.providers.catalog',
        subjects: ['catalog clusters'],
        roles: sharedCredentialRoles(config.credentials),
        hint: 'Give each role its own token: credentials: { probe, view, deploy }.',
      });
    }
  }

  getProviderId(): string {
    return 'catalog';
  }

  async discover(): Promise<ClusterDiscoveryResult> {
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const { items } = await this.deps.catalog.getEntities(
      {
        filter: { kind: 'Resource', 'spec.type': 'kubernetes-cluster' },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'metadata.labels',
          'metadata.annotations',
          'spec.type',
        ],
      },
      { credentials },
    );
    const clusters: DiscoveredCluster[] = [];
    for (const entity of items) {
      const cluster = clusterFromEntity(entity, this.deps.config);
      if (!('skip' in cluster)) clusters.push(cluster);
    }
    return { clusters, complete: true };
  }
}
