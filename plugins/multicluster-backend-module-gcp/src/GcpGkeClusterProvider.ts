/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ClusterManagerClient, type protos } from '@google-cloud/container';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  type ClusterCredentialsResolver,
  type ClusterDiscoveryResult,
  type ClusterProvider,
  type DiscoveredCluster,
  decodeCaBundle,
  describeError,
  tagsToLabels,
  pendingUrl,
  warnSharedCredentials,
} from '@archipelago/multicluster-node';
import { type GcpProviderConfig, readGcpConfig } from './config';
import { CLOUD_PLATFORM_SCOPE, createGoogleTokenResolver } from './credentials';
import { gkeProviderState, gkeProviderStateReason } from './state';

type GkeCluster = protos.google.container.v1.ICluster;
/**
 * Options of the GKE `ClusterManagerClient`.
 * @public
 */
export type GkeClientOptions = NonNullable<
  ConstructorParameters<typeof ClusterManagerClient>[0]
>;

/**
 * Retries of listClusters. The client's defaults retry only DEADLINE_EXCEEDED and
 * UNAVAILABLE; GKE throttles with RESOURCE_EXHAUSTED (HTTP 429), which is retried
 * too, with exponential backoff, within a bound that keeps a discovery round short.
 */
export const GKE_LIST_RETRY = {
  // google.rpc.Code DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE
  retryCodes: [4, 8, 14],
  backoffSettings: {
    initialRetryDelayMillis: 500,
    retryDelayMultiplier: 2,
    maxRetryDelayMillis: 10_000,
    initialRpcTimeoutMillis: 20_000,
    rpcTimeoutMultiplier: 1,
    maxRpcTimeoutMillis: 20_000,
    totalTimeoutMillis: 60_000,
  },
};

/** Labels the provider sets on every cluster, next to its resource labels. @public */
export const GCP_LABELS = {
  project: 'archipelago.dev/gcp-project',
  kubernetesVersion: 'archipelago.dev/kubernetes-version',
} as const;

/** Options of {@link GcpGkeClusterProvider}. @public */
export interface GcpGkeClusterProviderOptions {
  /** The config entry this provider discovers. */
  entry: GcpProviderConfig;
  /** Logger; the provider adds its id. */
  logger: LoggerService;
  /** Overrides the entry's credentials (key JSON or Application Default Credentials). */
  authClient?: GkeClientOptions['authClient'];
}

/**
 * An injected client, else the entry's key or external-account JSON, else
 * Application Default Credentials (workload identity, metadata server, gcloud).
 */
function authOptions(options: GcpGkeClusterProviderOptions): GkeClientOptions {
  if (options.authClient) {
    return { authClient: options.authClient };
  }
  if (options.entry.credentials) {
    return { credentials: JSON.parse(options.entry.credentials) };
  }
  return {};
}

/** Client options that point the REST transport at an endpoint override. */
function endpointOptions(endpoint: string | undefined): GkeClientOptions {
  if (!endpoint) {
    return {};
  }
  const url = new URL(endpoint);
  const protocol = url.protocol.replace(':', '');
  const defaultPort = protocol === 'http' ? 80 : 443;
  return {
    apiEndpoint: url.hostname,
    port: url.port ? Number(url.port) : defaultPort,
    protocol,
  };
}

const SOURCE_ID = /^projects\/([^/]+)\/locations\/([^/]+)\/clusters\/([^/]+)$/;

/**
 * Discovers GKE clusters in the projects and locations of one config entry. Each
 * configured project/location pair (`my-project/-` for all locations) is a scope.
 * @public
 */
