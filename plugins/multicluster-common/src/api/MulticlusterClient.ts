/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { InputError, ResponseError } from '@backstage/errors';
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
import { formatLabelSelector } from '../labelSelector';
import type {
  MulticlusterApi,
  MulticlusterRequestOptions,
} from './MulticlusterApi';
import {
  type ClusterConnectionRole,
  type ConnectionDetails,
  type CreateEnvironmentResult,
  type EntityRelationsRequest,
  type EntityRelationsResponse,
  type EnvironmentPlan,
  type ListClustersRequest,
  type ListEnvironmentEventsRequest,
  type ListEnvironmentsRequest,
  MULTICLUSTER_PLUGIN_ID,
  type PlacementPreviewRequest,
  type PlacementPreviewResponse,
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

/** Backstage's DiscoveryApi, declared structurally so this package needs no core-plugin-api. @public */
export interface MulticlusterDiscovery {
  /** The base URL of a plugin's API. */
  getBaseUrl(pluginId: string): Promise<string>;
}

/** Backstage's FetchApi (it adds the user's token in a browser), declared structurally. @public */
export interface MulticlusterFetch {
  /** The fetch function; in a browser, the fetch API (which adds the user's token). */
  fetch: typeof fetch;
}

type QueryValue = string | number | boolean | string[] | undefined;

/**
 * The typed client of the multicluster REST API, for browsers and Node: the
 * only way other packages call the API. In a Backstage app pass discoveryApi
 * and fetchApi; in a backend use `multiclusterServiceRef` from
 * `@archipelago/multicluster-node`, which passes the caller's token. A failed
 * call throws a ResponseError carrying the server's own message.
 * @public
 */
export class MulticlusterClient implements MulticlusterApi {
  private readonly discoveryApi: MulticlusterDiscovery;
  private readonly fetchApi: MulticlusterFetch;

  constructor(options: {
    discoveryApi: MulticlusterDiscovery;
    fetchApi?: MulticlusterFetch;
  }) {
    this.discoveryApi = options.discoveryApi;
    // Bound so that `this` is right when the global fetch is called as a method.
    this.fetchApi = options.fetchApi ?? {
      fetch: (...args) => globalThis.fetch(...args),
    };
  }

  /** {@inheritDoc MulticlusterApi.listClusters} */
  async listClusters(
    request: ListClustersRequest = {},
    options?: MulticlusterRequestOptions,
  ): Promise<Page<Cluster>> {
    const selector =
      request.selector === undefined || typeof request.selector === 'string'
        ? request.selector
        : formatLabelSelector(request.selector);
    return this.json('GET', '/clusters', options, {
      query: {
        selector,
        cloud: list(request.cloud),
        health: list(request.health),
        q: request.q,
        sort: request.sort,
        order: request.order,
        limit: request.limit,
        cursor: request.cursor,
      },
    });
  }

  /** {@inheritDoc MulticlusterApi.getCluster} */
  async getCluster(
    id: string,
    options?: MulticlusterRequestOptions,
  ): Promise<Cluster> {
    return this.json('GET', `/clusters/${segment(id, 'id')}`, options);
  }

  /** {@inheritDoc MulticlusterApi.getClusterHealth} */
  async getClusterHealth(
    id: string,
    options?: MulticlusterRequestOptions,
  ): Promise<ClusterHealthHistory> {
    return this.json('GET', `/clusters/${segment(id, 'id')}/health`, options);
  }

  /** {@inheritDoc MulticlusterApi.refreshClusters} */
  async refreshClusters(
    options?: MulticlusterRequestOptions,
  ): Promise<ClusterRefreshResult | undefined> {
    const response = await this.send('POST', '/clusters/refresh', options);
    const text = await response.text();
    return text ? (JSON.parse(text) as ClusterRefreshResult) : undefined;
  }

  /** {@inheritDoc MulticlusterApi.getSummary} */
  async getSummary(
    options?: MulticlusterRequestOptions,
  ): Promise<InventorySummary> {
    return this.json('GET', '/summary', options);
  }

  /** {@inheritDoc MulticlusterApi.getEntityRelations} */
  async getEntityRelations(
    entity: EntityRelationsRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<EntityRelationsResponse> {
    const path = `/entities/${segment(entity.kind, 'kind')}/${segment(
      entity.namespace,
      'namespace',
    )}/${segment(entity.name, 'name')}`;
    return this.json('GET', path, options, {
      query: { clusterLimit: entity.clusterLimit },
    });
  }

  /** {@inheritDoc MulticlusterApi.getClusterConnections} */
  async getClusterConnections(
    ids: string[],
    options?: MulticlusterRequestOptions & { role?: ClusterConnectionRole },
  ): Promise<ConnectionDetails[]> {
    if (ids.length === 0) return [];
    const body = await this.json<{ items: ConnectionDetails[] }>(
      'GET',
      '/internal/connections',
      options,
      { query: { ids, ...(options?.role ? { role: options.role } : {}) } },
    );
    return body.items;
  }

  /** {@inheritDoc MulticlusterApi.listEnvironmentTypes} */
  async listEnvironmentTypes(
    options?: MulticlusterRequestOptions,
  ): Promise<EnvironmentTypeInfo[]> {
    const body = await this.json<{ items: EnvironmentTypeInfo[] }>(
      'GET',
      '/environment-types',
      options,
    );
    return body.items;
  }

  /** {@inheritDoc MulticlusterApi.listEnvironments} */
  async listEnvironments(
    request: ListEnvironmentsRequest = {},
    options?: MulticlusterRequestOptions,
  ): Promise<Page<Environment>> {
    return this.json('GET', '/environments', options, {
      query: {
        owner: request.owner,
        type: request.type,
        cloud: request.cloud,
        status: list(request.status),
        limit: request.limit,
        cursor: request.cursor,
      },
    });
  }

  /** {@inheritDoc MulticlusterApi.getEnvironment} */
  async getEnvironment(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<Environment> {
    return this.json('GET', `/environments/${segment(name, 'name')}`, options);
  }

  /** {@inheritDoc MulticlusterApi.createEnvironment} */
  async createEnvironment(
    request: CreateEnvironmentRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<CreateEnvironmentResult> {
    const response = await this.send('POST', '/environments', options, {
      body: request,
    });
    const environment = (await response.json()) as Environment;
    let outcome: CreateEnvironmentResult['outcome'] = 'existing';
    if (response.status === 201) outcome = 'created';
    else if (response.status === 202) outcome = 'retried';
    return { environment, outcome };
  }

  /** {@inheritDoc MulticlusterApi.planEnvironment} */
  async planEnvironment(
    request: CreateEnvironmentRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<EnvironmentPlan> {
    const body = await this.json<{ plan: EnvironmentPlan }>(
      'POST',
      '/environments',
      options,
      { query: { dryRun: 'true' }, body: request },
    );
    return body.plan;
  }

  /** {@inheritDoc MulticlusterApi.destroyEnvironment} */
  async destroyEnvironment(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<Environment> {
    return this.json(
      'DELETE',
      `/environments/${segment(name, 'name')}`,
      options,
    );
  }

  /** {@inheritDoc MulticlusterApi.listEnvironmentEvents} */
  async listEnvironmentEvents(
    name: string,
    request: ListEnvironmentEventsRequest = {},
    options?: MulticlusterRequestOptions,
  ): Promise<EnvironmentEvent[]> {
    const body = await this.json<{ items: EnvironmentEvent[] }>(
      'GET',
      `/environments/${segment(name, 'name')}/events`,
      options,
      { query: { after: request.after, limit: request.limit } },
    );
    return body.items;
  }

  /** {@inheritDoc MulticlusterApi.healEnvironment} */
  async healEnvironment(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<Environment> {
    return this.json(
      'POST',
      `/environments/${segment(name, 'name')}/heal`,
      options,
    );
  }

  // ---- Environment changes: update, revisions, rollback, heal plan, promote, extend, secrets.

  /** {@inheritDoc MulticlusterApi.updateEnvironment} */
  async updateEnvironment(
    name: string,
    request: UpdateEnvironmentRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<Environment> {
    return this.json('PUT', `/environments/${segment(name, 'name')}`, options, {
      body: request,
    });
  }

  /** {@inheritDoc MulticlusterApi.planEnvironmentUpdate} */
  async planEnvironmentUpdate(
    name: string,
    request: UpdateEnvironmentRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<EnvironmentChangePlan> {
    const body = await this.json<{ plan: EnvironmentChangePlan }>(
      'PUT',
      `/environments/${segment(name, 'name')}`,
      options,
      { query: { dryRun: 'true' }, body: request },
    );
    return body.plan;
  }

  /** {@inheritDoc MulticlusterApi.planEnvironmentHeal} */
  async planEnvironmentHeal(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<EnvironmentChangePlan> {
    const body = await this.json<{ plan: EnvironmentChangePlan }>(
      'POST',
      `/environments/${segment(name, 'name')}/heal`,
      options,
      { query: { dryRun: 'true' } },
    );
    return body.plan;
  }

  /** {@inheritDoc MulticlusterApi.listEnvironmentRevisions} */
  async listEnvironmentRevisions(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<EnvironmentRevision[]> {
    const body = await this.json<{ items: EnvironmentRevision[] }>(
      'GET',
      `/environments/${segment(name, 'name')}/revisions`,
      options,
    );
    return body.items;
  }

  /** {@inheritDoc MulticlusterApi.rollbackEnvironment} */
  async rollbackEnvironment(
    name: string,
    revision: number,
    options?: MulticlusterRequestOptions,
  ): Promise<Environment> {
    return this.json(
      'POST',
      `/environments/${segment(name, 'name')}/rollback`,
      options,
      { body: { revision } },
    );
  }

  /** {@inheritDoc MulticlusterApi.planEnvironmentRollback} */
  async planEnvironmentRollback(
    name: string,
    revision: number,
    options?: MulticlusterRequestOptions,
  ): Promise<EnvironmentChangePlan> {
    const body = await this.json<{ plan: EnvironmentChangePlan }>(
      'POST',
      `/environments/${segment(name, 'name')}/rollback`,
      options,
      { query: { dryRun: 'true' }, body: { revision } },
    );
    return body.plan;
  }

  /** {@inheritDoc MulticlusterApi.promoteEnvironment} */
  async promoteEnvironment(
    name: string,
    request: PromoteEnvironmentRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<Environment> {
    return this.json(
      'POST',
      `/environments/${segment(name, 'name')}/promote`,
      options,
      { body: request },
    );
  }

  /** {@inheritDoc MulticlusterApi.planEnvironmentPromotion} */
  async planEnvironmentPromotion(
    name: string,
    request: PromoteEnvironmentRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<{ plan: EnvironmentPlan } & PromotionInputs> {
    const { plan, carried, dropped } = await this.json<
      { plan: EnvironmentPlan } & PromotionInputs
    >('POST', `/environments/${segment(name, 'name')}/promote`, options, {
      query: { dryRun: 'true' },
      body: request,
    });
    return { plan, carried, dropped };
  }

  /** {@inheritDoc MulticlusterApi.extendEnvironment} */
  async extendEnvironment(
    name: string,
    ttlMinutes: number,
    options?: MulticlusterRequestOptions,
  ): Promise<Environment> {
    return this.json(
      'POST',
      `/environments/${segment(name, 'name')}/extend`,
      options,
      { body: { ttlMinutes } },
    );
  }

  /** {@inheritDoc MulticlusterApi.revealEnvironmentSecret} */
  async revealEnvironmentSecret(
    name: string,
    component: string,
    capability: string,
    options?: MulticlusterRequestOptions,
  ): Promise<RevealedSecret> {
    return this.json(
      'GET',
      `/environments/${segment(name, 'name')}/secrets/${segment(
        component,
        'component',
      )}/${segment(capability, 'capability')}`,
      options,
    );
  }

  /** {@inheritDoc MulticlusterApi.previewPlacement} */
  async previewPlacement(
    request: PlacementPreviewRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<PlacementPreviewResponse> {
    return this.json('POST', '/placements/preview', options, {
      body: request,
    });
  }

  /** {@inheritDoc MulticlusterApi.listWorkloads} */
  async listWorkloads(
    request: ListWorkloadsRequest = {},
    options?: MulticlusterRequestOptions,
  ): Promise<Page<Workload>> {
    return this.json('GET', '/workloads', options, {
      query: {
        owner: request.owner,
        entityRef: request.entityRef,
        limit: request.limit,
        cursor: request.cursor,
      },
    });
  }

  /** {@inheritDoc MulticlusterApi.getWorkload} */
  async getWorkload(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<Workload> {
    return this.json('GET', `/workloads/${segment(name, 'name')}`, options);
  }

  /** {@inheritDoc MulticlusterApi.createWorkload} */
  async createWorkload(
    request: WorkloadRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<Workload> {
    return this.json('POST', '/workloads', options, { body: request });
  }

  /** {@inheritDoc MulticlusterApi.planWorkload} */
  async planWorkload(
    request: WorkloadRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<WorkloadPlan> {
    return this.json('POST', '/workloads', options, {
      query: { dryRun: 'true' },
      body: request,
    });
  }

  /** {@inheritDoc MulticlusterApi.updateWorkload} */
  async updateWorkload(
    name: string,
    request: WorkloadRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<Workload> {
    return this.json('PUT', `/workloads/${segment(name, 'name')}`, options, {
      body: request,
    });
  }

  /** {@inheritDoc MulticlusterApi.planWorkloadUpdate} */
  async planWorkloadUpdate(
    name: string,
    request: WorkloadRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<WorkloadPlan> {
    return this.json('PUT', `/workloads/${segment(name, 'name')}`, options, {
      query: { dryRun: 'true' },
      body: request,
    });
  }

  /** {@inheritDoc MulticlusterApi.deleteWorkload} */
  async deleteWorkload(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<Workload> {
    return this.json('DELETE', `/workloads/${segment(name, 'name')}`, options);
  }

  /** {@inheritDoc MulticlusterApi.listWorkloadEvents} */
  async listWorkloadEvents(
    name: string,
    request: ListWorkloadEventsRequest = {},
    options?: MulticlusterRequestOptions,
  ): Promise<WorkloadEvent[]> {
    const body = await this.json<{ items: WorkloadEvent[] }>(
      'GET',
      `/workloads/${segment(name, 'name')}/events`,
      options,
      { query: { after: request.after, limit: request.limit } },
    );
    return body.items;
  }

  /** {@inheritDoc MulticlusterApi.listWorkloadRevisions} */
  async listWorkloadRevisions(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<WorkloadRevision[]> {
    const body = await this.json<{ items: WorkloadRevision[] }>(
      'GET',
      `/workloads/${segment(name, 'name')}/revisions`,
      options,
    );
    return body.items;
  }

  /** {@inheritDoc MulticlusterApi.rollbackWorkload} */
  async rollbackWorkload(
    name: string,
    revision: number,
    options?: MulticlusterRequestOptions,
  ): Promise<Workload> {
    return this.json(
      'POST',
      `/workloads/${segment(name, 'name')}/rollback`,
      options,
      { body: { revision } },
    );
  }

  /** {@inheritDoc MulticlusterApi.pauseWorkload} */
  async pauseWorkload(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<Workload> {
    return this.json(
      'POST',
      `/workloads/${segment(name, 'name')}/pause`,
      options,
    );
  }

  /** {@inheritDoc MulticlusterApi.resumeWorkload} */
  async resumeWorkload(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<Workload> {
    return this.json(
      'POST',
      `/workloads/${segment(name, 'name')}/resume`,
      options,
    );
  }

  /** {@inheritDoc MulticlusterApi.getWorkloadDns} */
  async getWorkloadDns(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<WorkloadDnsStatus> {
    return this.json('GET', `/workloads/${segment(name, 'name')}/dns`, options);
  }

  private async json<T>(
    method: string,
    path: string,
    options?: MulticlusterRequestOptions,
    request?: { query?: Record<string, QueryValue>; body?: unknown },
  ): Promise<T> {
    const response = await this.send(method, path, options, request);
    // Parsed from text: the objects then belong to the caller's realm, which
    // the scaffolder's template engine insists on for step outputs.
    return JSON.parse(await response.text()) as T;
  }

  private async send(
    method: string,
    path: string,
    options?: MulticlusterRequestOptions,
    request?: { query?: Record<string, QueryValue>; body?: unknown },
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl(MULTICLUSTER_PLUGIN_ID);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (request?.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (options?.token) {
      headers.Authorization = `Bearer ${options.token}`;
    }
    const search = queryString(request?.query);
    const response = await this.fetchApi.fetch(
      `${baseUrl.replace(/\/+$/, '')}${path}${search}`,
      {
        method,
        headers,
        body:
          request?.body === undefined
            ? undefined
            : JSON.stringify(request.body),
        signal: options?.signal,
      },
    );
    if (!response.ok) {
      throw await responseError(response);
    }
    return response;
  }
}

/**
 * A ResponseError whose message is the server's (it names the field and what
 * is allowed) rather than "Request failed with 400 Bad Request".
 */
async function responseError(response: Response): Promise<ResponseError> {
  const error = await ResponseError.fromResponse(response);
  const message = error.body?.error?.message;
  if (typeof message === 'string' && message) {
    error.message = message;
  }
  return error;
}

/** Comma-separated values, as the spec's `style: form, explode: false` lists. */
function list(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const values = Array.isArray(value) ? value : [value];
  return values.length ? values : undefined;
}

function queryString(query?: Record<string, QueryValue>): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A path segment; empty ones would silently hit a different route. */
function segment(value: string, field: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new InputError(`${field} must be a non-empty string`);
  }
  return encodeURIComponent(value);
}
