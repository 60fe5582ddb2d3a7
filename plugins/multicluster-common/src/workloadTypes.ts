/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// The shapes of workloads in REST, the client and the UI; their validation is
// in workloads.ts.
import type { JsonPatchOperation } from './overrides';
import type { LabelSelector } from './labelSelector';
import type { PlacementExclusion } from './placement';
import type { ReplicaPreference } from './replicaPlanner';

/** The annotation naming the workloads of a catalog entity (comma-separated). @public */
export const ANNOTATION_WORKLOAD = 'archipelago.dev/workload';

/**
 * Where a workload stands, over all its clusters: `Progressing` (a revision
 * rolls out, replicas move), `Available` (every cluster runs the revision,
 * ready), `Degraded` (some cluster is unreachable, failed over, short of ready
 * replicas or in error), `Failed` (a rollout stopped past its tolerance and was
 * rolled back), `Paused` (nothing is written to any cluster).
 * @public
 */
export const WORKLOAD_PHASES = [
  'Progressing',
  'Available',
  'Degraded',
  'Failed',
  'Paused',
] as const;

/** Where a workload stands (see `WORKLOAD_PHASES`). @public */
export type WorkloadPhase = (typeof WORKLOAD_PHASES)[number];

/** What happens to a workload's objects on a cluster that stops matching its placement. @public */
export const ON_CLUSTER_REMOVED_POLICIES = ['delete', 'orphan'] as const;

/** What happens on a cluster that stops matching (see `ON_CLUSTER_REMOVED_POLICIES`). @public */
export type OnClusterRemovedPolicy =
  (typeof ON_CLUSTER_REMOVED_POLICIES)[number];

/** DNS routing policies of a workload's global name. @public */
export const WORKLOAD_DNS_POLICIES = [
  'geolocation',
  'failover',
  'weighted',
  'latency',
] as const;

/** A DNS routing policy (see `WORKLOAD_DNS_POLICIES`). @public */
export type WorkloadDnsPolicy = (typeof WORKLOAD_DNS_POLICIES)[number];

/** Where a workload goes: names win over the selector; `exclude` always applies. @public */
export interface WorkloadPlacement {
  /** Clusters by name. */
  clusterNames?: string[];
  /** Clusters by label (a selector string or object). */
  clusterSelector?: LabelSelector | string;
  /** Cluster names never used. */
  exclude?: string[];
}

/** Replicas of each Deployment and StatefulSet, divided by KubeFed's planner. @public */
export interface WorkloadReplicas {
  /** Replicas divided across the clusters. */
  totalReplicas: number;
  /** Cluster name or `*` → preference; default `{ '*': { weight: 1 } }`. */
  preferences?: Record<string, ReplicaPreference>;
  /** Redistribute from scratch (and give a recovered cluster its share back). Default false. */
  rebalance?: boolean;
}

/** JSON patches for one cluster's copy of the objects a target selects. @public */
export interface WorkloadOverride {
  /** The cluster the patches apply to. */
  clusterName: string;
  /** Only objects of this kind (default every kind). */
  kind?: string;
  /** Only objects of this name (default every name). */
  name?: string;
  /** JSON patches applied to each matching object. */
  patches: JsonPatchOperation[];
}

/** How a new revision reaches the clusters. @public */
export interface WorkloadRollout {
  /** Clusters per step (default 5). */
  maxConcurrent: number;
  /** Failed clusters tolerated; one more stops the rollout and rolls the touched clusters back (default 0). */
  maxFailures: number;
  /** Seconds to wait after a step before the next (default 0). */
  soakSeconds: number;
  /** Seconds a cluster has to be ready after the apply (default 300). */
  timeoutSeconds: number;
}

/** A workload's global DNS name (published by the DNS reconciler). @public */
export interface WorkloadDns {
  /** The global name, e.g. `shop.example.com`. */
  hostname: string;
  /** How the name routes between clusters. */
  policy: WorkloadDnsPolicy;
  /** Cluster label holding the geography (default `archipelago.dev/geo`). */
  geoLabel?: string;
  /** Cluster name that answers clients of no mapped geography. */
  default?: string;
  /** Record TTL in seconds. */
  ttl?: number;
  /** The Service whose load balancer address is published. */
  service?: string;
  /** The Ingress whose address is published. */
  ingress?: string;
  /** What the name answers when every cluster is unhealthy. */
  whenAllUnhealthy?: 'serve-all' | 'serve-none';
}

/**
 * Body of `POST /workloads` and `PUT /workloads/:name`: a workload's desired
 * state. `manifests` is YAML text or a list of objects.
 * @public
 */
