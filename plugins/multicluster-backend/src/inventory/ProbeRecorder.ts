/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  CLUSTER_HEALTHS,
  type ClusterHealth,
} from '@archipelago/multicluster-common';
import type { Knex } from 'knex';
import {
  TABLE_CLUSTERS,
  TABLE_PROBE_ROUNDS,
  TABLE_PROBES,
  chunk,
  toBoolean,
  toNumber,
} from '../database/tables';
import { dampHealth } from '../prober/damping';
import {
  sqlDialect,
  updateRowsById,
  type UpdateColumn,
} from '../database/updateById';
import { bumpRevision } from './DiscoveryWriter';
import {
  nextBatchSize,
  writeBatchPolicy,
  writeInBatches,
  type WriteBatchPolicy,
} from './writeBatch';
import { inventoryWrite } from './writeLock';
import type { ProbeOutcome, ProbeTarget } from './types';

const healthRank = (h: ClusterHealth) => CLUSTER_HEALTHS.indexOf(h);

/** The status columns a probe round writes; null keeps what an earlier probe found. */
const STATUS_COLUMNS: UpdateColumn[] = [
  { name: 'health' },
  { name: 'health_rank', type: 'integer' },
  { name: 'pending_health' },
  { name: 'pending_count', type: 'integer' },
  { name: 'last_probe_at', type: 'bigint' },
  { name: 'latency_ms', type: 'integer' },
  { name: 'updated_at', type: 'bigint' },
  { name: 'reason', keepWhenNull: true },
  { name: 'checks', keepWhenNull: true },
  { name: 'version', keepWhenNull: true },
  { name: 'nodes_ready', type: 'integer', keepWhenNull: true },
  { name: 'nodes_total', type: 'integer', keepWhenNull: true },
  { name: 'allocatable', keepWhenNull: true },
  { name: 'kubelet_versions', keepWhenNull: true },
  { name: 'distribution', keepWhenNull: true },
];

/**
 * The probe recorder: what the prober reads (its targets) and writes (rounds,
 * damped status columns, history with pruning).
 */
export class ProbeRecorder {
  /**
   * Called after a round that changed some cluster's (damped) health, with
   * their ids: the workloads reconciler runs at once, not a round later.
   */
  onHealthTransition?: (clusterIds: string[]) => void;

  constructor(private readonly db: Knex) {}

  /** Probe targets, all or the given ids. */
  async listProbeTargets(ids?: string[]): Promise<ProbeTarget[]> {
    const qb = this.db(TABLE_CLUSTERS);
    if (ids) qb.whereIn('id', ids);
    const rows = await qb
      .select(
        'id',
        'url_key',
        'name',
        'url',
        'declared_distribution',
        'provider_state',
        'provider_state_reason',
        'skip_tls_verify',
        'health',
        'version',
      )
      // Longest unprobed first: a round cut short by its timeout starts with the rest next time.
      .orderBy([
        { column: 'last_probe_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    return rows.map(r => ({
      id: r.id,
      urlKey: r.url_key,
      name: r.name,
      url: r.url,
      declaredDistribution: r.declared_distribution ?? undefined,
      providerState: r.provider_state ?? undefined,
      providerStateReason: r.provider_state_reason ?? undefined,
      skipTLSVerify: toBoolean(r.skip_tls_verify),
      health: r.health,
      ...(r.version ? { version: r.version } : {}),
    }));
  }

  /** Opens a probe round; its id orders the history and drives pruning. */
  async startProbeRound(
    runner: string,
    now: number = Date.now(),
  ): Promise<number> {
    const [row] = await this.db(TABLE_PROBE_ROUNDS)
      .insert({ started_at: now, runner, clusters: 0 })
      .returning('id');
    return toNumber(typeof row === 'object' ? row.id : row);
  }

  async listProbeRounds(limit = 50): Promise<
    Array<{
      id: number;
      startedAt: number;
      finishedAt?: number;
      clusters: number;
      runner: string;
    }>
  > {
    const rows = await this.db(TABLE_PROBE_ROUNDS)
      .select()
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(r => ({
      id: toNumber(r.id),
      startedAt: toNumber(r.started_at),
      finishedAt: r.finished_at === null ? undefined : toNumber(r.finished_at),
      clusters: toNumber(r.clusters),
      runner: r.runner,
    }));
  }

