/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type Cluster,
  parseWorkloadRequest,
  type ValidWorkloadRequest,
  type Workload,
  type WorkloadDnsStatus,
  type WorkloadEvent,
  type WorkloadPlan,
  type WorkloadRevision,
} from '@archipelago/multicluster-common';
import {
  type ManifestLimits,
  manifestsForCluster,
  Redactor,
  replicasOf,
  secretValues,
} from '@archipelago/multicluster-node';
import { InputError, NotFoundError } from '@backstage/errors';
import type { Knex } from 'knex';
import type { SecretBox } from '../environments/secrets/SecretBox';
import type { WorkloadsSettings } from './config';
import { decidePlacement } from './decide/placement';
import { planWorkloadReplicas } from './decide/replicas';
import { diffManifests } from './decide/specDiff';
import { statusOf } from './engine/clusterRows';
import { readInventory } from './inventory';
import {
  type BuiltSpec,
  buildSpec,
  openManifests,
  plainSecrets,
  sameDesiredState,
  specView,
} from './spec';
import type {
  ClusterRecord,
  DeployScope,
  RevisionRecord,
  WorkloadRecord,
} from './store/records';
import type { WorkloadStore } from './store/WorkloadStore';
import type { WorkloadDnsHooks } from '../dns';

const iso = (ms: number) => new Date(ms).toISOString();

/** A request checked and turned into a desired state, not yet stored. */
export interface PreparedWorkload {
  request: ValidWorkloadRequest;
  built: BuiltSpec;
  /** The workload it would change, if it exists. */
  existing?: WorkloadRecord;
}

/**
 * Workloads as the REST routes and actions see them: reads assembled from
 * the store, writes as new revisions (the engine does the rest). Permissions
 * are the router's; nothing here returns a Secret value.
 */
export class WorkloadsService {
  private dnsHooks?: WorkloadDnsHooks;
  private dnsTrigger?: () => void;

  /** Connects the DNS reconciler: it checks `dns`, serves its status and hears of changes. */
  setDns(hooks: WorkloadDnsHooks, trigger: () => void) {
    this.dnsHooks = hooks;
    this.dnsTrigger = trigger;
  }

  private changed() {
    this.options.onChange();
    this.dnsTrigger?.();
  }

  constructor(
    private readonly options: {
      db: Knex;
      store: WorkloadStore;
      box?: SecretBox;
      settings: WorkloadsSettings;
      limits: ManifestLimits;
      /** Asks for a reconcile round now (never waits for it). */
      onChange: () => void;
      inScope: (scope: DeployScope, cluster: Cluster) => boolean;
    },
  ) {}

  // ---- reads

  async get(name: string): Promise<Workload | undefined> {
    const record = await this.options.store.get(name);
    if (!record) return undefined;
    const [view] = await this.views([record]);
    return view;
  }

  /** The stored record of a workload; 404 when there is none. */
  async record(name: string): Promise<WorkloadRecord> {
    const record = await this.options.store.get(name);
    if (!record) throw new NotFoundError(`No workload named ${name}`);
    return record;
  }

  async list(
    filter: { owner?: string; entityRef?: string; names?: string[] } = {},
  ): Promise<Workload[]> {
    return this.views(await this.options.store.list(filter));
  }

  private async views(records: WorkloadRecord[]): Promise<Workload[]> {
    if (records.length === 0) return [];
    const { store } = this.options;
    const revisions = await store.currentRevisions(records);
    const clusters = await store.clustersOf(records.map(r => r.name));
    return records.flatMap(r => {
      const revision = revisions.get(r.name);
      return revision ? [toView(r, revision, clusters.get(r.name) ?? [])] : [];
    });
  }

  async events(
    name: string,
    options: { after?: number; limit: number },
  ): Promise<WorkloadEvent[]> {
    return (await this.options.store.listEvents(name, options)).map(e => ({
      id: e.id,
      at: iso(e.at),
      level: e.level,
      ...(e.cluster ? { cluster: e.cluster } : {}),
      message: e.message,
    }));
  }

  async revisions(record: WorkloadRecord): Promise<WorkloadRevision[]> {
    return (await this.options.store.listRevisions(record.name)).map(r => ({
      revision: r.revision,
      createdAt: iso(r.createdAt),
      ...(r.createdBy ? { createdBy: r.createdBy } : {}),
      cause: r.cause,
      images: imagesOf(r),
      current: r.revision === record.revision,
    }));
  }

