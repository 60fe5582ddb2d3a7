/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  Cluster,
  ClusterHealthHistory,
  ClusterRefreshResult,
  InventorySummary,
  Page,
} from '../types';
import type {
  CreateEnvironmentRequest,
  Environment,
  EnvironmentEvent,
  EnvironmentTypeInfo,
} from '../environments';
import type {
  EnvironmentChangePlan,
  EnvironmentRevision,
  PromoteEnvironmentRequest,
  PromotionInputs,
  RevealedSecret,
  UpdateEnvironmentRequest,
} from '../environmentChanges';
import type {
  ClusterConnectionRole,
  ConnectionDetails,
  CreateEnvironmentResult,
  EntityRelationsRequest,
  EntityRelationsResponse,
  EnvironmentPlan,
  ListClustersRequest,
  ListEnvironmentEventsRequest,
  ListEnvironmentsRequest,
  PlacementPreviewRequest,
  PlacementPreviewResponse,
} from './types';
import type {
  ListWorkloadEventsRequest,
  ListWorkloadsRequest,
  Workload,
  WorkloadDnsStatus,
  WorkloadEvent,
  WorkloadPlan,
  WorkloadRequest,
  WorkloadRevision,
} from '../workloads';

/**
 * Per-request options. `token` is for backend callers (a plugin request
 * token); in a browser the fetch API adds the user's. `signal` bounds or
 * cancels the call.
 * @public
 */
export interface MulticlusterRequestOptions {
  /** A plugin request token, for backend callers. */
  token?: string;
  /** Bounds or cancels the call. */
  signal?: AbortSignal;
}

/**
 * The multicluster REST API (`/api/multicluster`, see the plugin's
 * openapi.yaml): one method per route. Every failure is a ResponseError whose
 * message is the server's (e.g. `placement.clusterSelector: …`), with the
 * status in `statusCode` and the Backstage error body in `body`.
 * @public
 */
