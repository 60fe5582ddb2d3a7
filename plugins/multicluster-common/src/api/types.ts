/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { z } from 'zod';
import type { ClusterCloud, ClusterHealth, Cluster } from '../types';
import type { ComponentKind } from '../capabilities';
import type {
  Environment,
  EnvironmentCloud,
  EnvironmentStatus,
} from '../environments';
import type { EnvironmentCost } from '../environmentChanges';
import type { LabelSelector } from '../labelSelector';
import {
  type Placement,
  type PlacementExclusion,
  placementSchema,
} from '../placement';
import {
  type ReplicaPreference,
  replicaPreferencesSchema,
} from '../replicaPlanner';
import type { Workload } from '../workloads';

/** The plugin id the backend is mounted under (`/api/multicluster`). @public */
export const MULTICLUSTER_PLUGIN_ID = 'multicluster';

/** Query of `GET /clusters`. @public */
export interface ListClustersRequest {
  /** Kubernetes label-selector syntax, or the object form. */
  selector?: string | LabelSelector;
  /** One cloud or several (any of). */
  cloud?: ClusterCloud | ClusterCloud[];
  /** One health or several (any of). */
  health?: ClusterHealth | ClusterHealth[];
  /** Free text matched against name, title and labels. */
  q?: string;
  /** Ascending order of the page; default `name`. */
  sort?: 'name' | 'health' | 'cloud' | 'lastProbeAt';
  /** Direction of `sort`; default `asc`. */
  order?: 'asc' | 'desc';
  /** 1 to 500, default 50. */
  limit?: number;
  /** `nextCursor` of the previous page (same filters, sort and order). */
  cursor?: string;
}

/** Identifies a catalog entity for `GET /entities/:kind/:namespace/:name`. @public */
export interface EntityRelationsRequest {
  /** The entity's kind. */
  kind: string;
  /** The entity's namespace. */
  namespace: string;
  /** The entity's name. */
  name: string;
  /**
   * Answer only this many clusters (1 to 500), worst health first, with
   * `clusterCounts` over all of them. Default: every related cluster.
   */
  clusterLimit?: number;
}

/** Environments, clusters and workloads related to a catalog entity. @public */
export interface EntityRelationsResponse {
  /** Environments the entity's annotation names. */
  environments: Environment[];
  /** Clusters the entity's annotations select, that the caller may see. */
  clusters: Cluster[];
  /**
   * The entity's workloads the caller may read: those naming it as their
   * `entityRef` and those its `archipelago.dev/workload` annotation lists.
   */
  workloads?: Workload[];
  /** With `clusterLimit`: how many related clusters there are, by health. */
  clusterCounts?: {
    total: number;
    byHealth: Record<ClusterHealth, number>;
  };
}

/**
 * Whose identity connection details carry: `view` (what Backstage's
 * Kubernetes plugin reads with) or `deploy` (writes, on behalf of a user who
 * holds `multicluster.cluster.deploy`).
 * @public
 */
export type ClusterConnectionRole = 'view' | 'deploy';

/**
 * How to reach a cluster, with one role's credentials: `GET /internal/connections`
 * answers it to the plugins `multicluster.connections.allowedPlugins` lists
 * for that role only.
 * @public
 */
export interface ConnectionDetails {
  /** The cluster's inventory id. */
  id: string;
  /** The cluster's name. */
  name: string;
  /** API server URL. */
  url: string;
  /** Base64 of the PEM CA bundle. */
  caData?: string;
  /** Whether TLS verification is disabled for it. */
  skipTLSVerify: boolean;
  /** Its stored health. */
  health: ClusterHealth;
  /** The Kubernetes plugin's auth provider: `serviceAccount`, `aws`, `google`… */
  authProvider: string;
  /** Metadata of the auth provider (e.g. the AWS role to assume). */
  authMetadata?: Record<string, string>;
  /** For authProvider `serviceAccount`. */
  serviceAccountToken?: string;
  /** Set when the cluster cannot be handed over, with why. */
  unsupported?: string;
}

/** Query of `GET /environments`. @public */
export interface ListEnvironmentsRequest {
  /** An entity ref; only environments it owns. */
  owner?: string;
  /** Only environments of this type. */
  type?: string;
  /** Only environments on this cloud. */
  cloud?: EnvironmentCloud;
  /** One status or several (any of). */
  status?: EnvironmentStatus | EnvironmentStatus[];
  /** 1 to 500, default 100. */
  limit?: number;
  /** `nextCursor` of the previous page (same filters). */
  cursor?: string;
}

/** Query of `GET /environments/:name/events`. @public */
export interface ListEnvironmentEventsRequest {
  /** Only events after this event id. */
  after?: number;
  /** 1 to 1,000, default 500. */
  limit?: number;
}

/** One component of an environment plan. @public */
export interface EnvironmentPlanComponent {
  /** Component key in the environment. */
  key: string;
  /** The component kind. */
  kind: ComponentKind;
  /** The component template it comes from. */
  template: string;
  /** The driver that would create it. */
  driver: string;
  /** Keys of the components it needs first. */
  dependsOn: string[];
}

/** What `POST /environments?dryRun=true` answers: the components and the stages they run in. @public */
export interface EnvironmentPlan {
  /** The environment type. */
  type: string;
  /** The cloud. */
  cloud: string;
  /** The components that would be created. */
  components: EnvironmentPlanComponent[];
  /** Component keys by stage; a stage's components run in parallel. */
  stages: string[][];
  /** Estimated cost, from the hourly prices the templates declare. */
  cost?: EnvironmentCost;
}

/** How `POST /environments` went. @public */
export interface CreateEnvironmentResult {
  /** The environment as stored. */
  environment: Environment;
  /** `created` (201), `retried` (202, a kept failure of the same request) or `existing` (200, the same request again). */
  outcome: 'created' | 'retried' | 'existing';
}

/** Body of `POST /placements/preview`. @public */
export interface PlacementPreviewRequest {
  /** Which clusters to consider. */
  placement: Placement;
  /** Replicas to plan over the selected clusters, if any. */
  replicas?: {
    totalReplicas: number;
    preferences: Record<string, ReplicaPreference>;
    rebalance?: boolean;
    /**
     * The replica planner's tie-break key; `multicluster:deploy` uses the
     * workload's `namespace/name`, so pass the same to preview what it will do.
     */
    key?: string;
  };
}

/** zod schema of `POST /placements/preview`, for the backend's semantic checks. @public */
export const placementPreviewRequestSchema = z
  .object({
    placement: placementSchema,
    replicas: z
      .object({
        totalReplicas: z
          .number({
            required_error: 'totalReplicas is required',
            invalid_type_error: 'totalReplicas must be a number',
          })
          .int('totalReplicas must be a whole number')
          .min(0, 'totalReplicas must be 0 or more')
          .max(2147483647, 'totalReplicas must be at most 2147483647'),
        preferences: replicaPreferencesSchema,
        rebalance: z
          .boolean({ invalid_type_error: 'rebalance must be true or false' })
          .optional(),
        key: z
          .string({ invalid_type_error: 'key must be a string' })
          .max(512, 'key must be at most 512 characters')
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** Answer of `POST /placements/preview`. @public */
export interface PlacementPreviewResponse {
  /** Selected clusters, with their planned replicas when replicas were requested. */
  clusters: Array<{ name: string; id: string; replicas?: number }>;
  /** Each cluster the placement excluded, with why. */
  excluded: PlacementExclusion[];
  /** Replicas that capacity kept out, by cluster name (empty without replicas). */
  overflow: Record<string, number>;
}