  async dns(workload: Workload): Promise<WorkloadDnsStatus> {
    if (!workload.dns)
      throw new NotFoundError(
        `Workload ${workload.name} has no dns: set dns { hostname, policy } to publish a global name`,
      );
    if (this.dnsHooks) return this.dnsHooks.status(workload.name, workload.dns);
    return { dns: workload.dns, records: [], clusters: [] };
  }

  // ---- writes

  /** Checks a request and builds its desired state; an InputError names the field. */
  async prepare(body: unknown, name?: string): Promise<PreparedWorkload> {
    const request = parseWorkloadRequest(body);
    if (name !== undefined && request.name !== name)
      throw new InputError(
        `name: the body names workload "${request.name}" but the path names "${name}"`,
      );
    const existing = await this.options.store.get(request.name);
    // Kept Secret values (`[REDACTED]` sent back) come only from the workload being updated.
    const previous =
      existing && name !== undefined
        ? await this.options.store.getRevision(
            existing.name,
            existing.revision,
            {
              withSecrets: true,
            },
          )
        : undefined;
    const built = buildSpec(request, {
      limits: this.options.limits,
      box: this.options.box,
      defaultGraceSeconds: this.options.settings.failover.graceSeconds,
      previous,
    });
    if (built.spec.dns) {
      if (!this.dnsHooks)
        throw new InputError(
          'dns: no DNS zone is configured (multicluster.dns.zones); remove dns or ask an admin to add a zone',
        );
      await this.dnsHooks.check(built.spec);
    }
    return { request, built, existing };
  }

  /** The clusters a placement selects now in the stored inventory (health aside). */
  async selectedNow(prepared: PreparedWorkload): Promise<Cluster[]> {
    const inventory = await readInventory(this.options.db);
    const decision = decidePlacement({
      placement: prepared.built.spec.placement,
      clusters: inventory.clusters,
      inScope: () => true,
      placed: [],
      graceSeconds: 0,
      now: Date.now(),
    });
    return decision.targets.map(t => inventory.byId.get(t.cluster.id)!);
  }

  async create(
    prepared: PreparedWorkload,
    scope: DeployScope,
    createdBy?: string,
  ): Promise<Workload> {
    await this.options.store.create({
      spec: prepared.built.spec,
      secrets: prepared.built.secrets,
      scope,
      cause: 'created',
      createdBy,
    });
    this.changed();
    return (await this.get(prepared.built.spec.name))!;
  }

  /** A new revision; the same desired state again makes none (answers the workload as is). */
  async update(
    prepared: PreparedWorkload,
    scope: DeployScope,
    createdBy?: string,
  ): Promise<{ workload: Workload; changed: boolean }> {
    const existing = prepared.existing!;
    const live = await this.options.store.getRevision(
      existing.name,
      existing.revision,
      { withSecrets: true },
    );
    if (
      live &&
      sameDesiredState(prepared.built, {
        spec: live.spec,
        plain: plainSecrets(live.spec, live.secrets, this.options.box),
      })
    ) {
      return { workload: (await this.get(existing.name))!, changed: false };
    }
    await this.options.store.addRevision(
      existing.name,
      existing.revision,
      {
        spec: prepared.built.spec,
        secrets: prepared.built.secrets,
        scope,
        cause: 'updated',
        createdBy,
      },
      this.options.settings.revisionHistoryLimit,
    );
    this.changed();
    return { workload: (await this.get(existing.name))!, changed: true };
  }

  /** A new revision with the desired state of a kept one. */
  async rollback(
    record: WorkloadRecord,
    revision: number,
    scope: DeployScope,
    createdBy?: string,
  ): Promise<Workload> {
    const kept = await this.options.store.getRevision(record.name, revision, {
      withSecrets: true,
    });
    if (!kept) {
      const list = (await this.options.store.listRevisions(record.name)).map(
        r => r.revision,
      );
      throw new InputError(
        `revision: workload ${
          record.name
        } keeps no revision ${revision}; kept: ${list.join(', ')}`,
      );
    }
    await this.options.store.addRevision(
      record.name,
      record.revision,
      {
        spec: kept.spec,
        secrets: kept.secrets,
        scope,
        cause: `rolled back to revision ${revision}`,
        createdBy,
      },
      this.options.settings.revisionHistoryLimit,
    );
    this.changed();
    return (await this.get(record.name))!;
  }

