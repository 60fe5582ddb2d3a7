/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  ClusterCloud,
  ProviderState,
} from '@archipelago/multicluster-common';

/**
 * How to talk to a cluster's API server. Resolved lazily by the prober and by
 * the Kubernetes plugin module, never stored and never sent to a browser.
 * @public
 */
export type ClusterCredentials =
  | { type: 'bearer'; token: string; expiresAt?: Date }
  | { type: 'clientCertificate'; certData: string; keyData: string }
  | { type: 'anonymous' };

/** Resolves a cluster's credentials when they are needed. @public */
export interface ClusterCredentialsResolver {
  /** Returns current credentials; implementations cache and renew before expiry. */
  (options?: { signal?: AbortSignal }): Promise<ClusterCredentials>;
}

/**
 * What a consumer does with a cluster, and so which identity it gets:
 * `probe` (readyz, version, nodes: the prober), `view` (reads: Backstage's
 * Kubernetes plugin and our pages), `deploy` (writes: workloads, deploy,
 * environment connection details). Seeing a cluster never implies writing to it.
 * @public
 */
export type ClusterRole = 'probe' | 'view' | 'deploy';

/** Every {@link ClusterRole}, least privileged first. @public */
export const CLUSTER_ROLES: readonly ClusterRole[] = [
  'probe',
  'view',
  'deploy',
];

/**
 * A cluster as one provider sees it.
 * @public
 */
export interface DiscoveredCluster {
  /** The provider's own id of the cluster (an ARN, a context name…); unique within the provider. */
  sourceId: string;
  /** The cluster's name at its provider. */
  name: string;
  /** Display title; the name when omitted. */
  title?: string;
  /** API server URL, https://… */
  url: string;
  /** PEM CA bundle for the API server; absent means the system trust store. */
  caData?: string;
  /** Opt out of TLS verification; shown in the cluster's status. */
  skipTLSVerify?: boolean;
  /**
   * The cluster's identity for every role that `roleCredentials` does not
   * name. Providers configured with one credential only serve every role with
   * it (and should warn at startup that least privilege is not in force).
   */
  credentials: ClusterCredentialsResolver;
  /** One identity per role, for least privilege (see {@link ClusterRole}). */
  roleCredentials?: Partial<Record<ClusterRole, ClusterCredentialsResolver>>;
  /**
   * How Backstage's Kubernetes plugin should authenticate to this cluster when the
   * kubernetes module feeds it (its `authProvider` name and metadata). Optional:
   * defaults to a service-account token taken from `credentials`.
   */
  kubernetesPluginAuth?: {
    authProvider: string;
    metadata?: Record<string, string>;
  };
  /** The cloud it runs on. */
  cloud: ClusterCloud;
  /** The cloud region, if any. */
  region?: string;
  /** Distribution known to the provider (eks, aks, gke); otherwise detected by probing. */
  distribution?: string;
  /** Labels for selectors and permission conditions. */
  labels?: Record<string, string>;
  /** Lifecycle state at the provider (provisioning, running, deleting…). */
  providerState?: ProviderState;
  /** Human text for the provider state, e.g. "EKS status CREATING". */
  providerStateReason?: string;
  /** Environment that created it (environments engine). */
  environment?: string;
}

/**
 * One discovery answer. `complete: true` means "this is every cluster I own":
 * clusters the provider listed before and not now are removed. A partial answer
 * (a region failed, a page was throttled) only adds and updates; `failedScopes`
 * names what was not listed so its clusters are kept and marked stale.
 * @public
 */
export interface ClusterDiscoveryResult {
  /** The clusters listed. */
  clusters: DiscoveredCluster[];
  /** Whether the answer is complete: only then are clusters it no longer lists removed. */
  complete: boolean;
  /** Scopes (regions, subscriptions, projects) that failed; their known clusters are kept, stale. */
  failedScopes?: Array<{ scope: string; error: string }>;
}

/** A source of clusters for the inventory. @public */
export interface ClusterProvider {
  /** Stable provider id, e.g. `config`, `kubeconfig`, `aws-eks:prod`. */
  getProviderId(): string;
  /**
   * Scope of a cluster this provider returned, so that a failed scope keeps only its own
   * clusters. Providers without scopes omit it.
   */
  getScope?(sourceId: string): string | undefined;
  /** Lists the provider's clusters. */
  discover(options: { signal?: AbortSignal }): Promise<ClusterDiscoveryResult>;
}

/**
 * Extension point through which modules add cluster providers.
 * @public
 */
export interface MulticlusterProvidersExtensionPoint {
  /** Adds cluster providers to the inventory. */
  addClusterProvider(...providers: ClusterProvider[]): void;
}

/**
 * The identity a consumer in `role` uses: the role's own, else the shared one.
 * @public
 */
export function credentialsForRole(
  cluster: Pick<DiscoveredCluster, 'credentials' | 'roleCredentials'>,
  role: ClusterRole,
): ClusterCredentialsResolver {
  return cluster.roleCredentials?.[role] ?? cluster.credentials;
}
