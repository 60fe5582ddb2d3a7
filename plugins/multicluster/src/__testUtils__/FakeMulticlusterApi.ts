/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ResponseError } from '@backstage/errors';
import {
  Cluster,
  ClusterHealth,
  ClusterHealthHistory,
  ClusterRefreshResult,
  CLUSTER_HEALTHS,
  CreateEnvironmentRequest,
  EntityRelationsRequest,
  EntityRelationsResponse,
  Environment,
  EnvironmentEvent,
  EnvironmentTypeInfo,
  formatLabelSelector,
  InventorySummary,
  ListClustersRequest,
  matchesLabelSelector,
  MulticlusterApi,
  Page,
  PlacementPreviewResponse,
  ConnectionDetails,
  CreateEnvironmentResult,
  EnvironmentPlan,
  ListEnvironmentsRequest,
  ListWorkloadsRequest,
  Workload,
  WorkloadDnsStatus,
  WorkloadEvent,
  WorkloadPlan,
  WorkloadRevision,
  EnvironmentChangePlan,
  EnvironmentRevision,
  PromoteEnvironmentRequest,
  PromotionInputs,
  RevealedSecret,
  UpdateEnvironmentRequest,
} from '@archipelago/multicluster-common';

/** A 404 as MulticlusterClient would throw it. */
export async function notFound(message: string): Promise<ResponseError> {
  return ResponseError.fromResponse({
    ok: false,
    status: 404,
    statusText: 'Not Found',
    headers: new Headers({ 'content-type': 'application/json' }),
    url: 'http://localhost/api/multicluster',
    text: async () =>
      JSON.stringify({
        error: { name: 'NotFoundError', message },
        response: { statusCode: 404 },
      }),
  } as unknown as Response);
}

const SORT_KEYS: Record<string, (c: Cluster) => string | number> = {
  name: c => c.name,
  health: c => CLUSTER_HEALTHS.indexOf(c.status.health),
  cloud: c => c.cloud,
  lastProbeAt: c => c.status.lastProbeAt ?? '',
};

/**
 * An in-memory MulticlusterApi that behaves like the server: it filters,
 * sorts and pages clusters with opaque cursors, so the pages are tested
 * against real paging. Every call is recorded in `calls`.
 */
export class FakeMulticlusterApi implements MulticlusterApi {
  clusters: Cluster[] = [];
  histories: Record<string, ClusterHealthHistory> = {};
  relations: EntityRelationsResponse = { clusters: [], environments: [] };
  environments: Environment[] = [];
  events: Record<string, EnvironmentEvent[]> = {};
  types: EnvironmentTypeInfo[] = [];
  summary?: InventorySummary;
  workloads: Workload[] = [];
  workloadEvents: Record<string, WorkloadEvent[]> = {};
  workloadRevisions: Record<string, WorkloadRevision[]> = {};
  workloadDns: Record<string, WorkloadDnsStatus> = {};
  revisions: Record<string, EnvironmentRevision[]> = {};
  /** What a dry run of an update, rollback or heal answers, by environment. */
  plans: Record<string, EnvironmentChangePlan> = {};
  /** Secret values by `environment/component/capability`. */
  secrets: Record<string, string> = {};
  /** When set, the named method rejects with it. */
  failures: Partial<Record<keyof MulticlusterApi, Error>> = {};
  calls: Array<{ method: keyof MulticlusterApi; args: unknown[] }> = [];

  constructor(init: Partial<FakeMulticlusterApi> = {}) {
    Object.assign(this, init);
  }

  callsOf(method: keyof MulticlusterApi): unknown[][] {
    return this.calls.filter(c => c.method === method).map(c => c.args);
  }

  private async record(
    method: keyof MulticlusterApi,
    args: unknown[],
  ): Promise<void> {
    // Drop the options argument (signal), which tests never assert on.
    this.calls.push({
      method,
      args: args.filter(a => !(a && typeof a === 'object' && 'signal' in a)),
    });
    const failure = this.failures[method];
    if (failure) {
      throw failure;
    }
  }

