/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type AuthService,
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
  CLUSTER_HEALTHS,
  compileLabelSelector,
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
  MULTICLUSTER_PLUGIN_ID,
  type MulticlusterApi,
  MulticlusterClient,
  type Page,
  type PlacementPreviewRequest,
  type PlacementPreviewResponse,
  planReplicas,
  replicaCapacity,
  selectClusters,
  type Workload,
  type WorkloadEvent,
  type WorkloadPlan,
  type WorkloadRequest,
  type WorkloadRevision,
} from '@archipelago/multicluster-common';
import { NotFoundError } from '@backstage/errors';
import { workloadsMock } from './workloadsMock';

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

/** Every call to the multicluster plugin is bounded (a dead backend never hangs a caller). */
const DEFAULT_TIMEOUT_MS = 30_000;

class DefaultMulticlusterService implements MulticlusterService {
  constructor(
    private readonly auth: AuthService,
    private readonly api: MulticlusterApi,
    private readonly timeoutMs: number,
  ) {}

  /** The client's options for one call: a token on behalf of the caller and a bounded signal. */
  private async call(options: MulticlusterServiceRequestOptions) {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: options.credentials,
      targetPluginId: MULTICLUSTER_PLUGIN_ID,
    });
    const timeout = AbortSignal.timeout(this.timeoutMs);
    return {
      token,
      signal: options.signal
        ? AbortSignal.any([options.signal, timeout])
        : timeout,
    };
  }

  async listClusters(
    request: ListClustersRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.listClusters(request, await this.call(options));
  }
  async getCluster(id: string, options: MulticlusterServiceRequestOptions) {
    return this.api.getCluster(id, await this.call(options));
  }
  async getClusterHealth(
    id: string,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.getClusterHealth(id, await this.call(options));
  }
  async refreshClusters(options: MulticlusterServiceRequestOptions) {
    return this.api.refreshClusters(await this.call(options));
  }
  async getSummary(options: MulticlusterServiceRequestOptions) {
    return this.api.getSummary(await this.call(options));
  }
  async getEntityRelations(
    entity: EntityRelationsRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.getEntityRelations(entity, await this.call(options));
  }
  async getClusterConnections(
    ids: string[],
    options: MulticlusterServiceRequestOptions & {
      role?: ClusterConnectionRole;
    },
  ) {
    return this.api.getClusterConnections(ids, {
      ...(await this.call(options)),
      ...(options.role ? { role: options.role } : {}),
    });
  }
  async listEnvironmentTypes(options: MulticlusterServiceRequestOptions) {
    return this.api.listEnvironmentTypes(await this.call(options));
  }
  async listEnvironments(
    request: ListEnvironmentsRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.listEnvironments(request, await this.call(options));
  }
  async getEnvironment(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.getEnvironment(name, await this.call(options));
  }
  async createEnvironment(
    request: CreateEnvironmentRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.createEnvironment(request, await this.call(options));
  }
  async planEnvironment(
    request: CreateEnvironmentRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.planEnvironment(request, await this.call(options));
  }
  async destroyEnvironment(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.destroyEnvironment(name, await this.call(options));
  }
  async listEnvironmentEvents(
    name: string,
    request: ListEnvironmentEventsRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.listEnvironmentEvents(
      name,
      request,
      await this.call(options),
    );
  }
  async healEnvironment(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.healEnvironment(name, await this.call(options));
  }
  async updateEnvironment(
    name: string,
    request: UpdateEnvironmentRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.updateEnvironment(name, request, await this.call(options));
  }
  async planEnvironmentUpdate(
    name: string,
    request: UpdateEnvironmentRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.planEnvironmentUpdate(
      name,
      request,
      await this.call(options),
    );
  }
  async listEnvironmentRevisions(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.listEnvironmentRevisions(name, await this.call(options));
  }
  async rollbackEnvironment(
    name: string,
    revision: number,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.rollbackEnvironment(
      name,
      revision,
      await this.call(options),
    );
  }
  async promoteEnvironment(
    name: string,
    request: PromoteEnvironmentRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.promoteEnvironment(name, request, await this.call(options));
  }
  async planEnvironmentPromotion(
    name: string,
    request: PromoteEnvironmentRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.planEnvironmentPromotion(
      name,
      request,
      await this.call(options),
    );
  }
  async extendEnvironment(
    name: string,
    ttlMinutes: number,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.extendEnvironment(
      name,
      ttlMinutes,
      await this.call(options),
    );
  }
  async previewPlacement(
    request: PlacementPreviewRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.previewPlacement(request, await this.call(options));
  }
  async listWorkloads(
    request: ListWorkloadsRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.listWorkloads(request, await this.call(options));
  }
  async getWorkload(name: string, options: MulticlusterServiceRequestOptions) {
    return this.api.getWorkload(name, await this.call(options));
  }
  async createWorkload(
    request: WorkloadRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.createWorkload(request, await this.call(options));
  }
  async planWorkload(
    request: WorkloadRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.planWorkload(request, await this.call(options));
  }
  async updateWorkload(
    name: string,
    request: WorkloadRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.updateWorkload(name, request, await this.call(options));
  }
  async planWorkloadUpdate(
    name: string,
    request: WorkloadRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.planWorkloadUpdate(name, request, await this.call(options));
  }
  async deleteWorkload(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.deleteWorkload(name, await this.call(options));
  }
  async listWorkloadEvents(
    name: string,
    request: ListWorkloadEventsRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.listWorkloadEvents(name, request, await this.call(options));
  }
  async listWorkloadRevisions(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.listWorkloadRevisions(name, await this.call(options));
  }
  async rollbackWorkload(
    name: string,
    revision: number,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.rollbackWorkload(name, revision, await this.call(options));
  }
  async pauseWorkload(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.pauseWorkload(name, await this.call(options));
  }
  async resumeWorkload(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.resumeWorkload(name, await this.call(options));
  }
}

