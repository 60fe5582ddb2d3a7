/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  Cluster,
  ClusterHealthHistory,
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
      limit: string;
      cursor: string;
    }>;
    response: Page<Cluster>;
  };
  '#post|/clusters/refresh': {
    response: { status: 'accepted'; message: string };
  };
  '#get|/clusters/{id}': { path: { id: string }; response: Cluster };
  '#get|/clusters/{id}/health': {
    path: { id: string };
    response: ClusterHealthHistory;
  };
  '#get|/summary': { response: InventorySummary };
  '#get|/entities/{kind}/{namespace}/{name}': {
    path: { kind: string; namespace: string; name: string };
    response: EntityRelationsResponse;
  };
  '#get|/internal/connections': {
    query: Query<{ ids: string }>;
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
};
