/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  ContainerServiceClient,
  type ContainerServiceClientOptionalParams,
  type ManagedCluster,
} from '@azure/arm-containerservice';
import type { TokenCredential } from '@azure/identity';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  CLUSTER_ROLES,
  type ClusterCredentials,
  type ClusterCredentialsResolver,
  type ClusterDiscoveryResult,
  type ClusterProvider,
  type ClusterRole,
  type DiscoveredCluster,
  mapWithConcurrency,
  sharedCredentialRoles,
  warnSharedCredentials,
  describeError,
  tagsToLabels,
  pendingUrl,
} from '@archipelago/multicluster-node';
import { type AzureProviderConfig, readAzureConfig } from './config';
import { createAzureCredential, createEntraIdResolver } from './credentials';
import { readKubeconfigAuth } from './kubeconfig';
import { parseManagedClusterId } from './resourceId';
import { aksProviderState, aksProviderStateReason } from './state';

/** Labels the provider sets on every cluster, next to the cluster's tags. @public */
export const AZURE_LABELS = {
  subscription: 'archipelago.dev/azure-subscription',
  resourceGroup: 'archipelago.dev/azure-resource-group',
  kubernetesVersion: 'archipelago.dev/kubernetes-version',
} as const;

// A bound on pages keeps a nextLink that never ends from looping forever.
const MAX_PAGES = 1000;
const CA_CONCURRENCY = 4;
// The cluster CA changes only on certificate rotation; re-read it hourly.
const CA_TTL_MS = 60 * 60_000;
// Cluster user credentials of local accounts are long-lived; re-read them now and then
// so that a rotation is picked up.
const USER_CREDENTIALS_TTL_MS = 10 * 60_000;

/** Options of {@link AzureAksClusterProvider}. @public */
export interface AzureAksClusterProviderOptions {
  /** The config entry this provider discovers. */
  entry: AzureProviderConfig;
  /** Logger; the provider adds its id. */
  logger: LoggerService;
  /** Overrides the entry's credential (service principal or DefaultAzureCredential). */
  credential?: TokenCredential;
  /** Extra ARM client options (an http client, TLS settings), for tests and proxies. */
  clientOptions?: ContainerServiceClientOptionalParams;
}

interface Scope {
  scope: string;
  subscriptionId: string;
  resourceGroup?: string;
}

/**
 * Discovers AKS managed clusters in the subscriptions (and optionally resource groups)
 * of one config entry. Each subscription, or subscription/resource group, is a scope.
 * @public
 */
