/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  Cluster,
  ClusterHealthHistory,
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
  /** `POST /clusters/refresh` */
  refreshClusters(options?: MulticlusterRequestOptions): Promise<void>;
  /** `GET /summary` */
  getSummary(options?: MulticlusterRequestOptions): Promise<InventorySummary>;
  /** `GET /entities/:kind/:namespace/:name` */
  getEntityRelations(
    entity: EntityRelationsRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<EntityRelationsResponse>;
  /** `GET /internal/connections` (allow-listed plugins only; holds credentials) */
  getClusterConnections(
    ids: string[],
    options?: MulticlusterRequestOptions,
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
  /** `POST /placements/preview` */
  previewPlacement(
    request: PlacementPreviewRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<PlacementPreviewResponse>;
}