export interface WorkloadRequest {
  /** Workload name (see `WORKLOAD_NAME_PATTERN`). */
  name: string;
  /** Entity ref of the owner (a group or user). */
  owner: string;
  /** Entity ref of the catalog entity the workload runs (its card shows it). */
  entityRef?: string;
  /** Namespace of every namespaced object; default `default`. */
  namespace?: string;
  /** The Kubernetes objects to run on every cluster. */
  manifests: string | Array<Record<string, unknown>>;
  /** Which clusters it runs on. */
  placement: WorkloadPlacement;
  /** How replicas are divided across the clusters. */
  replicas?: WorkloadReplicas;
  /** Per-cluster patches. */
  overrides?: WorkloadOverride[];
  /** How a new revision reaches the clusters. */
  rollout?: Partial<WorkloadRollout>;
  /** Seconds a cluster may be unhealthy before its replicas move (default from config). */
  failover?: { graceSeconds?: number };
  /** What happens to the objects on a cluster that stops matching (default `delete`). */
  onClusterRemoved?: OnClusterRemovedPolicy;
  /** A global DNS name for the workload. */
  dns?: WorkloadDns;
}

/** One cluster of a workload, as the reconciler last saw it. @public */
export interface WorkloadClusterStatus {
  /** Inventory id of the cluster. */
  cluster: string;
  /** Cluster name. */
  name: string;
  /** The revision applied there (0: none yet). */
  revision: number;
  /** Replicas its Deployments and StatefulSets ask for. */
  desiredReplicas: number;
  /** Replicas of those that are ready. */
  readyReplicas: number;
  /**
   * The last drift found on the cluster (fields we own that differed, objects
   * missing), repaired in the same round unless the workload is paused.
   */
  drift: string[];
  /** When that drift was found. */
  driftAt?: string;
  /** True when the cluster lost its replicas to others (unhealthy past the grace period). */
  failedOver: boolean;
  /** ISO timestamp of the last reconcile round that reached it. */
  lastSyncAt?: string;
  /** The last error there. */
  error?: string;
}

/** Progress of the newest revision's rollout. @public */
export interface WorkloadRolloutStatus {
  /** The revision rolling out. */
  revision: number;
  /** The revision the clusters ran before (rolled back to on failure); absent for the first. */
  fromRevision?: number;
  /** Where the rollout stands. */
  state: 'progressing' | 'complete' | 'failed';
  /** Clusters updated and ready, failed, and in all. */
  updated: number;
  /** Clusters that failed. */
  failed: number;
  /** Clusters in all. */
  total: number;
  /** Steps started so far. */
  step: number;
}

/** Where a workload stands, over all its clusters and per cluster. @public */
export interface WorkloadStatus {
  /** Where the workload stands, over all its clusters. */
  phase: WorkloadPhase;
  /** Why, for people. */
  reason: string;
  /** The newest rollout. */
  rollout?: WorkloadRolloutStatus;
  /** Each cluster it is on. */
  clusters: WorkloadClusterStatus[];
}

/**
 * A workload as `GET /workloads/:name` serves it: the desired state of its
 * current revision (defaults applied, manifests as objects, Secret values
 * replaced by `[REDACTED]`), the revision and the status.
 * @public
 */
export interface Workload {
  /** Workload name. */
  name: string;
  /** Entity ref of the owner. */
  owner: string;
  /** Entity ref of the catalog entity it runs. */
  entityRef?: string;
  /** Namespace of its namespaced objects. */
  namespace: string;
  /** Its objects (Secret values redacted). */
  manifests: Array<Record<string, unknown>>;
  /** Which clusters it runs on. */
  placement: WorkloadPlacement;
  /** How replicas are divided, defaults applied. */
  replicas?: Required<Omit<WorkloadReplicas, 'rebalance'>> & {
    rebalance: boolean;
  };
  /** Per-cluster patches. */
  overrides: WorkloadOverride[];
  /** How a new revision reaches the clusters. */
  rollout: WorkloadRollout;
  /** Grace period before failover. */
  failover: { graceSeconds: number };
  /** What happens on a cluster that stops matching. */
  onClusterRemoved: OnClusterRemovedPolicy;
  /** Its global DNS name. */
  dns?: WorkloadDns;
  /** Its current revision. */
  revision: number;
  /** True while nothing is written to any cluster. */
  paused: boolean;
  /** Set while the workload's objects are being removed (after DELETE). */
  deleting?: boolean;
  /** ISO timestamp of its creation. */
  createdAt: string;
  /** ISO timestamp of its last change. */
  updatedAt: string;
  /** Entity ref of who created it. */
  createdBy?: string;
  /** Where it stands. */
  status: WorkloadStatus;
}

/** Severities of workload events. @public */
export const WORKLOAD_EVENT_LEVELS = ['info', 'warning', 'error'] as const;