  /**
   * Stores a round's probes: raw results into history, damped status into the
   * clusters (a change needs `flapThreshold` equal results in a row), prunes
   * history beyond `historyLimit` rounds and `historyMaxAgeMs`, bumps the revision.
   */
  async recordProbeRound(
    round: number,
    outcomes: ProbeOutcome[],
    options: {
      flapThreshold: number;
      historyLimit: number;
      historyMaxAgeMs: number;
      now?: number;
    },
  ): Promise<void> {
    const now = options.now ?? Date.now();
    const transitions: string[] = [];
    const policy = writeBatchPolicy(sqlDialect(this.db));
    await writeInBatches(outcomes, policy, batch =>
      inventoryWrite(this.db, async trx => {
        const started = performance.now();
        const current = await trx(TABLE_CLUSTERS)
          .whereIn(
            'id',
            batch.map(o => o.id),
          )
          .select(
            'id',
            'health',
            'pending_health',
            'pending_count',
            'last_probe_at',
          );
        const byId = new Map(current.map(r => [r.id, r]));
        const updates: Array<{ id: string } & Record<string, unknown>> = [];
        const history: Record<string, unknown>[] = [];
        for (const o of batch) {
          const row = byId.get(o.id);
          if (!row) continue; // removed by discovery meanwhile
          const damped = dampHealth(
            {
              health: row.health,
              pendingHealth: row.pending_health ?? undefined,
              pendingCount: toNumber(row.pending_count),
              everProbed: toNumber(row.last_probe_at) > 0,
            },
            o.classification.health,
            options.flapThreshold,
          );
          if (damped.health !== row.health) transitions.push(o.id);
          // Some 2 KB for a reachable cluster (every readyz check): built once for both rows.
          const checks = JSON.stringify(o.classification.checks);
          updates.push({
            id: o.id,
            health: damped.health,
            health_rank: healthRank(damped.health),
            pending_health: damped.pendingHealth ?? null,
            pending_count: damped.pendingCount,
            last_probe_at: o.at,
            latency_ms: Math.round(o.latencyMs),
            updated_at: now,
            // The columns below keep their value when this probe has none.
            reason: damped.applied ? o.classification.reason : null,
            checks: damped.applied ? checks : null,
            version: o.version ?? null,
            nodes_ready: o.nodes?.ready ?? null,
            nodes_total: o.nodes?.total ?? null,
            allocatable: o.allocatable ? JSON.stringify(o.allocatable) : null,
            kubelet_versions: o.kubeletVersions
              ? JSON.stringify(o.kubeletVersions)
              : null,
            distribution: o.detectedDistribution ?? null,
          });
          history.push({
            cluster_id: o.id,
            round,
            at: o.at,
            health: o.classification.health,
            reason: o.classification.reason,
            latency_ms: Math.round(o.latencyMs),
            checks,
          });
        }
        // One statement for the whole batch, rows in id order.
        await updateRowsById(trx, TABLE_CLUSTERS, STATUS_COLUMNS, updates);
        for (const rows of chunk(history, 400)) {
          await trx(TABLE_PROBES).insert(rows);
        }
        return performance.now() - started;
      }),
    );
    await this.pruneHistory(
      round - options.historyLimit,
      now - options.historyMaxAgeMs,
      policy,
    );
    await inventoryWrite(this.db, async trx => {
      await trx(TABLE_PROBE_ROUNDS)
        .where({ id: round })
        .update({ finished_at: Date.now(), clusters: outcomes.length });
      // Keep a bounded log of rounds too.
      await trx(TABLE_PROBE_ROUNDS)
        .where('id', '<=', round - 1000)
        .delete();
      await bumpRevision(trx);
    });
    if (transitions.length) this.onHealthTransition?.(transitions);
    if (policy.vacuumAfterRound) {
      // A round updates every cluster row: on PostgreSQL that leaves a dead
      // version of each (and an entry in each index) that autovacuum would
      // only reclaim a minute or rounds later; meanwhile every count and scan
      // of GET /clusters reads them. Vacuuming this one small table now takes
      // tens of milliseconds and never blocks readers or writers.
      await this.db.raw(`VACUUM ${TABLE_CLUSTERS}`);
    }
  }

  /**
   * Deletes history of rounds up to `lastRound` and older than `before`, a
   * batch per transaction: one round of 10,000 clusters is 10,000 rows, and a
   * single statement for them would hold SQLite's only connection (and its
   * synchronous driver the event loop) for as long as it takes.
   */
  private async pruneHistory(
    lastRound: number,
    before: number,
    policy: WriteBatchPolicy,
  ): Promise<void> {
    let size = policy.initial;
    for (;;) {
      const limit = size;
      const { deleted, elapsedMs } = await inventoryWrite(
        this.db,
        async trx => {
          const started = performance.now();
          const n = await trx(TABLE_PROBES)
            .whereIn(
              'id',
              trx(TABLE_PROBES)
                .select('id')
                .where('round', '<=', lastRound)
                .orWhere('at', '<', before)
                .limit(limit),
            )
            .delete();
          return { deleted: n, elapsedMs: performance.now() - started };
        },
      );
      if (deleted < limit) return;
      size = nextBatchSize(limit, elapsedMs, policy);
    }
  }
}
