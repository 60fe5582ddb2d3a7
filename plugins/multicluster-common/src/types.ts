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

/** @public */
export type ClusterHealth = (typeof CLUSTER_HEALTHS)[number];

/** Where a cluster runs. `local` covers kubeconfig/emulated clusters. @public */
export const CLUSTER_CLOUDS = [
  'aws',
  'azure',
  'gcp',
  'local',
  'other',
] as const;

/** @public */
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

/** @public */
export type ProviderState = (typeof PROVIDER_STATES)[number];

/** One check reported by /readyz?verbose (or a synthetic one such as `nodes`). @public */
export interface ClusterCheck {
  name: string;
  ok: boolean;
  message?: string;
}

/** Allocatable resources summed over ready nodes. @public */
export interface ClusterAllocatable {
  /** CPU cores (may be fractional). */
  cpu: number;
  /** Memory in bytes. */
  memoryBytes: number;
  pods: number;
}

/** The stored, damped status of a cluster. @public */
export interface ClusterStatus {
  health: ClusterHealth;
  /** A short human reason for the health, e.g. "readyz check etcd failed". */
  reason: string;
  checks: ClusterCheck[];
  /** Server gitVersion from /version, when known. */
  version?: string;
  nodes?: { ready: number; total: number };
  allocatable?: ClusterAllocatable;
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
  lastSeenAt: string;
  stale: boolean;
}

/** A cluster as served by `GET /api/multicluster/clusters`. Never carries credentials. @public */
export interface Cluster {
  /** Stable, URL-safe id. */
  id: string;
  name: string;
  title: string;
  url: string;
  cloud: ClusterCloud;
  /** eks, aks, gke, openshift, minikube, kind, k3s, emulator, kubernetes… */
  distribution: string;
  region?: string;
  labels: Record<string, string>;
  sources: ClusterSource[];
  /** The environment that created the cluster, if any. */
  environment?: string;
  status: ClusterStatus;
}

/** One stored probe. @public */
export interface ClusterProbe {
  at: string;
  /** Raw (undamped) classification of this probe. */
  health: ClusterHealth;
  reason: string;
  latencyMs: number;
  checks: ClusterCheck[];
}

/** `GET /clusters/:id/health`. @public */
export interface ClusterHealthHistory {
  current: ClusterStatus;
  history: ClusterProbe[];
}

/** A page of a list endpoint. @public */
export interface Page<T> {
  items: T[];
  totalItems: number;
  nextCursor?: string;
}

/** `GET /summary`. @public */
export interface InventorySummary {
  totalClusters: number;
  byHealth: Record<ClusterHealth, number>;
  byCloud: Record<string, number>;
  providers: Array<{
    id: string;
    ok: boolean;
    complete: boolean;
    clusters: number;
    lastRunAt?: string;
    error?: string;
  }>;
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
  message: string;
  discovery: InventoryRoundRequest;
  probe: InventoryRoundRequest;
}

/** Annotations honoured on catalog entities. @public */
export const ANNOTATION_ENVIRONMENT = 'archipelago.dev/environment';
/** @public */
export const ANNOTATION_CLUSTER_SELECTOR = 'archipelago.dev/cluster-selector';
/** @public */
export const ANNOTATION_KUBERNETES_CLUSTER = 'backstage.io/kubernetes-cluster';
