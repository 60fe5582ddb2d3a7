/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import {
  type Cluster,
  type ClusterConnectionRole,
  type ClusterHealthHistory,
  type ClusterRefreshResult,
  type ConnectionDetails,
  type CreateEnvironmentRequest,
  type CreateEnvironmentResult,
  type EntityRelationsRequest,
  type EntityRelationsResponse,
  type Environment,
  type EnvironmentChangePlan,
  type EnvironmentEvent,
  type EnvironmentPlan,
  type EnvironmentRevision,
  type PromoteEnvironmentRequest,
  type PromotionInputs,
  type UpdateEnvironmentRequest,
  type EnvironmentTypeInfo,
  type InventorySummary,
  type ListClustersRequest,
  type ListWorkloadEventsRequest,
  type ListWorkloadsRequest,
  type ListEnvironmentEventsRequest,
  type ListEnvironmentsRequest,
  type Page,
  type PlacementPreviewRequest,
  type PlacementPreviewResponse,
  type Workload,
  type WorkloadEvent,
  type WorkloadPlan,
  type WorkloadRequest,
  type WorkloadRevision,
} from '@archipelago/multicluster-common';
import { createMulticlusterService } from './multiclusterServiceClient';

/** Per-call options: the caller whose permissions apply, and an optional abort signal. @public */
export interface MulticlusterServiceRequestOptions {
  /** The caller; its permissions apply. */
  credentials: BackstageCredentials;
  /** Bounds or cancels the call. */
  signal?: AbortSignal;
}

/**
 * The multicluster REST API for other backend plugins, as `catalogServiceRef`
 * is the catalog's: each call carries the caller's credentials (a user's, or
 * the plugin's own from `auth.getOwnServiceCredentials()`), so the
 * multicluster plugin's permission policy decides what it may see and do.
 * Errors are ResponseErrors with the server's message.
 * @public
 */
