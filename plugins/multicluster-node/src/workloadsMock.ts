/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  DEFAULT_WORKLOAD_ROLLOUT,
  type Page,
  parseWorkloadRequest,
  type Workload,
  type WorkloadEvent,
  type WorkloadPlan,
  type WorkloadRequest,
  type WorkloadRevision,
} from '@archipelago/multicluster-common';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { MulticlusterService } from './multiclusterService';

type WorkloadMethods = Pick<
  MulticlusterService,
  | 'listWorkloads'
  | 'getWorkload'
  | 'createWorkload'
  | 'planWorkload'
  | 'updateWorkload'
  | 'planWorkloadUpdate'
  | 'deleteWorkload'
  | 'listWorkloadEvents'
  | 'listWorkloadRevisions'
  | 'rollbackWorkload'
  | 'pauseWorkload'
  | 'resumeWorkload'
>;

/**
 * The workload half of multiclusterServiceMock: workloads in memory, each
 * write a new revision, validated like the server (no manifests parsing, no
 * placement: there is no inventory to place on).
 */
export function workloadsMock(
  initial: Workload[],
  record: (method: keyof MulticlusterService, ...args: unknown[]) => void,
): WorkloadMethods {
  const workloads = new Map(initial.map(w => [w.name, structuredClone(w)]));
  const revisions = new Map<string, WorkloadRevision[]>();
  const events = new Map<string, WorkloadEvent[]>();
  const now = () => new Date().toISOString();

  const find = (name: string) => {
    const found = workloads.get(name);
    if (!found) throw new NotFoundError(`No workload named ${name}`);
    return found;
  };
  const toWorkload = (
    request: WorkloadRequest,
    revision: number,
    previous?: Workload,
  ): Workload => {
    const valid = parseWorkloadRequest(request);
    return {
      name: valid.name,
      owner: valid.owner,
      ...(valid.entityRef ? { entityRef: valid.entityRef } : {}),
      namespace: valid.namespace,
      manifests: typeof valid.manifests === 'string' ? [] : valid.manifests,
      placement: valid.placement,
      ...(valid.replicas ? { replicas: valid.replicas } : {}),
      overrides: valid.overrides,
      rollout: { ...DEFAULT_WORKLOAD_ROLLOUT, ...valid.rollout },
      failover: { graceSeconds: valid.failover.graceSeconds ?? 60 },
      onClusterRemoved: valid.onClusterRemoved,
      ...(valid.dns ? { dns: valid.dns } : {}),
      revision,
      paused: previous?.paused ?? false,
      createdAt: previous?.createdAt ?? now(),
      updatedAt: now(),
      // No reconciler here: every revision is rolled out at once, on no cluster.
      status: {
        phase: 'Available',
        reason: 'the mock places nothing',
        rollout: {
          revision,
          state: 'complete',
          updated: 0,
          failed: 0,
          total: 0,
          step: 0,
        },
        clusters: [],
      },
    };
  };
  const addRevision = (w: Workload, cause: string) => {
    const list = revisions.get(w.name) ?? [];
    for (const r of list) r.current = false;
    list.unshift({
      revision: w.revision,
      createdAt: w.updatedAt,
      cause,
      images: [],
      current: true,
    });
    revisions.set(w.name, list);
    (events.get(w.name) ?? events.set(w.name, []).get(w.name)!).push({
      id: (events.get(w.name)?.length ?? 0) + 1,
      at: w.updatedAt,
      level: 'info',
      message: `revision ${w.revision}: ${cause}`,
    });
  };
  // No inventory and no stored manifests to compare: an empty plan of the right revision.
  const plan = (w: Workload): WorkloadPlan => ({
    dryRun: true,
    revision: w.revision,
    diff: [],
    clusters: [],
    excluded: [],
    overflow: {},
  });

  return {
    async listWorkloads(request) {
      record('listWorkloads', request);
      const items = [...workloads.values()]
        .filter(w => !request.owner || w.owner === request.owner)
        .filter(w => !request.entityRef || w.entityRef === request.entityRef)
        .sort((a, b) => a.name.localeCompare(b.name));
      const page: Page<Workload> = { items, totalItems: items.length };
      return page;
    },
    async getWorkload(name) {
      record('getWorkload', name);
      return find(name);
    },
    async createWorkload(request) {
      record('createWorkload', request);
      if (workloads.has(request.name))
        throw new ConflictError(`Workload ${request.name} exists; use PUT`);
      const w = toWorkload(request, 1);
      workloads.set(w.name, w);
      addRevision(w, 'created');
      return w;
    },
    async planWorkload(request) {
      record('planWorkload', request);
      return plan(toWorkload(request, 1));
    },
    async updateWorkload(name, request) {
      record('updateWorkload', name, request);
      const previous = find(name);
      if (request.name !== name)
        throw new InputError(`name: must be ${name}, the workload's name`);
      const w = toWorkload(request, previous.revision + 1, previous);
      workloads.set(name, w);
      addRevision(w, 'updated');
      return w;
    },
    async planWorkloadUpdate(name, request) {
      record('planWorkloadUpdate', name, request);
      const previous = find(name);
      return plan(toWorkload(request, previous.revision + 1));
    },
    async deleteWorkload(name) {
      record('deleteWorkload', name);
      const w = find(name);
      workloads.delete(name);
      return { ...w, deleting: true };
    },
    async listWorkloadEvents(name, request) {
      record('listWorkloadEvents', name, request);
      find(name);
      return (events.get(name) ?? []).filter(
        e => request.after === undefined || e.id > request.after,
      );
    },
    async listWorkloadRevisions(name) {
      record('listWorkloadRevisions', name);
      find(name);
      return revisions.get(name) ?? [];
    },
    async rollbackWorkload(name, revision) {
      record('rollbackWorkload', name, revision);
      const w = find(name);
      if (!(revisions.get(name) ?? []).some(r => r.revision === revision))
        throw new InputError(
          `revision: workload ${name} keeps no revision ${revision}`,
        );
      const next: Workload = {
        ...w,
        revision: w.revision + 1,
        updatedAt: now(),
        status: {
          ...w.status,
          rollout: { ...w.status.rollout!, revision: w.revision + 1 },
        },
      };
      workloads.set(name, next);
      addRevision(next, `rolled back to revision ${revision}`);
      return next;
    },
    async pauseWorkload(name) {
      record('pauseWorkload', name);
      const w = { ...find(name), paused: true };
      workloads.set(name, w);
      return w;
    },
    async resumeWorkload(name) {
      record('resumeWorkload', name);
      const w = { ...find(name), paused: false };
      workloads.set(name, w);
      return w;
    },
  };
}