  async listClusters(
    request: ListClustersRequest = {},
  ): Promise<Page<Cluster>> {
    await this.record('listClusters', [request]);
    const selector =
      typeof request.selector === 'object'
        ? formatLabelSelector(request.selector)
        : request.selector ?? '';
    const q = request.q?.toLocaleLowerCase('en-US');
    const sortKey = SORT_KEYS[request.sort ?? 'name'];
    const matching = this.clusters
      .filter(c => !request.cloud || c.cloud === request.cloud)
      .filter(c => !request.health || c.status.health === request.health)
      .filter(c => matchesLabelSelector(selector, c.labels))
      .filter(
        c =>
          !q ||
          `${c.name} ${c.title} ${c.region ?? ''}`
            .toLocaleLowerCase('en-US')
            .includes(q),
      )
      .sort((a, b) => {
        const ka = sortKey(a);
        const kb = sortKey(b);
        const direction = request.order === 'desc' ? -1 : 1;
        if (ka === kb) {
          return direction * a.id.localeCompare(b.id);
        }
        return direction * (ka < kb ? -1 : 1);
      });
    const limit = request.limit ?? 50;
    const start = request.cursor
      ? Number(request.cursor.replace('cursor-', ''))
      : 0;
    const items = matching.slice(start, start + limit);
    const next = start + limit;
    return {
      items,
      totalItems: matching.length,
      nextCursor: next < matching.length ? `cursor-${next}` : undefined,
    };
  }

  async getCluster(id: string): Promise<Cluster> {
    await this.record('getCluster', [id]);
    const cluster = this.clusters.find(c => c.id === id);
    if (!cluster) {
      throw await notFound(`No cluster with id ${id}`);
    }
    return cluster;
  }

  async getClusterHealth(id: string): Promise<ClusterHealthHistory> {
    await this.record('getClusterHealth', [id]);
    const history = this.histories[id];
    if (!history) {
      throw await notFound(`No cluster with id ${id}`);
    }
    return history;
  }

  /** What the next refresh answers (by default: both rounds scheduled). */
  refreshResult: ClusterRefreshResult = {
    status: 'accepted',
    message: 'Discovery was scheduled; a probe round was scheduled',
    discovery: 'scheduled',
    probe: 'scheduled',
  };

  async refreshClusters(): Promise<ClusterRefreshResult> {
    await this.record('refreshClusters', []);
    return this.refreshResult;
  }

  async getSummary(): Promise<InventorySummary> {
    await this.record('getSummary', []);
    if (this.summary) {
      return this.summary;
    }
    const byHealth = Object.fromEntries(
      CLUSTER_HEALTHS.map(h => [h, 0]),
    ) as InventorySummary['byHealth'];
    const byCloud: Record<string, number> = {};
    for (const c of this.clusters) {
      byHealth[c.status.health]++;
      byCloud[c.cloud] = (byCloud[c.cloud] ?? 0) + 1;
    }
    return {
      totalClusters: this.clusters.length,
      byHealth,
      byCloud,
      providers: [],
    };
  }

  async getEntityRelations(
    entity: EntityRelationsRequest,
  ): Promise<EntityRelationsResponse> {
    await this.record('getEntityRelations', [entity]);
    if (entity.clusterLimit === undefined) return this.relations;
    // As the backend: the worst `clusterLimit` clusters and counts over all of them.
    const all = this.relations.clusters;
    const byHealth = Object.fromEntries(
      CLUSTER_HEALTHS.map(h => [h, 0]),
    ) as Record<ClusterHealth, number>;
    for (const c of all) byHealth[c.status.health] += 1;
    const worstFirst = [...all].sort(
      (a, b) =>
        CLUSTER_HEALTHS.indexOf(b.status.health) -
        CLUSTER_HEALTHS.indexOf(a.status.health),
    );
    return {
      ...this.relations,
      clusters: worstFirst.slice(0, entity.clusterLimit),
      clusterCounts: { total: all.length, byHealth },
    };
  }

