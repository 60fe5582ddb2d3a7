/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ConflictError } from '@backstage/errors';
import type { Knex } from 'knex';
import {
  chunk,
  parseJsonColumn,
  toBoolean,
  toNumber,
  toOptionalNumber,
} from '../../database/tables';
import type { RolloutState } from '../decide/rollout';
import type {
  ClusterRecord,
  DeployScope,
  EventRecord,
  RevisionRecord,
  WorkloadRecord,
  WorkloadSpec,
} from './records';
import {
  TABLE_WORKLOAD_CLUSTERS,
  TABLE_WORKLOAD_EVENTS,
  TABLE_WORKLOAD_REVISIONS,
  TABLE_WORKLOAD_ROUNDS,
  TABLE_WORKLOADS,
} from './tables';

function toWorkload(r: any): WorkloadRecord {
  const rollout = parseJsonColumn<RolloutState | null>(r.rollout, null);
  return {
    name: r.name,
    owner: r.owner,
    ...(r.entity_ref ? { entityRef: r.entity_ref } : {}),
    namespace: r.namespace,
    revision: toNumber(r.revision),
    generation: toNumber(r.generation),
    observedGeneration: toNumber(r.observed_generation),
    paused: toBoolean(r.paused),
    deleting: toBoolean(r.deleting),
    phase: r.phase,
    reason: r.reason,
    ...(rollout ? { rollout } : {}),
    ...(r.stable_revision !== null && r.stable_revision !== undefined
      ? { stableRevision: toNumber(r.stable_revision) }
      : {}),
    ...(r.created_by ? { createdBy: r.created_by } : {}),
    createdAt: toNumber(r.created_at),
    updatedAt: toNumber(r.updated_at),
  };
}

function toRevision(r: any, withSecrets: boolean): RevisionRecord {
  return {
    workload: r.workload_name,
    revision: toNumber(r.revision),
    spec: parseJsonColumn<WorkloadSpec>(r.spec, {} as WorkloadSpec),
    secrets: withSecrets ? parseJsonColumn(r.secrets, {}) : {},
    scope: parseJsonColumn<DeployScope>(r.scope, {
      all: false,
      criteria: { anyOf: [] },
    } as DeployScope),
    cause: r.cause,
    ...(r.created_by ? { createdBy: r.created_by } : {}),
    createdAt: toNumber(r.created_at),
  };
}

function toCluster(r: any): ClusterRecord {
  return {
    workload: r.workload_name,
    clusterId: r.cluster_id,
    clusterName: r.cluster_name,
    revision: toNumber(r.revision),
    replicas: parseJsonColumn(r.replicas, {}),
    desiredReplicas: toNumber(r.desired_replicas),
    readyReplicas: toNumber(r.ready_replicas),
    drift: parseJsonColumn<string[]>(r.drift, []),
    ...(toOptionalNumber(r.drift_at) ? { driftAt: toNumber(r.drift_at) } : {}),
    failedOver: toBoolean(r.failed_over),
    ...(r.unfit_since !== null && r.unfit_since !== undefined
      ? { unfitSince: toNumber(r.unfit_since) }
      : {}),
    ...(toOptionalNumber(r.last_sync_at)
      ? { lastSyncAt: toNumber(r.last_sync_at) }
      : {}),
    ...(r.error ? { error: r.error } : {}),
  };
}

/** A new revision and what the workload row takes from it. */
export interface NewRevision {
  spec: WorkloadSpec;
  secrets: Record<string, string>;
  scope: DeployScope;
  cause: string;
  createdBy?: string;
}

const isUniqueViolation = (error: unknown) =>
  /unique|duplicate|constraint/i.test(String((error as Error)?.message));

/**
 * The workloads store: workload rows (writers: the service for what users
 * change, the engine for status and rollout), revisions, per-cluster rows,
 * events and reconcile rounds.
 */
export class WorkloadStore {
  constructor(private readonly db: Knex) {}

  // ---- workloads and revisions

