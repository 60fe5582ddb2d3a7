/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Cluster } from '@archipelago/multicluster-common';
import {
  type Manifest,
  manifestsForCluster,
  Redactor,
  secretValues,
  type WorkloadClusterOutcome,
  type WorkloadClusterTarget,
  type WorkloadReconciler,
  type WorkloadRemoveOutcome,
} from '@archipelago/multicluster-node';
import type { PlacementTarget } from '../decide/placement';
import { planWorkloadReplicas } from '../decide/replicas';
import type {
  ClusterRecord,
  DeployScope,
  EventRecord,
  WorkloadRecord,
} from '../store/records';
import type { WorkloadStore } from '../store/WorkloadStore';
import type { OpenRevision, RevisionCache } from './revisions';

/** What one workload's pass needs. */
export interface PassDeps {
  store: WorkloadStore;
  revisions: RevisionCache;
  reconciler: WorkloadReconciler;
  logger: LoggerService;
  /** Whether a revision's writer may deploy to a cluster. */
  inScope: (scope: DeployScope, cluster: Cluster) => boolean;
  pollMs: number;
  eventLimit: number;
  signal?: AbortSignal;
  /** Out-of-scope clusters already told about, by `workload@revision:cluster` (in memory). */
  warned: Set<string>;
}

/** An event not yet stored. */
export type NewEvent = Omit<EventRecord, 'id' | 'at'>;

/** What a fit cluster runs this pass. */
export type Target = WorkloadClusterTarget & {
  namespace: string;
  replicas: Record<string, number>;
};

/**
 * The state of one workload's pass: its cluster rows as they were and as
 * they will be saved, the revisions it opened (Secret values in memory
 * only), their replica plans, the events to record, and a redactor that
 * every message goes through.
 */
export class WorkloadPass {
  readonly events: NewEvent[] = [];
  /** Cluster rows as the last round left them. */
  readonly rows: Map<string, ClusterRecord>;
  /** Cluster rows to save; a row left out is dropped. */
  readonly next = new Map<string, ClusterRecord>();
  private readonly opened = new Map<number, OpenRevision>();
  private readonly plans = new Map<
    number,
    ReturnType<typeof planWorkloadReplicas>
  >();
  private readonly redactor: Redactor;
  /** The targets replicas are planned over (set once placement is decided). */
  targets: PlacementTarget[] = [];

  constructor(
    readonly deps: PassDeps,
    readonly workload: WorkloadRecord,
    readonly newest: OpenRevision,
    rows: ClusterRecord[],
    readonly now: number,
  ) {
    this.rows = new Map(rows.map(r => [r.clusterId, r]));
    this.opened.set(workload.revision, newest);
    this.redactor = new Redactor(secretValues(newest.manifests));
  }

  /** Text with every known Secret value of the workload replaced. */
  say = (text: string): string => this.redactor.redact(text);

  event(event: NewEvent): void {
    this.events.push(event);
  }

  async revision(revision: number): Promise<OpenRevision | undefined> {
    if (!this.opened.has(revision)) {
      const found = await this.deps.revisions.get(this.workload.name, revision);
      if (found) {
        this.opened.set(revision, found);
        this.redactor.add(secretValues(found.manifests));
      }
    }
    return this.opened.get(revision);
  }

  /** A revision's replica plan over this pass's targets. */
  async plan(revision: number) {
    if (!this.plans.has(revision)) {
      const r = await this.revision(revision);
      if (!r) return undefined;
      this.plans.set(
        revision,
        planWorkloadReplicas({
          manifests: r.manifests,
          namespace: r.record.spec.namespace,
          replicas: r.record.spec.replicas,
          targets: this.targets,
          placed: [...this.rows.values()],
        }),
      );
    }
    return this.plans.get(revision);
  }

  /** What a cluster runs for a revision (planned replicas, overrides), or undefined when the revision is gone. */
  async target(
    cluster: { id: string; name: string },
    revision: number,
    mode: Target['mode'],
  ): Promise<Target | undefined> {
    const r = await this.revision(revision);
    const plan = await this.plan(revision);
    if (!r || !plan) return undefined;
    const replicas = plan.plan[cluster.name] ?? {};
    return {
      cluster,
      revision,
      mode,
      namespace: r.record.spec.namespace,
      replicas,
      objects: manifestsForCluster({
        manifests: r.manifests,
        namespace: r.record.spec.namespace,
        clusterName: cluster.name,
        replicas,
        overrides: r.record.spec.overrides,
      }),
    };
  }

  /** Runs the reconciler over targets (one call per namespace); outcomes by cluster id. */
  async run(targets: Target[]): Promise<Map<string, WorkloadClusterOutcome>> {
    const byNamespace = new Map<string, Target[]>();
    for (const t of targets)
      byNamespace.set(t.namespace, [
        ...(byNamespace.get(t.namespace) ?? []),
        t,
      ]);
    const all = await Promise.all(
      [...byNamespace].map(([namespace, list]) =>
        this.deps.reconciler.reconcile(
          {
            workload: this.workload.name,
            namespace,
            targets: list.map(({ cluster, revision, objects, mode }) => ({
              cluster,
              revision,
              objects,
              mode,
            })),
          },
          { signal: this.deps.signal },
        ),
      ),
    );
    return new Map(all.flat().map(o => [o.clusterId, o]));
  }

  /** Removes objects from one cluster. */
  async remove(
    namespace: string,
    cluster: { id: string; name: string },
    objects: Manifest[],
  ): Promise<WorkloadRemoveOutcome> {
    if (objects.length === 0)
      return { clusterId: cluster.id, reached: true, removed: 0 };
    const [outcome] = await this.deps.reconciler.remove(
      {
        workload: this.workload.name,
        namespace,
        targets: [{ cluster, objects }],
      },
      { signal: this.deps.signal },
    );
    return outcome;
  }

  /** The row of a cluster: as saved this pass, else as the last round left it, else a new one. */
  rowOf(cluster: { id: string; name: string }): ClusterRecord {
    return (
      this.next.get(cluster.id) ??
      this.rows.get(cluster.id) ?? {
        workload: this.workload.name,
        clusterId: cluster.id,
        clusterName: cluster.name,
        revision: 0,
        replicas: {},
        desiredReplicas: 0,
        readyReplicas: 0,
        drift: [],
        failedOver: false,
      }
    );
  }

  /** Stores the events (redacted), logs the warnings and errors, keeps the newest `eventLimit`. */
  async writeEvents(): Promise<void> {
    if (this.events.length === 0) return;
    const { store, logger, eventLimit } = this.deps;
    const safe = this.events.map(e => ({ ...e, message: this.say(e.message) }));
    for (const e of safe) {
      const line = `Workload ${this.workload.name}: ${e.message}`;
      if (e.level === 'error') logger.error(line);
      else if (e.level === 'warning') logger.warn(line);
      else logger.debug(line);
    }
    await store.addEvents(this.workload.name, safe);
    await store.pruneEvents(this.workload.name, eventLimit);
  }
}

/** Whether two objects are the same (group, kind, name, namespace). */
export function sameObject(
  a: Manifest,
  b: Manifest,
  namespaceA: string,
  namespaceB: string,
): boolean {
  return (
    a.apiVersion.split('/')[0] === b.apiVersion.split('/')[0] &&
    a.kind === b.kind &&
    a.metadata.name === b.metadata.name &&
    namespaceA === namespaceB
  );
}