export class AzureAksClusterProvider implements ClusterProvider {
  /** One provider per entry of `multicluster.providers.azure`. */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): AzureAksClusterProvider[] {
    return readAzureConfig(config).map(
      entry => new AzureAksClusterProvider({ entry, logger: options.logger }),
    );
  }

  private readonly entry: AzureProviderConfig;
  private readonly logger: LoggerService;
  private readonly credential: TokenCredential;
  private readonly clientOptions?: ContainerServiceClientOptionalParams;
  private readonly clients = new Map<string, ContainerServiceClient>();
  private readonly entraId: ClusterCredentialsResolver;
  /** Entra ID tokens of the cluster roles that have their own identity. */
  private readonly roleEntraId: Partial<
    Record<ClusterRole, ClusterCredentialsResolver>
  > = {};
  private readonly caCache = new Map<string, { caData?: string; at: number }>();
  private readonly userResolvers = new Map<
    string,
    ClusterCredentialsResolver
  >();

  constructor(options: AzureAksClusterProviderOptions) {
    this.entry = options.entry;
    this.logger = options.logger.child({ provider: this.getProviderId() });
    this.credential =
      options.credential ?? createAzureCredential(options.entry);
    this.clientOptions = options.clientOptions;
    // One token serves every cluster: the AKS server application is the same for all.
    this.entraId = createEntraIdResolver(
      this.credential,
      options.entry.serverScope,
    );
    for (const role of CLUSTER_ROLES) {
      const identity = options.entry.clusterIdentities?.[role];
      if (identity) {
        this.roleEntraId[role] = createEntraIdResolver(
          // The role's own: its secret, or none (a managed identity), never the entry's.
          createAzureCredential({
            ...options.entry,
            tenantId: identity.tenantId ?? options.entry.tenantId,
            clientId: identity.clientId,
            clientSecret: identity.clientSecret,
          }),
          options.entry.serverScope,
        );
      }
    }
    const shared = sharedCredentialRoles(options.entry.clusterIdentities);
    if (shared.length > 1) {
      warnSharedCredentials(this.logger, {
        configKey: `multicluster.providers.azure.${options.entry.id}`,
        subjects: ['its AKS clusters'],
        roles: shared,
        hint: 'Give each role its own Entra ID identity (clusterIdentities: { probe, view, deploy }) with Azure RBAC roles (view: Azure Kubernetes Service RBAC Reader).',
      });
    }
  }

  /** `azure-aks:<entry id>`. */
  getProviderId(): string {
    return `azure-aks:${this.entry.id}`;
  }

  /** `subscription` or `subscription/resourceGroup`, as configured. */
  getScope(sourceId: string): string | undefined {
    const id = parseManagedClusterId(sourceId);
    if (!id) return undefined;
    const sub = this.entry.subscriptions.find(
      s => s.subscriptionId === id.subscriptionId,
    );
    if (!sub) return undefined;
    if (!sub.resourceGroups) return sub.subscriptionId;
    const rg = sub.resourceGroups.find(
      g => g.toLowerCase() === id.resourceGroup.toLowerCase(),
    );
    return rg ? `${sub.subscriptionId}/${rg}` : undefined;
  }

  /** Lists the AKS clusters of every configured subscription (and resource group); each is a scope that can fail alone. */
  async discover(options: {
    signal?: AbortSignal;
  }): Promise<ClusterDiscoveryResult> {
    const scopes: Scope[] = this.entry.subscriptions.flatMap(s =>
      s.resourceGroups
        ? s.resourceGroups.map(rg => ({
            scope: `${s.subscriptionId}/${rg}`,
            subscriptionId: s.subscriptionId,
            resourceGroup: rg,
          }))
        : [{ scope: s.subscriptionId, subscriptionId: s.subscriptionId }],
    );
    const results = await Promise.all(
      scopes.map(async scope => {
        try {
          return {
            scope,
            clusters: await this.listScope(scope, options.signal),
          };
        } catch (error) {
          return { scope, error: describeError(error) };
        }
      }),
    );

    const managed: Array<{ cluster: ManagedCluster; subscriptionId: string }> =
      [];
    const failedScopes: Array<{ scope: string; error: string }> = [];
    for (const r of results) {
      if (r.clusters) {
        managed.push(
          ...r.clusters.map(cluster => ({
            cluster,
            subscriptionId: r.scope.subscriptionId,
          })),
        );
      } else {
        this.logger.warn(
          `AKS discovery failed for ${r.scope.scope}: ${r.error}`,
        );
        failedScopes.push({
          scope: r.scope.scope,
          error: r.error ?? 'unknown error',
        });
      }
    }
    options.signal?.throwIfAborted();

    const clusters = (
      await mapWithConcurrency(managed, CA_CONCURRENCY, m =>
        this.toDiscoveredCluster(m.cluster, m.subscriptionId, options.signal),
      )
    ).filter((c): c is DiscoveredCluster => !!c);

    if (failedScopes.length === 0) {
      const live = new Set(clusters.map(c => c.sourceId));
      for (const map of [this.caCache, this.userResolvers]) {
        for (const id of map.keys()) if (!live.has(id)) map.delete(id);
      }
    }
    return failedScopes.length
      ? { clusters, complete: false, failedScopes }
      : { clusters, complete: true };
  }

  private client(subscriptionId: string): ContainerServiceClient {
    let client = this.clients.get(subscriptionId);
    if (!client) {
      const endpoint = this.entry.endpoint?.replace(/\/+$/, '');
      client = new ContainerServiceClient(this.credential, subscriptionId, {
        ...this.clientOptions,
        // A sovereign cloud's ARM endpoint is also its token audience.
        ...(endpoint
          ? {
              endpoint,
              credentials: { scopes: [`${new URL(endpoint).origin}/.default`] },
            }
          : {}),
        // ARM throttles with 429 and Retry-After; the SDK's retry policy honours both and
        // backs off exponentially on transient failures.
        retryOptions: {
          maxRetries: this.entry.maxRetries,
          ...this.clientOptions?.retryOptions,
        },
      });
      this.clients.set(subscriptionId, client);
    }
    return client;
  }

  private async listScope(
    scope: Scope,
    signal?: AbortSignal,
  ): Promise<ManagedCluster[]> {
    const client = this.client(scope.subscriptionId);
    const iterator = scope.resourceGroup
      ? client.managedClusters.listByResourceGroup(scope.resourceGroup, {
          abortSignal: signal,
        })
      : client.managedClusters.list({ abortSignal: signal });
    const clusters: ManagedCluster[] = [];
    let pages = 0;
    for await (const page of iterator.byPage()) {
      clusters.push(...page);
      if (++pages >= MAX_PAGES) {
        throw new Error(
          `the managed cluster list returned more than ${MAX_PAGES} pages`,
        );
      }
    }
    return clusters;
  }

  private async toDiscoveredCluster(
    cluster: ManagedCluster,
    subscriptionId: string,
    signal?: AbortSignal,
  ): Promise<DiscoveredCluster | undefined> {
    const id = cluster.id ? parseManagedClusterId(cluster.id) : undefined;
    if (!id || !cluster.name) {
      return undefined;
    }
    const sourceId = cluster.id!;
    const host =
      this.entry.preferPrivateFqdn && cluster.privateFqdn
        ? cluster.privateFqdn
        : cluster.fqdn ?? cluster.privateFqdn;

    const { labels: tagLabels, skipped } = tagsToLabels(cluster.tags);
    if (skipped.length) {
      this.logger.debug(
        `AKS cluster ${sourceId}: tags that are not valid label keys/values were left out: ${skipped.join(
          ', ',
        )}`,
      );
    }
    const labels: Record<string, string> = {
      ...tagLabels,
      ...this.entry.labels,
      ...validLabels({
        [AZURE_LABELS.subscription]: subscriptionId,
        [AZURE_LABELS.resourceGroup]: id.resourceGroup,
        [AZURE_LABELS.kubernetesVersion]:
          cluster.currentKubernetesVersion ?? cluster.kubernetesVersion,
      }),
    };

    const useEntraId =
      this.entry.clusterAuth === 'entraId' ||
      (this.entry.clusterAuth === 'auto' && !!cluster.aadProfile);
    const credentials = useEntraId
      ? this.entraId
      : this.userResolver(sourceId, id);
    // Local accounts have one identity; Entra ID clusters one per configured role.
    const roleCredentials = useEntraId ? this.roleEntraId : {};

    return {
      sourceId,
      name: cluster.name,
      // A cluster that is still being created may have no FQDN yet.
      url: host ? `https://${host}:443` : pendingUrl('aks', sourceId),
      caData: await this.caData(cluster, sourceId, signal),
      credentials,
      roleCredentials,
      // Backstage's `azure` strategy gets the same AKS server token from the backend's
      // identity; `aks` uses the signed-in user's token. Local accounts have neither.
      // With a view identity of its own, `azure` gives way to that identity's token;
      // `aks` (the signed-in user's own token) stays.
      kubernetesPluginAuth:
        useEntraId &&
        !(
          roleCredentials.view &&
          this.entry.kubernetesPluginAuthProvider === 'azure'
        )
          ? { authProvider: this.entry.kubernetesPluginAuthProvider }
          : undefined,
      cloud: 'azure',
      region: cluster.location,
      distribution: 'aks',
      labels,
      providerState: aksProviderState(
        cluster.provisioningState,
        cluster.powerState?.code,
      ),
      providerStateReason: aksProviderStateReason(cluster),
    };
  }

  /**
   * The API server CA is not part of the managed cluster resource; it comes with the
   * cluster user kubeconfig. Read it once an hour per cluster; when that is not
   * allowed or the cluster is not ready, go without (TLS then fails visibly).
   */
  private async caData(
    cluster: ManagedCluster,
    sourceId: string,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const cached = this.caCache.get(sourceId);
    if (cached && Date.now() - cached.at < CA_TTL_MS) {
      return cached.caData;
    }
    const state = aksProviderState(
      cluster.provisioningState,
      cluster.powerState?.code,
    );
    if (
      state === 'provisioning' ||
      state === 'stopped' ||
      state === 'deleting'
    ) {
      return cached?.caData;
    }
    try {
      const auth = await this.readUserKubeconfig(
        parseManagedClusterId(sourceId)!,
        signal,
      );
      this.caCache.set(sourceId, { caData: auth.caData, at: Date.now() });
      return auth.caData;
    } catch (error) {
      this.logger.debug(
        `AKS cluster ${sourceId}: could not read its CA: ${describeError(
          error,
        )}`,
      );
      return cached?.caData;
    }
  }

  private async readUserKubeconfig(
    id: { subscriptionId: string; resourceGroup: string; name: string },
    signal?: AbortSignal,
  ) {
    const result = await this.client(
      id.subscriptionId,
    ).managedClusters.listClusterUserCredentials(id.resourceGroup, id.name, {
      abortSignal: signal,
    });
    const value = result.kubeconfigs?.[0]?.value;
    if (!value) {
      throw new Error('listClusterUserCredentials returned no kubeconfig');
    }
    return readKubeconfigAuth(Buffer.from(value).toString('utf8'));
  }

  /** Cluster user credentials (local accounts), cached for a while. */
  private userResolver(
    sourceId: string,
    id: { subscriptionId: string; resourceGroup: string; name: string },
  ): ClusterCredentialsResolver {
    let resolver = this.userResolvers.get(sourceId);
    if (!resolver) {
      let cached: { credentials: ClusterCredentials; at: number } | undefined;
      resolver = async options => {
        if (cached && Date.now() - cached.at < USER_CREDENTIALS_TTL_MS) {
          return cached.credentials;
        }
        const auth = await this.readUserKubeconfig(id, options?.signal);
        if (!auth.credentials) {
          throw new Error(
            auth.usesExecPlugin
              ? `AKS cluster ${id.name} uses Entra ID (its kubeconfig runs kubelogin); set clusterAuth to entraId or auto`
              : `AKS cluster ${id.name}: the cluster user kubeconfig has no token or client certificate`,
          );
        }
        cached = { credentials: auth.credentials, at: Date.now() };
        return auth.credentials;
      };
      this.userResolvers.set(sourceId, resolver);
    }
    return resolver;
  }
}

function validLabels(
  values: Record<string, string | undefined>,
): Record<string, string> {
  return tagsToLabels(values).labels;
}
