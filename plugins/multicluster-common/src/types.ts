/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * Observed health of a cluster, from the prober. Order matters for sorting
 * and for summaries: the first is best.
 * @public
 */
export const CLUSTER_HEALTHS = [
  'healthy',
  'degraded',
  'unhealthy',
  'unreachable',
  'unauthorized',
  'unknown',
] as const;

/** A cluster's health, as the prober classifies it. @public */
export type ClusterHealth = (typeof CLUSTER_HEALTHS)[number];

/** Where a cluster runs. `local` covers kubeconfig/emulated clusters. @public */
export const CLUSTER_CLOUDS = [
  'aws',
  'azure',
  'gcp',
  'local',
  'other',
] as const;

/** Where a cluster runs. @public */
export type ClusterCloud = (typeof CLUSTER_CLOUDS)[number];

/**
 * The lifecycle a cloud reports for a cluster (EKS CREATING, AKS provisioningState…),
 * folded to one vocabulary. A cluster that is `provisioning` is not probed as dead.
 * @public
 */
export const PROVIDER_STATES = [
  'active',
  'provisioning',
  'updating',
  'deleting',
  'failed',
  'stopped',
  'unknown',
] as const;

/** A cluster's lifecycle state at its cloud. @public */
export type ProviderState = (typeof PROVIDER_STATES)[number];

/** One check reported by /readyz?verbose (or a synthetic one such as `nodes`). @public */
export interface ClusterCheck {
  /** The check's name, e.g. `etcd`. */
  name: string;
  /** Whether it passed. */
  ok: boolean;
  /** Why it failed. */
  message?: string;
}

/** Allocatable resources summed over ready nodes. @public */
export interface ClusterAllocatable {
  /** CPU cores (may be fractional). */
  cpu: number;
  /** Memory in bytes. */
  memoryBytes: number;
  /** Pods. */
  pods: number;
}

/** The stored, damped status of a cluster. @public */
export interface ClusterStatus {
  /** The damped health: a change needs equal probes in a row. */
  health: ClusterHealth;
  /** A short human reason for the health, e.g. "readyz check etcd failed". */
  reason: string;
  /** The checks of the last probe. */
  checks: ClusterCheck[];
  /** Server gitVersion from /version, when known. */
  version?: string;
  /** Ready and total nodes, when known. */
  nodes?: { ready: number; total: number };
  /** Allocatable resources of the ready nodes, when known. */
  allocatable?: ClusterAllocatable;
  /** The distinct kubelet versions of the nodes. */
  kubeletVersions?: string[];
  /** What the cloud says of the cluster (EKS status etc.), when a cloud provider found it. */
  providerState?: ProviderState;
  /** ISO timestamp of the last finished probe. */
  lastProbeAt?: string;
  /** ISO timestamp of the last discovery round that listed the cluster. */
  lastSeenAt?: string;
  /**
   * True when what is known is out of date: every provider that lists the
   * cluster failed its last round, or its last probe is older than a few probe
   * intervals (then `health` is `unknown` and `reason` says since when).
   */
  stale: boolean;
  /** True when the cluster opted out of TLS verification (shown, never hidden). */
  tlsVerificationDisabled?: boolean;
  /** Probe latency of the last probe, in milliseconds. */
  latencyMs?: number;
}

/** One provider that lists a cluster. @public */
export interface ClusterSource {
  /** Provider id, e.g. `config`, `kubeconfig`, `aws-eks`. */
  provider: string;
  /** The provider's own id of the cluster (an ARN, a context name…). */
  sourceId: string;
  /** ISO timestamp of the provider's last round that listed the cluster. */
  lastSeenAt: string;
  /** True when the provider's last round failed. */
  stale: boolean;
}

/** A cluster as served by `GET /api/multicluster/clusters`. Never carries credentials. @public */
export interface Cluster {
  /** Stable, URL-safe id. */
  id: string;
  /** The cluster's name at its first provider. */
  name: string;
  /** Display title. */
  title: string;
  /** API server URL. */
  url: string;
  /** Where it runs. */
  cloud: ClusterCloud;
  /** eks, aks, gke, openshift, minikube, kind, k3s, emulator, kubernetes… */
  distribution: string;
  /** The cloud region, if any. */
  region?: string;
  /** Labels for selectors and permission conditions (a union over its providers). */
  labels: Record<string, string>;
  /** The providers that list it. */
  sources: ClusterSource[];
  /** The environment that created the cluster, if any. */
  environment?: string;
  /** Its stored health and facts. */
  status: ClusterStatus;
}

/** One stored probe. @public */
export interface ClusterProbe {
  /** ISO timestamp of the probe. */
  at: string;
  /** Raw (undamped) classification of this probe. */
  health: ClusterHealth;
  /** A short human reason for the health. */
  reason: string;
  /** Probe latency, in milliseconds. */
  latencyMs: number;
  /** The checks it saw. */
  checks: ClusterCheck[];
}

/** `GET /clusters/:id/health`. @public */
export interface ClusterHealthHistory {
  /** The stored, damped status. */
  current: ClusterStatus;
  /** Recent probes, newest first. */
  history: ClusterProbe[];
}

/** A page of a list endpoint. @public */
export interface Page<T> {
  /** The items of this page. */
  items: T[];
  /** How many items match, over all pages. */
  totalItems: number;
  /** Pass as `cursor` for the next page; absent on the last. */
  nextCursor?: string;
}

/** `GET /summary`. @public */
export interface InventorySummary {
  /** How many clusters the caller may see. */
  totalClusters: number;
  /** Clusters per health. */
  byHealth: Record<ClusterHealth, number>;
  /** Clusters per cloud. */
  byCloud: Record<string, number>;
  /** Each provider's last discovery round. */
  providers: Array<{
    id: string;
    ok: boolean;
    complete: boolean;
    clusters: number;
    lastRunAt?: string;
    error?: string;
  }>;
  /** ISO timestamp of the last probe round. */
  lastProbeRoundAt?: string;
  /**
   * Clusters whose last probe is older than a few probe intervals (probe
   * rounds are not running); they count as `unknown` in `byHealth`.
   */
  staleClusters?: number;
}

/**
 * What asking for an inventory round did: `scheduled` (it starts within
 * seconds), `running` (a live replica runs one now) or `unavailable`. @public
 */
export type InventoryRoundRequest = 'scheduled' | 'running' | 'unavailable';

/** `POST /clusters/refresh`: what was done for each round. @public */
export interface ClusterRefreshResult {
  /** `accepted` when at least one round was scheduled, `running` when both already run. */
  status: 'accepted' | 'running';
  /** What happened, for people. */
  message: string;
  /** The discovery round (finding clusters at their clouds). */
  discovery: InventoryRoundRequest;
  /** The probe round (health of every known cluster). */
  probe: InventoryRoundRequest;
}

/** Annotations honoured on catalog entities. @public */
export const ANNOTATION_ENVIRONMENT = 'archipelago.dev/environment';
/** Label selector of the clusters an entity's cards show. @public */
export const ANNOTATION_CLUSTER_SELECTOR = 'archipelago.dev/cluster-selector';
/** Name of the cluster an entity runs on (Backstage's Kubernetes annotation). @public */
export const ANNOTATION_KUBERNETES_CLUSTER = 'backstage.io/kubernetes-cluster';
