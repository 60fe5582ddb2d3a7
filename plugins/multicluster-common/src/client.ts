/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { InputError, ResponseError } from '@backstage/errors';
import { z } from 'zod';
import {
  Cluster,
  ClusterCloud,
  ClusterHealth,
  ClusterHealthHistory,
  InventorySummary,
  Page,
} from './types';
import {
  CreateEnvironmentRequest,
  Environment,
  EnvironmentEvent,
  EnvironmentTypeInfo,
} from './environments';
import { formatLabelSelector, LabelSelector } from './labelSelector';
import {
  Placement,
  PlacementExclusionReason,
  placementSchema,
} from './placement';
import { ReplicaPreference, replicaPreferencesSchema } from './planner';

/** The plugin id the backend is mounted under (`/api/multicluster`). @public */
export const MULTICLUSTER_PLUGIN_ID = 'multicluster';

/** Backstage's DiscoveryApi, declared structurally so this package needs no core-plugin-api. @public */
export interface MulticlusterDiscovery {
  getBaseUrl(pluginId: string): Promise<string>;
}

/** Backstage's FetchApi (it adds the user's token in a browser), declared structurally. @public */
export interface MulticlusterFetch {
  fetch: typeof fetch;
}

/** Per-request options; `token` is for backend callers with a service token. @public */
export interface MulticlusterRequestOptions {
  token?: string;
  signal?: AbortSignal;
}

/** Query of `GET /clusters`. @public */
export interface ListClustersRequest {
  /** Kubernetes label-selector syntax, or the object form. */
  selector?: string | LabelSelector;
  cloud?: ClusterCloud;
  health?: ClusterHealth;
  /** Free text matched against name, title, region and labels. */
  q?: string;
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  /** A field name, `-` first for descending (e.g. `name`, `-health`). */
  sort?: string;
}

/** Identifies a catalog entity for `GET /entities/:kind/:namespace/:name`. @public */
export interface EntityRelationsRequest {
  kind: string;
  namespace: string;
  name: string;
}

/** Environments and clusters related to a catalog entity. @public */
export interface EntityRelationsResponse {
  environments: Environment[];
  clusters: Cluster[];
}

/** Body of `POST /placements/preview`. @public */
export interface PlacementPreviewRequest {
  placement: Placement;
  replicas?: {
    totalReplicas: number;
    preferences: Record<string, ReplicaPreference>;
    rebalance?: boolean;
    /**
     * The planner's tie-break key; `multicluster:deploy` uses the workload's
     * `namespace/name`, so pass the same to preview what it will do.
     */
    key?: string;
  };
}

/** zod schema of `POST /placements/preview`, for the backend. @public */
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
  excluded: Array<{
    cluster: string;
    reason: PlacementExclusionReason;
    message: string;
  }>;
  /** Replicas that capacity kept out, by cluster name (empty without replicas). */
  overflow: Record<string, number>;
}

/**
 * The multicluster REST API (`/api/multicluster`). Every failure is a
 * ResponseError carrying the server's Backstage error body.
 * @public
 */