  /** Creates a workload with its first revision; a taken name is a 409. */
  async create(
    revision: NewRevision,
    now = Date.now(),
  ): Promise<WorkloadRecord> {
    const { spec } = revision;
    try {
      await this.db.transaction(async trx => {
        await trx(TABLE_WORKLOADS).insert({
          name: spec.name,
          owner: spec.owner,
          entity_ref: spec.entityRef ?? null,
          namespace: spec.namespace,
          revision: 1,
          generation: 1,
          observed_generation: 0,
          paused: false,
          deleting: false,
          phase: 'Progressing',
          reason: 'waiting for the first reconcile round',
          created_by: revision.createdBy ?? null,
          created_at: now,
          updated_at: now,
        });
        await trx(TABLE_WORKLOAD_REVISIONS).insert(
          this.revisionRow(spec.name, 1, revision, now),
        );
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError(
          `Workload ${spec.name} already exists; change it with PUT /workloads/${spec.name}`,
        );
      throw error;
    }
    return (await this.get(spec.name))!;
  }

  /**
   * Adds a revision on top of `expected`, the revision the caller read; a
   * concurrent change in between is a 409. Keeps the newest `keep`
   * revisions, and always the stable one.
   */
  async addRevision(
    name: string,
    expected: number,
    revision: NewRevision,
    keep: number,
    now = Date.now(),
  ): Promise<WorkloadRecord> {
    const next = expected + 1;
    await this.db.transaction(async trx => {
      const updated = await trx(TABLE_WORKLOADS)
        .where({ name, revision: expected, deleting: false })
        .update({
          revision: next,
          owner: revision.spec.owner,
          entity_ref: revision.spec.entityRef ?? null,
          namespace: revision.spec.namespace,
          generation: trx.raw('generation + 1'),
          phase: 'Progressing',
          reason: `revision ${next} waits for the reconciler`,
          updated_at: now,
        });
      if (updated !== 1)
        throw new ConflictError(
          `Workload ${name} changed meanwhile (it is no longer at revision ${expected}, or is being deleted); read it again`,
        );
      await trx(TABLE_WORKLOAD_REVISIONS).insert(
        this.revisionRow(name, next, revision, now),
      );
      const row = await trx(TABLE_WORKLOADS)
        .where({ name })
        .first('stable_revision');
      const stable = toOptionalNumber(row?.stable_revision);
      const old = trx(TABLE_WORKLOAD_REVISIONS)
        .where({ workload_name: name })
        .andWhere('revision', '<=', next - keep);
      if (stable !== undefined) old.andWhereNot('revision', stable);
      await old.delete();
    });
    return (await this.get(name))!;
  }

  private revisionRow(
    name: string,
    revision: number,
    r: NewRevision,
    now: number,
  ) {
    return {
      workload_name: name,
      revision,
      spec: JSON.stringify(r.spec),
      secrets: JSON.stringify(r.secrets),
      scope: JSON.stringify(r.scope),
      cause: r.cause.slice(0, 255),
      created_by: r.createdBy ?? null,
      created_at: now,
    };
  }

  async get(name: string): Promise<WorkloadRecord | undefined> {
    const row = await this.db(TABLE_WORKLOADS).where({ name }).first();
    return row ? toWorkload(row) : undefined;
  }

  /** Workloads by name, optionally of one owner or entity, or of the given names. */
  async list(
    filter: { owner?: string; entityRef?: string; names?: string[] } = {},
  ): Promise<WorkloadRecord[]> {
    const qb = this.db(TABLE_WORKLOADS).orderBy('name');
    if (filter.owner)
      qb.whereRaw('lower(owner) = ?', [filter.owner.toLowerCase()]);
    if (filter.entityRef)
      qb.whereRaw('lower(entity_ref) = ?', [filter.entityRef.toLowerCase()]);
    if (filter.names) qb.whereIn('name', filter.names);
    return (await qb).map(toWorkload);
  }

  async getRevision(
    name: string,
    revision: number,
    options: { withSecrets?: boolean } = {},
  ): Promise<RevisionRecord | undefined> {
    const row = await this.db(TABLE_WORKLOAD_REVISIONS)
      .where({ workload_name: name, revision })
      .first();
    return row ? toRevision(row, options.withSecrets ?? false) : undefined;
  }

  /** The current revision of each named workload (no Secret ciphertexts). */
  async currentRevisions(
    workloads: WorkloadRecord[],
  ): Promise<Map<string, RevisionRecord>> {
    const out = new Map<string, RevisionRecord>();
    for (const batch of chunk(workloads, 200)) {
      const rows = await this.db(TABLE_WORKLOAD_REVISIONS)
        .whereIn(
          ['workload_name', 'revision'],
          batch.map(w => [w.name, w.revision]),
        )
        .select();
      for (const r of rows) out.set(r.workload_name, toRevision(r, false));
    }
    return out;
  }

  /** Kept revisions, newest first, without Secret ciphertexts. */
  async listRevisions(name: string): Promise<RevisionRecord[]> {
    const rows = await this.db(TABLE_WORKLOAD_REVISIONS)
      .where({ workload_name: name })
      .orderBy('revision', 'desc');
    return rows.map(r => toRevision(r, false));
  }

  /** Pauses or resumes; a change bumps the generation. */
  async setPaused(name: string, paused: boolean, now = Date.now()) {
    await this.db(TABLE_WORKLOADS)
      .where({ name })
      .whereNot({ paused })
      .update({
        paused,
        generation: this.db.raw('generation + 1'),
        updated_at: now,
      });
  }

  async markDeleting(name: string, now = Date.now()) {
    await this.db(TABLE_WORKLOADS)
      .where({ name, deleting: false })
      .update({
        deleting: true,
        generation: this.db.raw('generation + 1'),
        phase: 'Progressing',
        reason: 'deleting: waiting for the reconciler',
        updated_at: now,
      });
  }

  async delete(name: string) {
    // Children first: SQLite enforces no cascade unless foreign keys are on.
    await this.db.transaction(async trx => {
      for (const table of [
        TABLE_WORKLOAD_EVENTS,
        TABLE_WORKLOAD_CLUSTERS,
        TABLE_WORKLOAD_REVISIONS,
      ])
        await trx(table).where({ workload_name: name }).delete();
      await trx(TABLE_WORKLOADS).where({ name }).delete();
    });
  }

  /**
   * What a round concluded for a workload. `observedGeneration` is only
   * recorded while the generation is still the one the round read, so a
   * change made during the round is handled by the next.
   */
  async saveStatus(
    name: string,
    update: {
      phase: string;
      reason: string;
      rollout?: RolloutState;
      stableRevision?: number;
      observedGeneration: number;
    },
  ) {
    const base = {
      phase: update.phase,
      reason: update.reason.slice(0, 4000),
      rollout: update.rollout ? JSON.stringify(update.rollout) : null,
      stable_revision: update.stableRevision ?? null,
    };
    const observed = await this.db(TABLE_WORKLOADS)
      .where({ name, generation: update.observedGeneration })
      .update({
        ...base,
        observed_generation: update.observedGeneration,
      });
    if (observed === 0) {
      await this.db(TABLE_WORKLOADS).where({ name }).update(base);
    }
  }

  // ---- clusters

  async listClusters(name: string): Promise<ClusterRecord[]> {
    const rows = await this.db(TABLE_WORKLOAD_CLUSTERS)
      .where({ workload_name: name })
      .orderBy('cluster_name');
    return rows.map(toCluster);
  }

  /** The cluster rows of many workloads, by workload name. */
  async clustersOf(names: string[]): Promise<Map<string, ClusterRecord[]>> {
    const out = new Map<string, ClusterRecord[]>(names.map(n => [n, []]));
    for (const batch of chunk(names, 500)) {
      const rows = await this.db(TABLE_WORKLOAD_CLUSTERS)
        .whereIn('workload_name', batch)
        .orderBy('cluster_name');
      for (const r of rows) out.get(r.workload_name)?.push(toCluster(r));
    }
    return out;
  }

  /** Replaces a workload's cluster rows with these (rows not given are removed). */
  async saveClusters(name: string, rows: ClusterRecord[]) {
    await this.db.transaction(async trx => {
      await trx(TABLE_WORKLOAD_CLUSTERS)
        .where({ workload_name: name })
        .delete();
      for (const batch of chunk(rows, 200)) {
        await trx(TABLE_WORKLOAD_CLUSTERS).insert(
          batch.map(r => ({
            workload_name: name,
            cluster_id: r.clusterId,
            cluster_name: r.clusterName,
            revision: r.revision,
            replicas: JSON.stringify(r.replicas),
            desired_replicas: r.desiredReplicas,
            ready_replicas: r.readyReplicas,
            drift: JSON.stringify(r.drift.slice(0, 50)),
            drift_at: r.driftAt ?? null,
            failed_over: r.failedOver,
            unfit_since: r.unfitSince ?? null,
            last_sync_at: r.lastSyncAt ?? null,
            error: r.error ? r.error.slice(0, 2000) : null,
          })),
        );
      }
    });
  }

  // ---- events

  async addEvents(
    name: string,
    events: Array<Omit<EventRecord, 'id' | 'at'>>,
    now = Date.now(),
  ) {
    if (events.length === 0) return;
    for (const batch of chunk(events, 200)) {
      await this.db(TABLE_WORKLOAD_EVENTS).insert(
        batch.map(e => ({
          workload_name: name,
          at: now,
          level: e.level,
          cluster: e.cluster ?? null,
          message: e.message.slice(0, 4000),
        })),
      );
    }
  }

  /** Keeps the newest `keep` events of a workload. */
  async pruneEvents(name: string, keep: number) {
    const cutoff = await this.db(TABLE_WORKLOAD_EVENTS)
      .where({ workload_name: name })
      .orderBy('id', 'desc')
      .offset(keep)
      .first('id');
    if (cutoff)
      await this.db(TABLE_WORKLOAD_EVENTS)
        .where({ workload_name: name })
        .andWhere('id', '<=', cutoff.id)
        .delete();
  }

  async listEvents(
    name: string,
    options: { after?: number; limit: number },
  ): Promise<EventRecord[]> {
    const qb = this.db(TABLE_WORKLOAD_EVENTS)
      .where({ workload_name: name })
      .orderBy('id', 'asc')
      .limit(options.limit);
    if (options.after !== undefined) qb.where('id', '>', options.after);
    return (await qb).map(r => ({
      id: toNumber(r.id),
      at: toNumber(r.at),
      level: r.level,
      ...(r.cluster ? { cluster: r.cluster } : {}),
      message: r.message,
    }));
  }

  // ---- rounds

  async startRound(runner: string, now = Date.now()): Promise<number> {
    const [row] = await this.db(TABLE_WORKLOAD_ROUNDS)
      .insert({ runner, started_at: now, workloads: 0 })
      .returning('id');
    const id = toNumber(typeof row === 'object' ? row.id : row);
    await this.db(TABLE_WORKLOAD_ROUNDS)
      .where('id', '<=', id - 1000)
      .delete();
    return id;
  }

  async finishRound(id: number, workloads: number, now = Date.now()) {
    await this.db(TABLE_WORKLOAD_ROUNDS)
      .where({ id })
      .update({ finished_at: now, workloads });
  }
}
