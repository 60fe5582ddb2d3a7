/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  type Cluster,
  type ConnectionDetails,
  CLUSTER_HEALTHS,
  compileLabelSelector,
  type Environment,
  type EnvironmentTypeInfo,
  type InventorySummary,
  type Page,
  planReplicas,
  replicaCapacity,
  selectClusters,
  type Workload,
} from '@archipelago/multicluster-common';
import { NotFoundError } from '@backstage/errors';
import { workloadsMock } from './workloadsMock';
import {
  type MulticlusterService,
  multiclusterServiceRef,
} from './multiclusterService';

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