export interface MulticlusterApi {
  listClusters(
    request?: ListClustersRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<Page<Cluster>>;
  getCluster(
    id: string,
    options?: MulticlusterRequestOptions,
  ): Promise<Cluster>;
  getClusterHealth(
    id: string,
    options?: MulticlusterRequestOptions,
  ): Promise<ClusterHealthHistory>;
  refreshClusters(options?: MulticlusterRequestOptions): Promise<void>;
  getSummary(options?: MulticlusterRequestOptions): Promise<InventorySummary>;
  getEntityRelations(
    entity: EntityRelationsRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<EntityRelationsResponse>;
  listEnvironmentTypes(
    options?: MulticlusterRequestOptions,
  ): Promise<EnvironmentTypeInfo[]>;
  listEnvironments(
    options?: MulticlusterRequestOptions,
  ): Promise<Environment[]>;
  getEnvironment(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<Environment>;
  createEnvironment(
    request: CreateEnvironmentRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<Environment>;
  deleteEnvironment(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<void>;
  getEnvironmentEvents(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<EnvironmentEvent[]>;
  previewPlacement(
    request: PlacementPreviewRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<PlacementPreviewResponse>;
}

/** A list endpoint's body: `{ items }` (a bare array is accepted too). */
type ListBody<T> = { items: T[] } | T[];

/**
 * Fetch-based MulticlusterApi for browsers and Node. In a Backstage app pass
 * discoveryApi and fetchApi; in a backend pass the discovery service and a
 * service token per request.
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

  async listClusters(
    request: ListClustersRequest = {},
    options?: MulticlusterRequestOptions,
  ): Promise<Page<Cluster>> {
    const query = new URLSearchParams();
    if (request.selector !== undefined) {
      const selector =
        typeof request.selector === 'string'
          ? request.selector
          : formatLabelSelector(request.selector);
      if (selector !== '') {
        query.set('selector', selector);
      }
    }
    for (const field of ['cloud', 'health', 'q', 'cursor', 'sort'] as const) {
      const value = request[field];
      if (value !== undefined && value !== '') {
        query.set(field, value);
      }
    }
    if (request.limit !== undefined) {
      query.set('limit', String(request.limit));
    }
    const search = query.toString();
    return this.json('GET', `/clusters${search ? `?${search}` : ''}`, options);
  }

  async getCluster(
    id: string,
    options?: MulticlusterRequestOptions,
  ): Promise<Cluster> {
    return this.json('GET', `/clusters/${segment(id, 'id')}`, options);
  }

  async getClusterHealth(
    id: string,
    options?: MulticlusterRequestOptions,
  ): Promise<ClusterHealthHistory> {
    return this.json('GET', `/clusters/${segment(id, 'id')}/health`, options);
  }

  async refreshClusters(options?: MulticlusterRequestOptions): Promise<void> {
    await this.send('POST', '/clusters/refresh', options);
  }

  async getSummary(
    options?: MulticlusterRequestOptions,
  ): Promise<InventorySummary> {
    return this.json('GET', '/summary', options);
  }

  async getEntityRelations(
    entity: EntityRelationsRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<EntityRelationsResponse> {
    const path = `/entities/${segment(entity.kind, 'kind')}/${segment(
      entity.namespace,
      'namespace',
    )}/${segment(entity.name, 'name')}`;
    return this.json('GET', path, options);
  }

  async listEnvironmentTypes(
    options?: MulticlusterRequestOptions,
  ): Promise<EnvironmentTypeInfo[]> {
    return items(
      await this.json<ListBody<EnvironmentTypeInfo>>(
        'GET',
        '/environment-types',
        options,
      ),
    );
  }

  async listEnvironments(
    options?: MulticlusterRequestOptions,
  ): Promise<Environment[]> {
    return items(
      await this.json<ListBody<Environment>>('GET', '/environments', options),
    );
  }

  async getEnvironment(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<Environment> {
    return this.json('GET', `/environments/${segment(name, 'name')}`, options);
  }

  async createEnvironment(
    request: CreateEnvironmentRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<Environment> {
    return this.json('POST', '/environments', options, request);
  }

  async deleteEnvironment(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<void> {
    await this.send(
      'DELETE',
      `/environments/${segment(name, 'name')}`,
      options,
    );
  }

  async getEnvironmentEvents(
    name: string,
    options?: MulticlusterRequestOptions,
  ): Promise<EnvironmentEvent[]> {
    return items(
      await this.json<ListBody<EnvironmentEvent>>(
        'GET',
        `/environments/${segment(name, 'name')}/events`,
        options,
      ),
    );
  }

  async previewPlacement(
    request: PlacementPreviewRequest,
    options?: MulticlusterRequestOptions,
  ): Promise<PlacementPreviewResponse> {
    return this.json('POST', '/placements/preview', options, request);
  }

  private async json<T>(
    method: string,
    path: string,
    options?: MulticlusterRequestOptions,
    body?: unknown,
  ): Promise<T> {
    const response = await this.send(method, path, options, body);
    return (await response.json()) as T;
  }

  private async send(
    method: string,
    path: string,
    options?: MulticlusterRequestOptions,
    body?: unknown,
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl(MULTICLUSTER_PLUGIN_ID);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (options?.token) {
      headers.Authorization = `Bearer ${options.token}`;
    }
    const response = await this.fetchApi.fetch(
      `${baseUrl.replace(/\/+$/, '')}${path}`,
      {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: options?.signal,
      },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}

function items<T>(body: ListBody<T>): T[] {
  return Array.isArray(body) ? body : body.items;
}

/** A path segment; empty ones would silently hit a different route. */
function segment(value: string, field: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new InputError(`${field} must be a non-empty string`);
  }
  return encodeURIComponent(value);
}