  async listEnvironmentTypes(): Promise<EnvironmentTypeInfo[]> {
    await this.record('listEnvironmentTypes', []);
    return this.types;
  }

  async listEnvironments(
    request: ListEnvironmentsRequest = {},
  ): Promise<Page<Environment>> {
    await this.record('listEnvironments', [request]);
    const sorted = [...this.environments].sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    const after = request.cursor ? atob(request.cursor) : undefined;
    const from = after ? sorted.filter(e => e.name > after) : sorted;
    const limit = request.limit ?? 100;
    const items = from.slice(0, limit);
    return {
      items,
      totalItems: sorted.length,
      ...(from.length > limit
        ? { nextCursor: btoa(items[items.length - 1].name) }
        : {}),
    };
  }

  async getEnvironment(name: string): Promise<Environment> {
    await this.record('getEnvironment', [name]);
    const env = this.environments.find(e => e.name === name);
    if (!env) {
      throw await notFound(`No environment named ${name}`);
    }
    return env;
  }

  async createEnvironment(
    request: CreateEnvironmentRequest,
  ): Promise<CreateEnvironmentResult> {
    await this.record('createEnvironment', [request]);
    throw new Error('createEnvironment is not used by the frontend plugin');
  }

  async planEnvironment(
    request: CreateEnvironmentRequest,
  ): Promise<EnvironmentPlan> {
    await this.record('planEnvironment', [request]);
    throw new Error('planEnvironment is not used by the frontend plugin');
  }

  async destroyEnvironment(name: string): Promise<Environment> {
    await this.record('destroyEnvironment', [name]);
    return this.getEnvironment(name);
  }

  async healEnvironment(name: string): Promise<Environment> {
    await this.record('healEnvironment', [name]);
    return this.getEnvironment(name);
  }

  async listEnvironmentEvents(name: string): Promise<EnvironmentEvent[]> {
    await this.record('listEnvironmentEvents', [name]);
    return this.events[name] ?? [];
  }

  async getClusterConnections(): Promise<ConnectionDetails[]> {
    await this.record('getClusterConnections', []);
    throw new Error('connections are never read by the frontend plugin');
  }

  async updateEnvironment(
    name: string,
    request: UpdateEnvironmentRequest,
  ): Promise<Environment> {
    await this.record('updateEnvironment', [name, request]);
    const env = await this.getEnvironment(name);
    return { ...env, status: 'updating' };
  }

  async planEnvironmentUpdate(
    name: string,
    request: UpdateEnvironmentRequest,
  ): Promise<EnvironmentChangePlan> {
    await this.record('planEnvironmentUpdate', [name, request]);
    return this.planOf(name);
  }

  async planEnvironmentHeal(name: string): Promise<EnvironmentChangePlan> {
    await this.record('planEnvironmentHeal', [name]);
    return this.planOf(name);
  }

  async listEnvironmentRevisions(name: string): Promise<EnvironmentRevision[]> {
    await this.record('listEnvironmentRevisions', [name]);
    return this.revisions[name] ?? [];
  }

  async rollbackEnvironment(
    name: string,
    revision: number,
  ): Promise<Environment> {
    await this.record('rollbackEnvironment', [name, revision]);
    return { ...(await this.getEnvironment(name)), status: 'updating' };
  }

  async planEnvironmentRollback(
    name: string,
    revision: number,
  ): Promise<EnvironmentChangePlan> {
    await this.record('planEnvironmentRollback', [name, revision]);
    return this.planOf(name);
  }

  async promoteEnvironment(
    name: string,
    request: PromoteEnvironmentRequest,
  ): Promise<Environment> {
    await this.record('promoteEnvironment', [name, request]);
    const source = await this.getEnvironment(name);
    return {
      ...source,
      name: request.name,
      type: request.type,
      cloud: request.cloud,
      status: 'pending',
      components: [],
    };
  }