export interface MulticlusterService {
  /** `GET /clusters` */
  listClusters(
    request: ListClustersRequest,
    options: MulticlusterServiceRequestOptions,
  ): Promise<Page<Cluster>>;
  /** `GET /clusters/:id` */
  getCluster(
    id: string,
    options: MulticlusterServiceRequestOptions,
  ): Promise<Cluster>;
  /** `GET /clusters/:id/health` */
  getClusterHealth(
    id: string,
    options: MulticlusterServiceRequestOptions,
  ): Promise<ClusterHealthHistory>;
  /** `POST /clusters/refresh` */
  refreshClusters(
    options: MulticlusterServiceRequestOptions,
  ): Promise<ClusterRefreshResult | undefined>;
  /** `GET /summary` */
  getSummary(
    options: MulticlusterServiceRequestOptions,
  ): Promise<InventorySummary>;
  /** `GET /entities/:kind/:namespace/:name` */
  getEntityRelations(
    entity: EntityRelationsRequest,
    options: MulticlusterServiceRequestOptions,
  ): Promise<EntityRelationsResponse>;
  /**
   * Allow-listed plugins only (`multicluster.connections.allowedPlugins`);
   * holds the credentials of `role` (default view). `deploy` is answered only
   * on behalf of a user who may deploy to every cluster asked for.
   */
  getClusterConnections(
    ids: string[],
    options: MulticlusterServiceRequestOptions & {
      role?: ClusterConnectionRole;
    },
  ): Promise<ConnectionDetails[]>;
  /** `GET /environment-types` */
  listEnvironmentTypes(
    options: MulticlusterServiceRequestOptions,
  ): Promise<EnvironmentTypeInfo[]>;
  /** `GET /environments` */
  listEnvironments(
    request: ListEnvironmentsRequest,
    options: MulticlusterServiceRequestOptions,
  ): Promise<Page<Environment>>;
  /** `GET /environments/:name` */
  getEnvironment(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ): Promise<Environment>;
  /** `POST /environments` */
  createEnvironment(
    request: CreateEnvironmentRequest,
    options: MulticlusterServiceRequestOptions,
  ): Promise<CreateEnvironmentResult>;
  /** `POST /environments?dryRun=true` */
  planEnvironment(
    request: CreateEnvironmentRequest,
    options: MulticlusterServiceRequestOptions,
  ): Promise<EnvironmentPlan>;
  /** `DELETE /environments/:name`: starts destroying; answers the environment. */
  destroyEnvironment(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ): Promise<Environment>;
  /** `GET /environments/:name/events` */
  listEnvironmentEvents(
    name: string,
    request: ListEnvironmentEventsRequest,
    options: MulticlusterServiceRequestOptions,
  ): Promise<EnvironmentEvent[]>;
  /** `POST /environments/:name/heal` */
  healEnvironment(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ): Promise<Environment>;
  // ---- Environment changes (the secret reveal is for browsers of owners only: not here)
  /** `PUT /environments/:name` */
  updateEnvironment(
    name: string,
    request: UpdateEnvironmentRequest,
    options: MulticlusterServiceRequestOptions,
  ): Promise<Environment>;
  /** `PUT /environments/:name?dryRun=true` */
  planEnvironmentUpdate(
    name: string,
    request: UpdateEnvironmentRequest,
    options: MulticlusterServiceRequestOptions,
  ): Promise<EnvironmentChangePlan>;
  /** `GET /environments/:name/revisions` */
  listEnvironmentRevisions(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ): Promise<EnvironmentRevision[]>;
  /** `POST /environments/:name/rollback` */
  rollbackEnvironment(
    name: string,
    revision: number,
    options: MulticlusterServiceRequestOptions,
  ): Promise<Environment>;
  /** `POST /environments/:name/promote` */
  promoteEnvironment(
    name: string,
    request: PromoteEnvironmentRequest,
    options: MulticlusterServiceRequestOptions,
  ): Promise<Environment>;
  /** `POST /environments/:name/promote?dryRun=true` */
  planEnvironmentPromotion(
    name: string,
    request: PromoteEnvironmentRequest,
    options: MulticlusterServiceRequestOptions,
  ): Promise<{ plan: EnvironmentPlan } & PromotionInputs>;
  /** `POST /environments/:name/extend` */
  extendEnvironment(
    name: string,
    ttlMinutes: number,
    options: MulticlusterServiceRequestOptions,
  ): Promise<Environment>;
  /** `POST /placements/preview` */
  previewPlacement(
    request: PlacementPreviewRequest,
    options: MulticlusterServiceRequestOptions,
  ): Promise<PlacementPreviewResponse>;
  /** `GET /workloads` */
  listWorkloads(
    request: ListWorkloadsRequest,
    options: MulticlusterServiceRequestOptions,
  ): Promise<Page<Workload>>;
  /** `GET /workloads/:name` */
  getWorkload(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ): Promise<Workload>;
  /** `POST /workloads` */
  createWorkload(
    request: WorkloadRequest,
    options: MulticlusterServiceRequestOptions,
  ): Promise<Workload>;
  /** `POST /workloads?dryRun=true` */
  planWorkload(
    request: WorkloadRequest,
    options: MulticlusterServiceRequestOptions,
  ): Promise<WorkloadPlan>;
  /** `PUT /workloads/:name` */
  updateWorkload(
    name: string,
    request: WorkloadRequest,
    options: MulticlusterServiceRequestOptions,
  ): Promise<Workload>;
  /** `PUT /workloads/:name?dryRun=true` */
  planWorkloadUpdate(
    name: string,
    request: WorkloadRequest,
    options: MulticlusterServiceRequestOptions,
  ): Promise<WorkloadPlan>;
  /** `DELETE /workloads/:name` */
  deleteWorkload(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ): Promise<Workload>;
  /** `GET /workloads/:name/events` */
  listWorkloadEvents(
    name: string,
    request: ListWorkloadEventsRequest,
    options: MulticlusterServiceRequestOptions,
  ): Promise<WorkloadEvent[]>;
  /** `GET /workloads/:name/revisions` */
  listWorkloadRevisions(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ): Promise<WorkloadRevision[]>;
  /** `POST /workloads/:name/rollback` */
  rollbackWorkload(
    name: string,
    revision: number,
    options: MulticlusterServiceRequestOptions,
  ): Promise<Workload>;
  /** `POST /workloads/:name/pause` */
  pauseWorkload(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ): Promise<Workload>;
  /** `POST /workloads/:name/resume` */
  resumeWorkload(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ): Promise<Workload>;
}

/**
 * The multicluster service: by default the typed REST client over discovery,
 * with a plugin request token on behalf of each call's credentials.
 * @public
 */
export const multiclusterServiceRef = createServiceRef<MulticlusterService>({
  id: 'multicluster.client',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      factory: ({ auth, discovery }) =>
        createMulticlusterService({ auth, discovery }),
    }),
});