/** One thing the reconciler did or found. Never holds a Secret value. @public */
export interface WorkloadEvent {
  /** Event id, increasing. */
  id: number;
  /** ISO timestamp. */
  at: string;
  /** Severity. */
  level: (typeof WORKLOAD_EVENT_LEVELS)[number];
  /** Cluster name, when the event is about one cluster. */
  cluster?: string;
  /** What happened, for people. */
  message: string;
}

/** One kept revision (`GET /workloads/:name/revisions`). @public */
export interface WorkloadRevision {
  /** Revision number, from 1. */
  revision: number;
  /** ISO timestamp of its creation. */
  createdAt: string;
  /** Entity ref of who made it. */
  createdBy?: string;
  /** Why it was made: `created`, `updated`, `rolled back to revision 2`. */
  cause: string;
  /** Container images of its workloads, for people. */
  images: string[];
  /** True for the workload's current revision. */
  current: boolean;
}

/** A change to one object between the live revision and a proposed one. @public */
export interface WorkloadObjectDiff {
  /** `Deployment shop/web`. */
  object: string;
  /** How the object changes. */
  change: 'added' | 'removed' | 'changed' | 'unchanged';
  /** Changed field paths (`spec.template.spec.containers[web].image`); Secret values are never shown. */
  fields?: string[];
}

/** What `POST|PUT /workloads?dryRun=true` answers: nothing is stored or applied. @public */
export interface WorkloadPlan {
  /** Always true: nothing was stored or applied. */
  dryRun: true;
  /** The revision the request would become. */
  revision: number;
  /** Against the current revision; every object `added` for a new workload. */
  diff: WorkloadObjectDiff[];
  /** The placement now: clusters with replicas per workload (`namespace/name`), the excluded, the overflow. */
  clusters: Array<{
    cluster: string;
    name: string;
    replicas: Record<string, number>;
  }>;
  /** Clusters left out, with why. */
  excluded: PlacementExclusion[];
  /** Replicas no cluster could take, per cluster name and workload. */
  overflow: Record<string, Record<string, number>>;
}

/** `GET /workloads/:name/dns`. @public */
export interface WorkloadDnsStatus {
  /** The workload's DNS settings. */
  dns: WorkloadDns;
  /** The zone the name lies in (`multicluster.dns.zones`). */
  zone?: string;
  /** The answers published for the name; empty until a DNS round ran, or when none may answer. */
  records: WorkloadDnsRecord[];
  /** Every placed cluster: its geography, address and whether (and why not) it answers. */
  clusters: WorkloadDnsCluster[];
  /** True when no cluster was healthy and `whenAllUnhealthy` decided the answers. */
  allUnhealthy?: boolean;
  /** ISO time of the last round that published (or checked) the records. */
  lastAppliedAt?: string;
  /** Why the last round could not publish, if it could not. */
  error?: string;
}

/** One published answer of a workload's name. @public */
export interface WorkloadDnsRecord {
  /** Id of the answer within the name (a geography code, `default`, or a cluster name). */
  setIdentifier: string;
  /** The cluster answering. */
  cluster: string;
  /** Record type. */
  type: 'A' | 'AAAA' | 'CNAME';
  /** Addresses (A/AAAA) or the target hostname (CNAME). */
  values: string[];
  /** geolocation: the geography served (`*` for every other client). */
  geography?: string;
  /** failover: the answer's role. */
  failoverRole?: 'primary' | 'secondary';
  /** weighted: the answer's weight. */
  weight?: number;
  /** latency: the cluster's region. */
  region?: string;
  /** Health from the inventory and the workload's readiness. */
  health: 'healthy' | 'unhealthy' | 'unknown';
  /** Health the DNS provider's own checks report (`unknown` without checks). */
  providerHealth?: 'healthy' | 'unhealthy' | 'unknown';
}

/** One placed cluster as a workload's DNS sees it. @public */
export interface WorkloadDnsCluster {
  /** Cluster name. */
  cluster: string;
  /** Its geography (geo label, else region's continent). */
  geography?: string;
  /** The published address of its Service/Ingress. */
  address?: string;
  /** The port its Service/Ingress is served on there (what health checks and clients use). */
  port?: number;
  /** Whether it answers now. */
  answering: boolean;
  /** Why it does not answer (or answers only as the default). */
  reason?: string;
}

/** Query of `GET /workloads`. @public */
export interface ListWorkloadsRequest {
  /** An entity ref; only workloads it owns. */
  owner?: string;
  /** An entity ref; only workloads of this catalog entity. */
  entityRef?: string;
  /** 1 to 500, default 100. */
  limit?: number;
  /** Cursor of the next page, from the previous answer. */
  cursor?: string;
}

/** Query of `GET /workloads/:name/events`. @public */
export interface ListWorkloadEventsRequest {
  /** Only events with a larger id. */
  after?: number;
  /** 1 to 1,000, default 500. */
  limit?: number;
}