  /** The kept revision's desired state, to check placement and permissions of a rollback. */
  async revisionSpec(name: string, revision: number) {
    return (await this.options.store.getRevision(name, revision))?.spec;
  }

  async setPaused(record: WorkloadRecord, paused: boolean): Promise<Workload> {
    await this.options.store.setPaused(record.name, paused);
    this.changed();
    return (await this.get(record.name))!;
  }

  async delete(record: WorkloadRecord): Promise<Workload> {
    await this.options.store.markDeleting(record.name);
    this.changed();
    return (await this.get(record.name))!;
  }

  /**
   * A dry run: the diff against the live revision (Secret values compared,
   * never shown) and the placement and replica plan now, for the clusters
   * the caller's deploy scope allows. Nothing is stored or applied.
   */
  async plan(
    prepared: PreparedWorkload,
    scope: DeployScope,
  ): Promise<WorkloadPlan> {
    const { built, existing } = prepared;
    const { store, box } = this.options;
    const proposed = openManifests(built.spec, built.secrets, box);
    let live: typeof proposed = [];
    let rows: ClusterRecord[] = [];
    if (existing) {
      const revision = await store.getRevision(
        existing.name,
        existing.revision,
        {
          withSecrets: true,
        },
      );
      if (revision) live = openManifests(revision.spec, revision.secrets, box);
      rows = await store.listClusters(existing.name);
    }
    const redactor = new Redactor(secretValues([...proposed, ...live]));
    const inventory = await readInventory(this.options.db);
    const decision = decidePlacement({
      placement: built.spec.placement,
      clusters: inventory.clusters,
      inScope: c => this.options.inScope(scope, inventory.byId.get(c.id)!),
      placed: rows.map(r => ({ ...r })),
      graceSeconds: built.spec.failover.graceSeconds,
      now: Date.now(),
    });
    const { plan, overflow } = planWorkloadReplicas({
      manifests: proposed,
      namespace: built.spec.namespace,
      replicas: built.spec.replicas,
      targets: decision.targets,
      placed: rows,
    });
    const diff = diffManifests(live, proposed, built.spec.namespace).map(d => ({
      ...d,
      ...(d.fields ? { fields: d.fields.map(f => redactor.redact(f)) } : {}),
    }));
    return {
      dryRun: true,
      revision: existing ? existing.revision + 1 : 1,
      diff,
      clusters: decision.targets
        .filter(t => t.fitness === 'fit' || t.fitness === 'grace')
        .map(t => ({
          cluster: t.cluster.id,
          name: t.cluster.name,
          replicas: replicasOf(
            manifestsForCluster({
              manifests: built.spec.manifests,
              namespace: built.spec.namespace,
              clusterName: t.cluster.name,
              replicas: plan[t.cluster.name] ?? {},
              overrides: built.spec.overrides,
            }),
            built.spec.namespace,
          ),
        })),
      excluded: decision.excluded,
      overflow,
    };
  }
}

function toView(
  record: WorkloadRecord,
  revision: RevisionRecord,
  clusters: ClusterRecord[],
): Workload {
  return {
    ...specView(revision.spec),
    revision: record.revision,
    paused: record.paused,
    ...(record.deleting ? { deleting: true } : {}),
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    ...(record.createdBy ? { createdBy: record.createdBy } : {}),
    status: {
      phase: record.phase,
      reason: record.reason,
      ...(record.rollout
        ? {
            rollout: {
              revision: record.rollout.revision,
              ...(record.rollout.fromRevision !== undefined
                ? { fromRevision: record.rollout.fromRevision }
                : {}),
              state: record.rollout.state,
              updated: record.rollout.done.length,
              failed: record.rollout.failed.length,
              total: Math.max(
                clusters.filter(c => !c.failedOver).length,
                record.rollout.done.length +
                  record.rollout.failed.length +
                  record.rollout.inFlight.length,
              ),
              step: record.rollout.step,
            },
          }
        : {}),
      clusters: clusters.map(statusOf),
    },
  };
}

function imagesOf(revision: RevisionRecord): string[] {
  const images = new Set<string>();
  for (const m of revision.spec.manifests) {
    const template = (m.spec as any)?.template?.spec ?? (m.spec as any);
    for (const c of [
      ...(template?.containers ?? []),
      ...(template?.initContainers ?? []),
    ])
      if (typeof c?.image === 'string') images.add(c.image);
  }
  return [...images];
}
