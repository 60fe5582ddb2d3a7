/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  DescribeClusterCommand,
  EKSClient,
  ListClustersCommand,
  type Cluster as EksCluster,
} from '@aws-sdk/client-eks';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE,
  ANNOTATION_KUBERNETES_AWS_CLUSTER_ID,
  ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID,
} from '@backstage/plugin-kubernetes-common';
import {
  CLUSTER_ROLES,
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
  decodeCaBundle,
  pendingUrl,
} from '@archipelago/multicluster-node';
import {
  type AwsAccountConfig,
  type AwsRegionConfig,
  readAwsConfig,
} from '../config';
import { createAccountCredentials } from '../credentials';
import { parseEksClusterArn } from './arn';
import { eksProviderState, eksProviderStateReason } from './state';
import {
  type AwsCredentialsProvider,
  createEksCredentialsResolver,
} from './token';

/** Labels the provider sets on every cluster, next to the cluster's tags. @public */
export const AWS_LABELS = {
  account: 'archipelago.dev/aws-account',
  kubernetesVersion: 'archipelago.dev/kubernetes-version',
  platformVersion: 'archipelago.dev/eks-platform-version',
} as const;

// ListClusters returns at most 100 names a page; a bound on pages keeps a misbehaving
// endpoint (a nextToken that never ends) from looping forever.
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGES = 1000;
const DEFAULT_DESCRIBE_CONCURRENCY = 4;

/** Options of {@link AwsEksClusterProvider}. @public */
export interface AwsEksClusterProviderOptions {
  /** The account config entry this provider discovers. */
  account: AwsAccountConfig;
  /** Logger; the provider adds its id. */
  logger: LoggerService;
  /** Overrides the account's credentials (default chain or assumed role). */
  credentials?: AwsCredentialsProvider;
  /** ListClusters page size (1–100). */
  pageSize?: number;
  /** DescribeCluster calls in flight per region. */
  describeConcurrency?: number;
}

/**
 * Discovers the EKS clusters of one AWS account in its configured regions and
 * authenticates to them with EKS tokens. One provider per account; each region is
 * a scope, so a failing region leaves the others' answers intact.
 * @public
 */