  async planEnvironmentPromotion(
    name: string,
    request: PromoteEnvironmentRequest,
  ): Promise<{ plan: EnvironmentPlan } & PromotionInputs> {
    await this.record('planEnvironmentPromotion', [name, request]);
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
  }

  async extendEnvironment(
    name: string,
    ttlMinutes: number,
  ): Promise<Environment> {
    await this.record('extendEnvironment', [name, ttlMinutes]);
    return this.getEnvironment(name);
  }

  async revealEnvironmentSecret(
    name: string,
    component: string,
    capability: string,
  ): Promise<RevealedSecret> {
    await this.record('revealEnvironmentSecret', [name, component, capability]);
    const value = this.secrets[`${name}/${component}/${capability}`];
    if (value === undefined) throw await notFound(`No secret ${capability}`);
    return { environment: name, component, capability, value };
  }

  private planOf(name: string): EnvironmentChangePlan {
    const plan = this.plans[name];
    if (!plan) throw new Error(`no plan for ${name} in the fake`);
    return plan;
  }

  async previewPlacement(): Promise<PlacementPreviewResponse> {
    await this.record('previewPlacement', []);
    return { clusters: [], excluded: [], overflow: {} };
  }

  // Workloads

  async listWorkloads(
    request: ListWorkloadsRequest = {},
  ): Promise<Page<Workload>> {
    await this.record('listWorkloads', [request]);
    const items = this.workloads.filter(
      w => !request.entityRef || w.entityRef === request.entityRef,
    );
    return { items, totalItems: items.length };
  }

  async getWorkload(name: string): Promise<Workload> {
    await this.record('getWorkload', [name]);
    const workload = this.workloads.find(w => w.name === name);
    if (!workload) {
      throw await notFound(`No workload named ${name}`);
    }
    return workload;
  }

  async createWorkload(): Promise<Workload> {
    await this.record('createWorkload', []);
    throw new Error('createWorkload is not used by the frontend plugin');
  }

  async planWorkload(): Promise<WorkloadPlan> {
    await this.record('planWorkload', []);
    throw new Error('planWorkload is not used by the frontend plugin');
  }

  async updateWorkload(): Promise<Workload> {
    await this.record('updateWorkload', []);
    throw new Error('updateWorkload is not used by the frontend plugin');
  }

  async planWorkloadUpdate(): Promise<WorkloadPlan> {
    await this.record('planWorkloadUpdate', []);
    throw new Error('planWorkloadUpdate is not used by the frontend plugin');
  }

  async deleteWorkload(name: string): Promise<Workload> {
    await this.record('deleteWorkload', [name]);
    return this.getWorkload(name);
  }

  async listWorkloadEvents(name: string): Promise<WorkloadEvent[]> {
    await this.record('listWorkloadEvents', [name]);
    return this.workloadEvents[name] ?? [];
  }

  async listWorkloadRevisions(name: string): Promise<WorkloadRevision[]> {
    await this.record('listWorkloadRevisions', [name]);
    return this.workloadRevisions[name] ?? [];
  }

  async rollbackWorkload(name: string, revision: number): Promise<Workload> {
    await this.record('rollbackWorkload', [name, revision]);
    const workload = await this.getWorkload(name);
    return { ...workload, revision: workload.revision + 1 };
  }

  async pauseWorkload(name: string): Promise<Workload> {
    await this.record('pauseWorkload', [name]);
    return { ...(await this.getWorkload(name)), paused: true };
  }

  async resumeWorkload(name: string): Promise<Workload> {
    await this.record('resumeWorkload', [name]);
    return { ...(await this.getWorkload(name)), paused: false };
  }

  async getWorkloadDns(name: string): Promise<WorkloadDnsStatus> {
    await this.record('getWorkloadDns', [name]);
    const dns = this.workloadDns[name];
    if (dns) return dns;
    throw await notFound(`Workload ${name} has no dns`);
  }
}