export interface MulticlusterApi {
  /** `GET /clusters` */
  listClusters(
    request?: ListClustersRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<Page<Cluster>>;
  /** `GET /clusters/:id` */
  getCluster(
    id: string,
    options?: MulticlusterRequestOptions,
  ): Promise<Cluster>;
  /** `GET /clusters/:id/health` */
  getClusterHealth(
    id: string,
    options?: MulticlusterRequestOptions,
  ): Promise<ClusterHealthHistory>;
  /** `POST /clusters/refresh`: what was scheduled (undefined from a server that does not say). */
  refreshClusters(
    options?: MulticlusterRequestOptions,
  ): Promise<ClusterRefreshResult | undefined>;
  /** `GET /summary` */
  getSummary(options?: MulticlusterRequestOptions): Promise<InventorySummary>;
  /** `GET /entities/:kind/:namespace/:name` */
  getEntityRelations(
    entity: EntityRelationsRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<EntityRelationsResponse>;
  /** `GET /internal/connections` (allow-listed plugins only; holds credentials of `role`, default view) */
  getClusterConnections(
    ids: string[],
    options?: MulticlusterRequestOptions & { role?: ClusterConnectionRole },
  ): Promise<ConnectionDetails[]>;
  /** `GET /environment-types` */
  listEnvironmentTypes(
    options?: MulticlusterRequestOptions,
  ): Promise<EnvironmentTypeInfo[]>;
  /** `GET /environments` */
  listEnvironments(
    request?: ListEnvironmentsRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<Page<Environment>>;
  /** `GET /environments/:name` */
  getEnvironment(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<Environment>;
  /** `POST /environments` */
  createEnvironment(
    request: CreateEnvironmentRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<CreateEnvironmentResult>;
  /** `POST /environments?dryRun=true` */
  planEnvironment(
    request: CreateEnvironmentRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<EnvironmentPlan>;
  /** `DELETE /environments/:name`: starts destroying; answers the environment. */
  destroyEnvironment(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<Environment>;
  /** `GET /environments/:name/events` */
  listEnvironmentEvents(
    name: string,
    request?: ListEnvironmentEventsRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<EnvironmentEvent[]>;
  /** `POST /environments/:name/heal` */
  healEnvironment(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<Environment>;
  // ---- Environment changes
  /** `PUT /environments/:name`: starts the change; answers the environment (`updating`). */
  updateEnvironment(
    name: string,
    request: UpdateEnvironmentRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<Environment>;
  /** `PUT /environments/:name?dryRun=true` */
  planEnvironmentUpdate(
    name: string,
    request: UpdateEnvironmentRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<EnvironmentChangePlan>;
  /** `POST /environments/:name/heal?dryRun=true` */
  planEnvironmentHeal(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<EnvironmentChangePlan>;
  /** `GET /environments/:name/revisions`, newest first. */
  listEnvironmentRevisions(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<EnvironmentRevision[]>;
  /** `POST /environments/:name/rollback` */
  rollbackEnvironment(
    name: string,
    revision: number,
    options?: MulticlusterRequestOptions,
  ): Promise<Environment>;
  /** `POST /environments/:name/rollback?dryRun=true` */
  planEnvironmentRollback(
    name: string,
    revision: number,
    options?: MulticlusterRequestOptions,
  ): Promise<EnvironmentChangePlan>;
  /** `POST /environments/:name/promote`: the new environment. */
  promoteEnvironment(
    name: string,
    request: PromoteEnvironmentRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<Environment>;
  /** `POST /environments/:name/promote?dryRun=true` */
  planEnvironmentPromotion(
    name: string,
    request: PromoteEnvironmentRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<{ plan: EnvironmentPlan } & PromotionInputs>;
  /** `POST /environments/:name/extend` */
  extendEnvironment(
    name: string,
    ttlMinutes: number,
    options?: MulticlusterRequestOptions,
  ): Promise<Environment>;
  /** `GET /environments/:name/secrets/:component/:capability` (owner only, audited). */
  revealEnvironmentSecret(
    name: string,
    component: string,
    capability: string,
    options?: MulticlusterRequestOptions,
  ): Promise<RevealedSecret>;
  /** `POST /placements/preview` */
  previewPlacement(
    request: PlacementPreviewRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<PlacementPreviewResponse>;

  // Workloads

  /** `GET /workloads` */
  listWorkloads(
    request?: ListWorkloadsRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<Page<Workload>>;
  /** `GET /workloads/:name` */
  getWorkload(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<Workload>;
  /** `POST /workloads`: creates (201); an existing name is a 409. */
  createWorkload(
    request: WorkloadRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<Workload>;
  /** `POST /workloads?dryRun=true`: the diff and replica plan of a new workload. */
  planWorkload(
    request: WorkloadRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<WorkloadPlan>;
  /** `PUT /workloads/:name`: a new revision (the same desired state again makes none). */
  updateWorkload(
    name: string,
    request: WorkloadRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<Workload>;
  /** `PUT /workloads/:name?dryRun=true`: the diff against the live revision and the replica plan. */
  planWorkloadUpdate(
    name: string,
    request: WorkloadRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<WorkloadPlan>;
  /** `DELETE /workloads/:name`: removes its objects from every cluster, then the workload. */
  deleteWorkload(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<Workload>;
  /** `GET /workloads/:name/events` */
  listWorkloadEvents(
    name: string,
    request?: ListWorkloadEventsRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<WorkloadEvent[]>;
  /** `GET /workloads/:name/revisions` (newest first) */
  listWorkloadRevisions(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<WorkloadRevision[]>;
  /** `POST /workloads/:name/rollback`: a new revision with the desired state of a kept one. */
  rollbackWorkload(
    name: string,
    revision: number,
    options?: MulticlusterRequestOptions,
  ): Promise<Workload>;
  /** `POST /workloads/:name/pause`: nothing is written to its clusters until resumed. */
  pauseWorkload(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<Workload>;
  /** `POST /workloads/:name/resume` */
  resumeWorkload(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<Workload>;
  /** `GET /workloads/:name/dns`; 404 when the workload has no `dns`. */
  getWorkloadDns(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<WorkloadDnsStatus>;
}