export class GcpGkeClusterProvider implements ClusterProvider {
  /** One provider per entry of `multicluster.providers.gcp`. */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): GcpGkeClusterProvider[] {
    return readGcpConfig(config).map(
      entry => new GcpGkeClusterProvider({ entry, logger: options.logger }),
    );
  }

  private readonly entry: GcpProviderConfig;
  private readonly logger: LoggerService;
  private readonly client: ClusterManagerClient;
  private readonly credentials: ClusterCredentialsResolver;

  constructor(options: GcpGkeClusterProviderOptions) {
    this.entry = options.entry;
    this.logger = options.logger.child({ provider: this.getProviderId() });
    // HTTP/JSON (the client's REST "fallback") rather than gRPC: one transport that
    // works through HTTP proxies and against the endpoint override alike.
    this.client = new ClusterManagerClient({
      fallback: true,
      scopes: [CLOUD_PLATFORM_SCOPE],
      ...authOptions(options),
      ...endpointOptions(options.entry.endpoint),
    });
    // One token serves every cluster the identity may reach.
    this.credentials = createGoogleTokenResolver(this.client.auth);
    // That one identity is also every cluster role's: say so once, at startup.
    warnSharedCredentials(this.logger, {
      configKey: `multicluster.providers.gcp.${options.entry.id}`,
      subjects: ['its GKE clusters'],
      hint: 'Grant its service account only roles/container.viewer where the portal only reads, and use kubernetesPluginAuthProvider: google so that the Kubernetes plugin acts with the signed-in user’s own Google identity.',
    });
  }

  /** `gcp-gke:<entry id>`. */
  getProviderId(): string {
    return `gcp-gke:${this.entry.id}`;
  }

  /** The configured project/location pair that lists a cluster. */
  getScope(sourceId: string): string | undefined {
    const m = SOURCE_ID.exec(sourceId);
    if (!m) return undefined;
    const [, projectId, location] = m;
    const project = this.entry.projects.find(p => p.projectId === projectId);
    if (!project) return undefined;
    if (project.locations.includes(location)) return `${projectId}/${location}`;
    if (project.locations.includes('-')) return `${projectId}/-`;
    return undefined;
  }

  /** Lists the clusters of every configured project and location; each pair is a scope that can fail alone. */
  async discover(options: {
    signal?: AbortSignal;
  }): Promise<ClusterDiscoveryResult> {
    const scopes = this.entry.projects.flatMap(p =>
      p.locations.map(location => ({ projectId: p.projectId, location })),
    );
    const clusters: DiscoveredCluster[] = [];
    const failedScopes: Array<{ scope: string; error: string }> = [];

    await Promise.all(
      scopes.map(async ({ projectId, location }) => {
        const scope = `${projectId}/${location}`;
        try {
          const [response] = await this.listClusters(
            projectId,
            location,
            options.signal,
          );
          for (const cluster of response.clusters ?? []) {
            const discovered = this.toDiscoveredCluster(cluster, projectId);
            if (discovered) clusters.push(discovered);
          }
          // With location `-`, zones that did not answer are named here; the listing
          // is then incomplete and the scope's unlisted clusters must be kept.
          if (response.missingZones?.length) {
            const error = `zones did not answer: ${response.missingZones.join(
              ', ',
            )}`;
            this.logger.warn(
              `GKE discovery for ${scope} is incomplete: ${error}`,
            );
            failedScopes.push({ scope, error });
          }
        } catch (error) {
          const message = describeError(error);
          this.logger.warn(`GKE discovery failed for ${scope}: ${message}`);
          failedScopes.push({ scope, error: message });
        }
      }),
    );
    options.signal?.throwIfAborted();
    clusters.sort((a, b) => a.sourceId.localeCompare(b.sourceId));
    return failedScopes.length
      ? { clusters, complete: false, failedScopes }
      : { clusters, complete: true };
  }

  /** Closes the API client's connections. */
  async close(): Promise<void> {
    await this.client.close();
  }

  private async listClusters(
    projectId: string,
    location: string,
    signal?: AbortSignal,
  ) {
    signal?.throwIfAborted();
    const call = this.client.listClusters(
      { parent: `projects/${projectId}/locations/${location}` },
      { retry: GKE_LIST_RETRY },
    );
    if (!signal) return call;
    // The client takes no abort signal; stop waiting when the round is cancelled and
    // let the abandoned call settle quietly.
    return new Promise<Awaited<typeof call>>((resolve, reject) => {
      const onAbort = () => reject(signal.reason ?? new Error('aborted'));
      signal.addEventListener('abort', onAbort, { once: true });
      call
        .then(resolve, reject)
        .finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private toDiscoveredCluster(
    cluster: GkeCluster,
    projectId: string,
  ): DiscoveredCluster | undefined {
    if (!cluster.name || !cluster.location) {
      return undefined;
    }
    const sourceId = `projects/${projectId}/locations/${cluster.location}/clusters/${cluster.name}`;
    const host =
      this.entry.endpointType === 'private'
        ? cluster.privateClusterConfig?.privateEndpoint || cluster.endpoint
        : cluster.endpoint;

    const { labels: resourceLabels, skipped } = tagsToLabels(
      cluster.resourceLabels ?? {},
    );
    if (skipped.length) {
      this.logger.debug(
        `GKE cluster ${sourceId}: labels left out: ${skipped.join(', ')}`,
      );
    }
    const labels: Record<string, string> = {
      ...resourceLabels,
      ...this.entry.labels,
      ...tagsToLabels({
        [GCP_LABELS.project]: projectId,
        [GCP_LABELS.kubernetesVersion]:
          cluster.currentMasterVersion ?? undefined,
      }).labels,
    };

    return {
      sourceId,
      name: cluster.name,
      // A cluster still provisioning may have no endpoint yet.
      url: host ? `https://${host}` : pendingUrl('gke', sourceId),
      caData: decodeCaBundle(
        cluster.masterAuth?.clusterCaCertificate ?? undefined,
      ),
      credentials: this.credentials,
      // `googleServiceAccount` signs in with the backend's own Google credentials, as
      // this provider does; `google` uses the signed-in user's Google token.
      kubernetesPluginAuth: {
        authProvider: this.entry.kubernetesPluginAuthProvider,
      },
      cloud: 'gcp',
      region: cluster.location,
      distribution: 'gke',
      labels,
      providerState: gkeProviderState(cluster.status),
      providerStateReason: gkeProviderStateReason(cluster),
    };
  }
}
