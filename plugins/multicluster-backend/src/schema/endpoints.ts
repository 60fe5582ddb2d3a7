/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  Cluster,
  ClusterHealthHistory,
  ClusterRefreshResult,
  ConnectionDetails,
  CreateEnvironmentRequest,
  EntityRelationsResponse,
  Environment,
  EnvironmentEvent,
  EnvironmentPlan,
  EnvironmentTypeInfo,
  EnvironmentChangePlan,
  EnvironmentRevision,
  ExtendEnvironmentRequest,
  PromoteEnvironmentRequest,
  PromotionInputs,
  RevealedSecret,
  RollbackEnvironmentRequest,
  UpdateEnvironmentRequest,
  InventorySummary,
  Page,
  PlacementPreviewRequest,
  PlacementPreviewResponse,
  Workload,
  WorkloadDnsStatus,
  WorkloadEvent,
  WorkloadPlan,
  WorkloadRequest,
  WorkloadRevision,
} from '@archipelago/multicluster-common';

/** Query values as express hands them over after validation. */
type Query<T> = { [K in keyof T]?: string };

/**
 * The typed routes of openapi.yaml, as `backstage-repo-tools` would generate
 * them (`#<method>|<path>`), written with the common types so handlers and
 * the client share one vocabulary. openapi.test.ts checks that these keys are
 * exactly the spec's operations.
 * @internal
 */
export type EndpointMap = {
  '#get|/clusters': {
    query: Query<{
      selector: string;
      cloud: string;
      health: string;
      q: string;
      sort: string;
      order: string;
      limit: string;
      cursor: string;
    }>;
    response: Page<Cluster>;
  };
  '#post|/clusters/refresh': {
    response: ClusterRefreshResult;
  };
  '#get|/clusters/{id}': { path: { id: string }; response: Cluster };
  '#get|/clusters/{id}/health': {
    path: { id: string };
    response: ClusterHealthHistory;
  };
  '#get|/summary': { response: InventorySummary };
  '#get|/entities/{kind}/{namespace}/{name}': {
    path: { kind: string; namespace: string; name: string };
    query: Query<{ clusterLimit: string }>;
    response: EntityRelationsResponse;
  };
  '#get|/internal/connections': {
    query: Query<{ ids: string; role: 'view' | 'deploy' }>;
    response: { items: ConnectionDetails[] };
  };
  '#get|/environment-types': { response: { items: EnvironmentTypeInfo[] } };
  '#get|/environments': {
    query: Query<{
      owner: string;
      type: string;
      cloud: string;
      status: string;
      limit: string;
      cursor: string;
    }>;
    response: Page<Environment>;
  };
  '#post|/environments': {
    query: Query<{ dryRun: string }>;
    body: CreateEnvironmentRequest;
    response: Environment | { dryRun: true; plan: EnvironmentPlan };
  };
  '#get|/environments/{name}': {
    path: { name: string };
    response: Environment;
  };
  '#_delete|/environments/{name}': {
    path: { name: string };
    response: Environment;
  };
  '#get|/environments/{name}/events': {
    path: { name: string };
    query: Query<{ after: string; limit: string }>;
    response: { items: EnvironmentEvent[] };
  };
  '#post|/environments/{name}/heal': {
    path: { name: string };
    query: Query<{ dryRun: string }>;
    response: Environment | { dryRun: true; plan: EnvironmentChangePlan };
  };
  '#put|/environments/{name}': {
    path: { name: string };
    query: Query<{ dryRun: string }>;
    body: UpdateEnvironmentRequest;
    response: Environment | { dryRun: true; plan: EnvironmentChangePlan };
  };
  '#get|/environments/{name}/revisions': {
    path: { name: string };
    response: { items: EnvironmentRevision[] };
  };
  '#post|/environments/{name}/rollback': {
    path: { name: string };
    query: Query<{ dryRun: string }>;
    body: RollbackEnvironmentRequest;
    response: Environment | { dryRun: true; plan: EnvironmentChangePlan };
  };
  '#post|/environments/{name}/promote': {
    path: { name: string };
    query: Query<{ dryRun: string }>;
    body: PromoteEnvironmentRequest;
    response:
      | Environment
      | ({ dryRun: true; plan: EnvironmentPlan } & PromotionInputs);
  };
  '#post|/environments/{name}/extend': {
    path: { name: string };
    body: ExtendEnvironmentRequest;
    response: Environment;
  };
  '#get|/environments/{name}/secrets/{component}/{capability}': {
    path: { name: string; component: string; capability: string };
    response: RevealedSecret;
  };
  '#post|/placements/preview': {
    body: PlacementPreviewRequest;
    response: PlacementPreviewResponse;
  };
  '#get|/workloads': {
    query: Query<{
      owner: string;
      entityRef: string;
      limit: string;
      cursor: string;
    }>;
    response: Page<Workload>;
  };
  '#post|/workloads': {
    query: Query<{ dryRun: string }>;
    body: WorkloadRequest;
    response: Workload | WorkloadPlan;
  };
  '#get|/workloads/{name}': { path: { name: string }; response: Workload };
  '#put|/workloads/{name}': {
    path: { name: string };
    query: Query<{ dryRun: string }>;
    body: WorkloadRequest;
    response: Workload | WorkloadPlan;
  };
  '#_delete|/workloads/{name}': {
    path: { name: string };
    response: Workload;
  };
  '#get|/workloads/{name}/events': {
    path: { name: string };
    query: Query<{ after: string; limit: string }>;
    response: { items: WorkloadEvent[] };
  };
  '#get|/workloads/{name}/revisions': {
    path: { name: string };
    response: { items: WorkloadRevision[] };
  };
  '#post|/workloads/{name}/rollback': {
    path: { name: string };
    body: { revision: number };
    response: Workload;
  };
  '#post|/workloads/{name}/pause': {
    path: { name: string };
    response: Workload;
  };
  '#post|/workloads/{name}/resume': {
    path: { name: string };
    response: Workload;
  };
  '#get|/workloads/{name}/dns': {
    path: { name: string };
    response: WorkloadDnsStatus;
  };
};

/** The operations of EndpointMap, for the check against the spec. @internal */
export const ENDPOINTS: Record<keyof EndpointMap, true> = {
  '#get|/clusters': true,
  '#post|/clusters/refresh': true,
  '#get|/clusters/{id}': true,
  '#get|/clusters/{id}/health': true,
  '#get|/summary': true,
  '#get|/entities/{kind}/{namespace}/{name}': true,
  '#get|/internal/connections': true,
  '#get|/environment-types': true,
  '#get|/environments': true,
  '#post|/environments': true,
  '#get|/environments/{name}': true,
  '#_delete|/environments/{name}': true,
  '#get|/environments/{name}/events': true,
  '#post|/environments/{name}/heal': true,
  '#put|/environments/{name}': true,
  '#get|/environments/{name}/revisions': true,
  '#post|/environments/{name}/rollback': true,
  '#post|/environments/{name}/promote': true,
  '#post|/environments/{name}/extend': true,
  '#get|/environments/{name}/secrets/{component}/{capability}': true,
  '#post|/placements/preview': true,
  '#get|/workloads': true,
  '#post|/workloads': true,
  '#get|/workloads/{name}': true,
  '#put|/workloads/{name}': true,
  '#_delete|/workloads/{name}': true,
  '#get|/workloads/{name}/events': true,
  '#get|/workloads/{name}/revisions': true,
  '#post|/workloads/{name}/rollback': true,
  '#post|/workloads/{name}/pause': true,
  '#post|/workloads/{name}/resume': true,
  '#get|/workloads/{name}/dns': true,
};