/**
 * A MulticlusterService over the REST API: the typed client found through
 * discovery, with a plugin request token on behalf of each call's
 * credentials, every call bounded by `timeoutMs` (default 30 s). This is what
 * `multiclusterServiceRef` provides by default.
 * @public
 */
export function createMulticlusterService(options: {
  auth: AuthService;
  discovery: { getBaseUrl(pluginId: string): Promise<string> };
  timeoutMs?: number;
}): MulticlusterService {
  return new DefaultMulticlusterService(
    options.auth,
    new MulticlusterClient({ discoveryApi: options.discovery }),
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );
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

/** What the in-memory multicluster service starts with. @public */
export interface MulticlusterServiceMockOptions {
  /** The clusters it serves. */
  clusters?: Cluster[];
  /** The environments it serves. */
  environments?: Environment[];
  /** Workloads as `GET /workloads/:name` would serve them. */
  workloads?: Workload[];
  /** The environment types it serves. */
  environmentTypes?: EnvironmentTypeInfo[];
  /** Connection details by cluster id. */
  connections?: Record<string, ConnectionDetails>;
}

/**
 * An in-memory MulticlusterService for unit tests of other plugins: it
 * filters by selector, cloud, health and text and pages like the server;
 * `calls` records every call with its arguments (credentials dropped).
 * Integration tests start the real plugin instead.
 * @public
 */
export function multiclusterServiceMock(
  options: MulticlusterServiceMockOptions = {},
): MulticlusterService & {
  calls: Array<{ method: keyof MulticlusterService; args: unknown[] }>;
} {
  const clusters = [...(options.clusters ?? [])].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  const environments = [...(options.environments ?? [])].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  const calls: Array<{ method: keyof MulticlusterService; args: unknown[] }> =
    [];
  const record = (method: keyof MulticlusterService, ...args: unknown[]) =>
    calls.push({ method, args });
  const page = <T>(items: T[], limit = 50, cursor?: string): Page<T> => {
    const from = cursor ? Number(cursor) : 0;
    const slice = items.slice(from, from + limit);
    const next = from + limit;
    return {
      items: slice,
      totalItems: items.length,
      ...(next < items.length ? { nextCursor: String(next) } : {}),
    };
  };
  const cluster = (id: string) => {
    const found = clusters.find(c => c.id === id);
    if (!found) throw new NotFoundError(`No cluster with id ${id}`);
    return found;
  };
  const environment = (name: string) => {
    const found = environments.find(e => e.name === name);
    if (!found) throw new NotFoundError(`No environment named ${name}`);
    return found;
  };
  const oneOrMore = <T>(v: T | T[] | undefined) =>
    v === undefined ? undefined : new Set(Array.isArray(v) ? v : [v]);

  return {
    calls,
    ...workloadsMock(options.workloads ?? [], (method, ...args) =>
      record(method, ...args),
    ),
    async listClusters(request) {
      record('listClusters', request);
      const matcher =
        request.selector !== undefined
          ? compileLabelSelector(request.selector)
          : undefined;
      const clouds = oneOrMore(request.cloud);
      const healths = oneOrMore(request.health);
      const q = request.q?.toLowerCase();
      const matching = clusters.filter(
        c =>
          (!matcher || matcher(c.labels)) &&
          (!clouds || clouds.has(c.cloud)) &&
          (!healths || healths.has(c.status.health)) &&
          (!q ||
            [c.name, c.title, ...Object.entries(c.labels).map(l => l.join('='))]
              .join(' ')
              .toLowerCase()
              .includes(q)),
      );
      return page(matching, request.limit, request.cursor);
    },
    async getCluster(id) {
      record('getCluster', id);
      return cluster(id);
    },
    async getClusterHealth(id) {
      record('getClusterHealth', id);
      return { current: cluster(id).status, history: [] };
    },
    async refreshClusters() {
      record('refreshClusters');
      return {
        status: 'accepted' as const,
        message: 'Discovery was scheduled; a probe round was scheduled',
        discovery: 'scheduled' as const,
        probe: 'scheduled' as const,
      };
    },
    async getSummary() {
      record('getSummary');
      const byHealth = Object.fromEntries(
        CLUSTER_HEALTHS.map(h => [
          h,
          clusters.filter(c => c.status.health === h).length,
        ]),
      ) as InventorySummary['byHealth'];
      const byCloud: Record<string, number> = {};
      for (const c of clusters) byCloud[c.cloud] = (byCloud[c.cloud] ?? 0) + 1;
      return {
        totalClusters: clusters.length,
        byHealth,
        byCloud,
        providers: [],
      };
    },
    async getEntityRelations(entity) {
      record('getEntityRelations', entity);
      return { clusters: [], environments: [] };
    },
    async getClusterConnections(ids, callOptions) {
      record('getClusterConnections', ids, callOptions?.role ?? 'view');
      return ids.flatMap(id =>
        options.connections?.[id] ? [options.connections[id]] : [],
      );
    },
    async listEnvironmentTypes() {
      record('listEnvironmentTypes');
      return options.environmentTypes ?? [];
    },
    async listEnvironments(request) {
      record('listEnvironments', request);
      return page(environments, request.limit ?? 100, request.cursor);
    },
    async getEnvironment(name) {
      record('getEnvironment', name);
      return environment(name);
    },
    async createEnvironment(request) {
      record('createEnvironment', request);
      const existing = environments.find(e => e.name === request.name);
      if (existing) return { environment: existing, outcome: 'existing' };
      const now = new Date().toISOString();
      const created: Environment = {
        name: request.name,
        type: request.type,
        cloud: request.cloud,
        owner: request.owner,
        inputs: request.inputs ?? {},
        status: 'pending',
        createdAt: now,
        updatedAt: now,
        components: [],
      };
      environments.push(created);
      return { environment: created, outcome: 'created' };
    },
    async planEnvironment(request) {
      record('planEnvironment', request);
      return {
        type: request.type,
        cloud: request.cloud,
        components: [],
        stages: [],
      };
    },
    async destroyEnvironment(name) {
      record('destroyEnvironment', name);
      const env = environment(name);
      env.status = 'destroyed';
      return env;
    },
    async listEnvironmentEvents(name, request) {
      record('listEnvironmentEvents', name, request);
      environment(name);
      return [];
    },
    async healEnvironment(name) {
      record('healEnvironment', name);
      return environment(name);
    },
    async updateEnvironment(name, request) {
      record('updateEnvironment', name, request);
      const env = environment(name);
      if (request.type) env.type = request.type;
      if (request.inputs) env.inputs = request.inputs;
      env.revision = (env.revision ?? 1) + 1;
      return env;
    },
    async planEnvironmentUpdate(name, request) {
      record('planEnvironmentUpdate', name, request);
      const env = environment(name);
      const cost = {
        currency: 'USD',
        hourly: 0,
        monthly: 0,
        components: {},
        unpriced: [],
      };
      return {
        environment: name,
        operation: 'update',
        fromRevision: env.revision ?? 1,
        toRevision: (env.revision ?? 1) + 1,
        from: { type: env.type, cloud: env.cloud },
        to: { type: request.type ?? env.type, cloud: env.cloud },
        components: [],
        stages: [],
        changed: false,
        cost: { from: cost, to: cost },
      };
    },
    async listEnvironmentRevisions(name) {
      record('listEnvironmentRevisions', name);
      environment(name);
      return [];
    },
    async rollbackEnvironment(name, revision) {
      record('rollbackEnvironment', name, revision);
      return environment(name);
    },
    async promoteEnvironment(name, request) {
      record('promoteEnvironment', name, request);
      const source = environment(name);
      const created: Environment = {
        ...source,
        name: request.name,
        type: request.type,
        cloud: request.cloud,
        owner: request.owner ?? source.owner,
        status: 'pending',
        components: [],
      };
      environments.push(created);
      return created;
    },
    async planEnvironmentPromotion(name, request) {
      record('planEnvironmentPromotion', name, request);
      environment(name);
      return {
        plan: {
          type: request.type,
          cloud: request.cloud,
          components: [],
          stages: [],
        },
        carried: {},
        dropped: [],
      };
    },
    async extendEnvironment(name, ttlMinutes) {
      record('extendEnvironment', name, ttlMinutes);
      return environment(name);
    },
    async previewPlacement(request) {
      record('previewPlacement', request);
      const { selected, excluded } = selectClusters(
        request.placement,
        clusters.map(c => ({
          name: c.name,
          labels: c.labels,
          health: c.status.health,
        })),
      );
      const byName = new Map(clusters.map(c => [c.name, c]));
      if (!request.replicas) {
        return {
          clusters: selected.map(name => ({ name, id: byName.get(name)!.id })),
          excluded,
          overflow: {},
        };
      }
      const capacity: Record<string, number> = {};
      for (const name of selected) {
        const cap = replicaCapacity(byName.get(name)!);
        if (cap !== undefined) capacity[name] = cap;
      }
      const { plan, overflow } = planReplicas({
        ...request.replicas,
        clusters: selected,
        capacity,
      });
      return {
        clusters: selected.map(name => ({
          name,
          id: byName.get(name)!.id,
          replicas: plan[name] ?? 0,
        })),
        excluded,
        overflow,
      };
    },
  };
}

/**
 * Companions of the `multiclusterServiceMock` function, the way Backstage's
 * `mockServices` pairs each mock with its factory.
 * @public
 */
export namespace multiclusterServiceMock {
  /**
   * A service factory for `multiclusterServiceRef` backed by
   * multiclusterServiceMock, for `startTestBackend({ features: [...] })`.
   */
  export const factory = (options?: MulticlusterServiceMockOptions) =>
    createServiceFactory({
      service: multiclusterServiceRef,
      deps: {},
      factory: () => multiclusterServiceMock(options),
    });
}