export class AwsEksClusterProvider implements ClusterProvider {
  /** One provider per entry of `multicluster.providers.aws`. */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): AwsEksClusterProvider[] {
    return readAwsConfig(config).map(
      account => new AwsEksClusterProvider({ account, logger: options.logger }),
    );
  }

  private readonly account: AwsAccountConfig;
  private readonly logger: LoggerService;
  private readonly credentials: AwsCredentialsProvider;
  private readonly pageSize: number;
  private readonly describeConcurrency: number;
  /** The assumed IAM role of each cluster role that has its own. */
  private readonly roleCredentials: Partial<
    Record<ClusterRole, AwsCredentialsProvider>
  > = {};
  private readonly clients = new Map<string, EKSClient>();
  // Resolvers outlive discovery rounds so that a cached token is reused, not re-signed.
  private readonly resolvers = new Map<
    string,
    {
      shared: ClusterCredentialsResolver;
      roles: Partial<Record<ClusterRole, ClusterCredentialsResolver>>;
    }
  >();

  constructor(options: AwsEksClusterProviderOptions) {
    this.account = options.account;
    this.logger = options.logger.child({ provider: this.getProviderId() });
    this.credentials =
      options.credentials ?? createAccountCredentials(options.account);
    this.pageSize = Math.min(
      100,
      Math.max(1, options.pageSize ?? DEFAULT_PAGE_SIZE),
    );
    this.describeConcurrency =
      options.describeConcurrency ?? DEFAULT_DESCRIBE_CONCURRENCY;
    for (const role of CLUSTER_ROLES) {
      const identity = options.account.clusterRoles?.[role];
      if (identity) {
        this.roleCredentials[role] = createAccountCredentials({
          ...options.account,
          roleArn: identity.roleArn,
          externalId: identity.externalId,
        });
      }
    }
    const shared = sharedCredentialRoles(options.account.clusterRoles);
    if (shared.length > 1) {
      warnSharedCredentials(this.logger, {
        configKey: `multicluster.providers.aws.${options.account.id}`,
        subjects: ['its EKS clusters'],
        roles: shared,
        hint: 'Give each role its own IAM role (clusterRoles: { probe, view, deploy }), mapped by EKS access entries (view: AmazonEKSViewPolicy).',
      });
    }
  }

  /** `aws-eks:<account id>`. */
  getProviderId(): string {
    return `aws-eks:${this.account.id}`;
  }

  /** The scope of a cluster is its region, read from the ARN. */
  getScope(sourceId: string): string | undefined {
    const arn = parseEksClusterArn(sourceId);
    if (!arn || !this.account.regions.some(r => r.name === arn.region)) {
      return undefined;
    }
    return arn.region;
  }

  /** Lists the EKS clusters of every configured region; each region is a scope that can fail alone. */
  async discover(options: {
    signal?: AbortSignal;
  }): Promise<ClusterDiscoveryResult> {
    const results = await Promise.all(
      this.account.regions.map(region =>
        this.discoverRegion(region, options.signal),
      ),
    );

    const clusters: DiscoveredCluster[] = [];
    const failedScopes: Array<{ scope: string; error: string }> = [];
    results.forEach((result, i) => {
      const region = this.account.regions[i].name;
      clusters.push(...result.clusters);
      if (result.error) {
        this.logger.warn(`EKS discovery failed in ${region}: ${result.error}`);
        failedScopes.push({ scope: region, error: result.error });
      }
    });
    options.signal?.throwIfAborted();

    // Forget token caches of clusters that are gone (only when the answer is complete).
    if (failedScopes.length === 0) {
      const live = new Set(clusters.map(c => c.sourceId));
      for (const arn of this.resolvers.keys()) {
        if (!live.has(arn)) this.resolvers.delete(arn);
      }
    }

    return failedScopes.length
      ? { clusters, complete: false, failedScopes }
      : { clusters, complete: true };
  }

  private client(region: AwsRegionConfig): EKSClient {
    let client = this.clients.get(region.name);
    if (!client) {
      client = new EKSClient({
        region: region.name,
        credentials: this.credentials,
        // Standard mode retries throttling and transient errors with exponential
        // backoff and jitter (a longer base delay for throttling).
        retryMode: 'standard',
        maxAttempts: this.account.maxAttempts,
        ...(region.eksEndpoint
          ? { endpoint: region.eksEndpoint.replace(/\{region\}/g, region.name) }
          : {}),
      });
      this.clients.set(region.name, client);
    }
    return client;
  }

  /**
   * Lists and describes the clusters of one region, never throwing: a listing
   * failure fails the whole region; describe failures keep the clusters that were
   * described and fail the region, so its other known clusters are kept.
   */
  private async discoverRegion(
    region: AwsRegionConfig,
    signal: AbortSignal | undefined,
  ): Promise<{ clusters: DiscoveredCluster[]; error?: string }> {
    const client = this.client(region);
    let names: string[];
    try {
      names = await this.listClusterNames(client, signal);
    } catch (error) {
      return { clusters: [], error: describeError(error) };
    }

    const errors: string[] = [];
    const described = await mapWithConcurrency(
      names,
      this.describeConcurrency,
      async name => {
        try {
          const out = await client.send(new DescribeClusterCommand({ name }), {
            abortSignal: signal,
          });
          return out.cluster;
        } catch (error) {
          // Deleted between ListClusters and DescribeCluster: it is simply gone.
          if ((error as Error).name === 'ResourceNotFoundException')
            return undefined;
          errors.push(`${name}: ${describeError(error)}`);
          return undefined;
        }
      },
    );

    const clusters = described
      .filter((c): c is EksCluster => !!c?.arn && !!c.name)
      .map(c => this.toDiscoveredCluster(c, region.name));
    return errors.length
      ? { clusters, error: `DescribeCluster failed for ${errors.join('; ')}` }
      : { clusters };
  }

  private async listClusterNames(
    client: EKSClient,
    signal: AbortSignal | undefined,
  ): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await client.send(
        new ListClustersCommand({ maxResults: this.pageSize, nextToken }),
        { abortSignal: signal },
      );
      names.push(...(out.clusters ?? []));
      nextToken = out.nextToken || undefined;
      if (!nextToken) return names;
    }
    throw new Error(`ListClusters returned more than ${MAX_PAGES} pages`);
  }

  private toDiscoveredCluster(
    cluster: EksCluster,
    region: string,
  ): DiscoveredCluster {
    const arn = cluster.arn!;
    const name = cluster.name!;
    const regionConfig = this.account.regions.find(r => r.name === region);

    const { labels: tagLabels, skipped } = tagsToLabels(cluster.tags);
    if (skipped.length) {
      this.logger.debug(
        `EKS cluster ${arn}: tags that are not valid label keys/values were left out: ${skipped.join(
          ', ',
        )}`,
      );
    }
    const labels: Record<string, string> = {
      ...tagLabels,
      ...this.account.labels,
    };
    const accountId = parseEksClusterArn(arn)?.accountId;
    if (accountId) labels[AWS_LABELS.account] = accountId;
    if (cluster.version) labels[AWS_LABELS.kubernetesVersion] = cluster.version;
    if (cluster.platformVersion)
      labels[AWS_LABELS.platformVersion] = cluster.platformVersion;

    let resolvers = this.resolvers.get(arn);
    if (!resolvers) {
      const resolverFor = (credentials: AwsCredentialsProvider) =>
        createEksCredentialsResolver({
          clusterId: name,
          region,
          credentials,
          stsEndpoint: regionConfig?.stsEndpoint,
        });
      const roles: Partial<Record<ClusterRole, ClusterCredentialsResolver>> =
        {};
      for (const role of CLUSTER_ROLES) {
        const own = this.roleCredentials[role];
        if (own) roles[role] = resolverFor(own);
      }
      resolvers = { shared: resolverFor(this.credentials), roles };
      this.resolvers.set(arn, resolvers);
    }

    // Metadata for Backstage's `aws` Kubernetes auth strategy, which signs its own
    // token from the backend's credentials (plus the role to assume): the view
    // role's when it has one, since the Kubernetes plugin only reads.
    const metadata: Record<string, string> = {
      [ANNOTATION_KUBERNETES_AWS_CLUSTER_ID]: name,
    };
    const viewIdentity = this.account.clusterRoles?.view ?? {
      roleArn: this.account.roleArn,
      externalId: this.account.externalId,
    };
    if (viewIdentity.roleArn) {
      metadata[ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE] = viewIdentity.roleArn;
      if (viewIdentity.externalId) {
        metadata[ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID] =
          viewIdentity.externalId;
      }
    }

    return {
      sourceId: arn,
      name,
      // A cluster that is still CREATING has no endpoint yet.
      url: cluster.endpoint
        ? cluster.endpoint.replace(/\/+$/, '')
        : pendingUrl('eks', arn),
      caData: decodeCaBundle(cluster.certificateAuthority?.data),
      credentials: resolvers.shared,
      roleCredentials: resolvers.roles,
      kubernetesPluginAuth: { authProvider: 'aws', metadata },
      cloud: 'aws',
      region,
      distribution: 'eks',
      labels,
      providerState: eksProviderState(cluster.status),
      providerStateReason: eksProviderStateReason(cluster),
    };
  }
}
