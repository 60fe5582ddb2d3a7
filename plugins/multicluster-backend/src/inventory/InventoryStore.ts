/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  Cluster,
  ClusterAllocatable,
  ClusterCheck,
  ClusterCloud,
  ClusterHealth,
  ClusterProbe,
  ClusterSource,
  ClusterStatus,
  InventorySummary,
  LabelSelector,
  ProviderState,
} from '@archipelago/multicluster-common';
import { CLUSTER_HEALTHS } from '@archipelago/multicluster-common';
import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import type { Knex } from 'knex';
import { decodeCursor, encodeCursor, hashOf } from './cursor';
import {
  type MergedCluster,
  type ProviderRound,
  type SourceData,
  type SourceRecord,
  planDiscovery,
} from './merge';
import { dampHealth } from '../prober/damping';
import type { Classification } from '../prober/classify';

const T_CLUSTERS = 'multicluster_clusters';
const T_LABELS = 'multicluster_cluster_labels';
const T_SOURCES = 'multicluster_sources';
const T_PROBES = 'multicluster_probes';
const T_RUNS = 'multicluster_provider_runs';
const T_ROUNDS = 'multicluster_probe_rounds';
const T_META = 'multicluster_meta';

/** Changed clusters in one discovery after which planner statistics are refreshed. */
const ANALYZE_AFTER_CHANGES = 500;

/** A permission condition on clusters: has label `key` (with `value`, when given). */
export interface ClusterLabelCondition {
  key: string;
  value?: string;
}

/** What a caller may see; undefined means everything. */
export type ClusterAccessFilter =
  | PermissionCriteria<ClusterLabelCondition>
  | undefined;

export const CLUSTER_SORTS = [
  'name',
  'health',
  'cloud',
  'lastProbeAt',
] as const;
export type ClusterSort = (typeof CLUSTER_SORTS)[number];

export interface ClusterListQuery {
  selector?: LabelSelector;
  clouds?: string[];
  healths?: ClusterHealth[];
  q?: string;
  /** Cluster names to match (any of). Combined with selector as a union when both set. */
  names?: string[];
  limit: number;
  cursor?: string;
  sort: ClusterSort;
}

const SORT_COLUMNS: Record<ClusterSort, string[]> = {
  name: ['name', 'id'],
  health: ['health_rank', 'name', 'id'],
  cloud: ['cloud', 'name', 'id'],
  lastProbeAt: ['last_probe_at', 'id'],
};

/** Everything the prober needs to know of a cluster from the database. */
export interface ProbeTarget {
  id: string;
  urlKey: string;
  name: string;
  url: string;
  declaredDistribution?: string;
  providerState?: ProviderState;
  providerStateReason?: string;
  skipTLSVerify: boolean;
  health: ClusterHealth;
  /** gitVersion from an earlier probe; lets the prober skip /version most rounds. */
  version?: string;
}

/** One probe, ready to store. */
export interface ProbeOutcome {
  id: string;
  at: number;
  latencyMs: number;
  classification: Classification;
  version?: string;
  nodes?: { ready: number; total: number };
  allocatable?: ClusterAllocatable;
  kubeletVersions?: string[];
  detectedDistribution?: string;
}

export interface DiscoveryOutcome {
  added: string[];
  removed: string[];
  updated: string[];
  rejected: Array<{ provider: string; sourceId: string; problem: string }>;
}

const num = (v: unknown): number =>
  v === null || v === undefined ? 0 : Number(v);
const bool = (v: unknown): boolean =>
  v === true || v === 1 || v === '1' || v === 't' || v === 'true';
const iso = (ms: number): string | undefined =>
  ms > 0 ? new Date(ms).toISOString() : undefined;
const parseJson = <T>(v: unknown, fallback: T): T => {
  if (typeof v !== 'string' || v === '') return fallback;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
};
const healthRank = (h: ClusterHealth) => CLUSTER_HEALTHS.indexOf(h);

function searchText(c: MergedCluster): string {
  const labels = Object.entries(c.labels).map(([k, v]) => `${k}=${v}`);
  return [c.name, c.title, ...labels].join(' ').toLowerCase();
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, m => `\\${m}`);
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size));
  return out;
}

/**
 * The inventory's persistence. Discovery writes the descriptive columns,
 * the prober writes the status columns, REST only reads: so the two scheduled
 * tasks never overwrite each other, whichever replica runs them.
 */
export class InventoryStore {
  constructor(private readonly db: Knex) {}

  // ---------------------------------------------------------------- revision

  async getRevision(): Promise<number> {
    const row = await this.db(T_META).where({ key: 'revision' }).first('value');
    return num(row?.value);
  }

  private async bumpRevision(trx: Knex.Transaction) {
    await trx(T_META).where({ key: 'revision' }).increment('value', 1);
  }

  // ---------------------------------------------------------------- discovery

  /**
   * Persists one discovery round (see planDiscovery for the rules) and the
   * providers' run outcomes, in one transaction.
   */
  async applyDiscovery(
    rounds: ProviderRound[],
    providerOrder: ReadonlyMap<string, number>,
    now: number = Date.now(),
  ): Promise<DiscoveryOutcome> {
    const result = await this.db.transaction(async trx => {
      const sourceRows = await trx(T_SOURCES).select();
      const existingSources: SourceRecord[] = sourceRows.map(r => ({
        provider: r.provider,
        sourceId: r.source_id,
        clusterId: r.cluster_id,
        urlKey: r.url_key,
        scope: r.scope ?? undefined,
        lastSeenAt: num(r.last_seen_at),
        stale: bool(r.stale),
        data: parseJson<SourceData>(r.data, {} as SourceData),
      }));
      const clusterRows = await trx(T_CLUSTERS).select(
        'id',
        'url_key',
        'name',
        'title',
        'url',
        'cloud',
        'region',
        'declared_distribution',
        'labels',
        'provider_state',
        'provider_state_reason',
        'environment',
        'skip_tls_verify',
        'stale',
        'last_seen_at',
      );
      const existingIds = new Map<string, string>(
        clusterRows.map(r => [r.url_key, r.id]),
      );
      const plan = planDiscovery({
        existingSources,
        existingIds,
        rounds,
        providerOrder,
        now,
      });

      // Sources: delete gone, write new or changed.
      const planned = new Map(
        plan.sources.map(s => [`${s.provider}\u0000${s.sourceId}`, s]),
      );
      const before = new Map(
        existingSources.map(s => [`${s.provider}\u0000${s.sourceId}`, s]),
      );
      for (const [k, s] of before) {
        if (!planned.has(k)) {
          await trx(T_SOURCES)
            .where({ provider: s.provider, source_id: s.sourceId })
            .delete();
        }
      }
      const changedSources = plan.sources.filter(s => {
        const old = before.get(`${s.provider}\u0000${s.sourceId}`);
        return !old || JSON.stringify(old) !== JSON.stringify(s);
      });
      for (const batch of chunk(changedSources, 200)) {
        await trx(T_SOURCES)
          .insert(
            batch.map(s => ({
              provider: s.provider,
              source_id: s.sourceId,
              cluster_id: s.clusterId,
              url_key: s.urlKey,
              scope: s.scope ?? null,
              data: JSON.stringify(s.data),
              last_seen_at: s.lastSeenAt,
              stale: s.stale,
            })),
          )
          .onConflict(['provider', 'source_id'])
          .merge([
            'cluster_id',
            'url_key',
            'scope',
            'data',
            'last_seen_at',
            'stale',
          ]);
      }

      // Clusters.
      const outcome: DiscoveryOutcome = {
        added: [],
        removed: [],
        updated: [],
        rejected: plan.rejected,
      };
      const existingById = new Map(clusterRows.map(r => [r.id, r]));
      for (const ids of chunk(plan.removedClusterIds, 500)) {
        await trx(T_LABELS).whereIn('cluster_id', ids).delete();
        await trx(T_PROBES).whereIn('cluster_id', ids).delete();
        await trx(T_CLUSTERS).whereIn('id', ids).delete();
        outcome.removed.push(...ids);
      }
      const descriptive = (c: MergedCluster) => ({
        url_key: c.urlKey,
        name: c.name,
        title: c.title,
        url: c.url,
        cloud: c.cloud,
        region: c.region ?? null,
        declared_distribution: c.declaredDistribution ?? null,
        labels: JSON.stringify(c.labels),
        search_text: searchText(c),
        provider_state: c.providerState ?? null,
        provider_state_reason: c.providerStateReason ?? null,
        environment: c.environment ?? null,
        skip_tls_verify: c.skipTLSVerify,
        stale: c.stale,
        last_seen_at: c.lastSeenAt,
      });
      const inserts: MergedCluster[] = [];
      const updates: MergedCluster[] = [];
      const seenOnly: MergedCluster[] = [];
      for (const c of plan.clusters) {
        const old = existingById.get(c.id);
        if (!old) {
          inserts.push(c);
          continue;
        }
        const oldView = {
          url_key: old.url_key,
          name: old.name,
          title: old.title,
          url: old.url,
          cloud: old.cloud,
          region: old.region ?? null,
          declared_distribution: old.declared_distribution ?? null,
          labels: old.labels,
          provider_state: old.provider_state ?? null,
          provider_state_reason: old.provider_state_reason ?? null,
          environment: old.environment ?? null,
          skip_tls_verify: bool(old.skip_tls_verify),
          stale: bool(old.stale),
          last_seen_at: num(old.last_seen_at),
        };
        const { search_text: _ignored, ...newView } = descriptive(c);
        if (JSON.stringify(oldView) === JSON.stringify(newView)) continue;
        if (
          JSON.stringify({ ...oldView, last_seen_at: 0 }) ===
          JSON.stringify({ ...newView, last_seen_at: 0 })
        ) {
          seenOnly.push(c);
        } else {
          updates.push(c);
        }
      }
      // Most rounds only move lastSeenAt: one statement per batch, not one per cluster.
      for (const batch of chunk(seenOnly, 500)) {
        await trx(T_CLUSTERS)
          .whereIn(
            'id',
            batch.map(c => c.id),
          )
          .update({ last_seen_at: now, updated_at: now });
      }
      // A URL that moved to a new id must free its unique key first.
      for (const batch of chunk(inserts, 100)) {
        await trx(T_CLUSTERS).insert(
          batch.map(c => ({
            id: c.id,
            ...descriptive(c),
            created_at: now,
            updated_at: now,
          })),
        );
        await this.writeLabels(trx, batch, false);
        outcome.added.push(...batch.map(c => c.id));
      }
      for (const c of updates) {
        await trx(T_CLUSTERS)
          .where({ id: c.id })
          .update({ ...descriptive(c), updated_at: now });
        outcome.updated.push(c.id);
      }
      const relabelled = updates.filter(
        c => existingById.get(c.id)?.labels !== JSON.stringify(c.labels),
      );
      await this.writeLabels(trx, relabelled, true);

      // Provider runs.
      for (const round of rounds) {
        const row = round.ok
          ? {
              provider: round.provider,
              ok: true,
              complete: round.complete,
              clusters: round.clusters.length,
              last_run_at: now,
              error: null,
              failed_scopes: round.failedScopes.length
                ? JSON.stringify(round.failedScopes)
                : null,
            }
          : {
              provider: round.provider,
              ok: false,
              complete: false,
              clusters: plan.sources.filter(s => s.provider === round.provider)
                .length,
              last_run_at: now,
              error: round.error,
              failed_scopes: null,
            };
        await trx(T_RUNS).insert(row).onConflict('provider').merge();
      }

      if (
        outcome.added.length ||
        outcome.removed.length ||
        outcome.updated.length ||
        changedSources.length
      ) {
        await this.bumpRevision(trx);
      }
      return outcome;
    });
    // After a large change the query planner's statistics are stale, and PostgreSQL then
    // picks poor plans for label filters (p95 of GET /clusters from ~10 ms to ~50 ms at
    // 10,000 clusters); autovacuum would catch up only later.
    if (
      result.added.length + result.removed.length + result.updated.length >=
      ANALYZE_AFTER_CHANGES
    ) {
      await this.analyze();
    }
    return result;
  }

  /** Refreshes planner statistics of the inventory tables. */
  async analyze(): Promise<void> {
    const client = String(this.db.client.config.client);
    if (client === 'pg' || client === 'postgres' || client === 'postgresql') {
      await this.db.raw(`ANALYZE ${T_CLUSTERS}, ${T_LABELS}, ${T_SOURCES}`);
    } else if (client.includes('sqlite')) {
      await this.db.raw('ANALYZE');
    }
  }

  private async writeLabels(
    trx: Knex.Transaction,
    clusters: MergedCluster[],
    replace: boolean,
  ) {
    if (clusters.length === 0) return;
    if (replace) {
      for (const ids of chunk(
        clusters.map(c => c.id),
        500,
      )) {
        await trx(T_LABELS).whereIn('cluster_id', ids).delete();
      }
    }
    const rows = clusters.flatMap(c =>
      Object.entries(c.labels).map(([key, value]) => ({
        cluster_id: c.id,
        key,
        value,
      })),
    );
    for (const batch of chunk(rows, 300)) {
      await trx(T_LABELS).insert(batch);
    }
  }

  /** Provider ids that ever ran, with their last outcome. */
  async listProviderRuns(): Promise<InventorySummary['providers']> {
    const rows = await this.db(T_RUNS).select().orderBy('provider');
    return rows.map(r => ({
      id: r.provider,
      ok: bool(r.ok),
      complete: bool(r.complete),
      clusters: num(r.clusters),
      lastRunAt: iso(num(r.last_run_at)),
      ...(r.error ? { error: r.error } : {}),
    }));
  }

  // ---------------------------------------------------------------- probing

  /** Probe targets, all or the given ids. */
  async listProbeTargets(ids?: string[]): Promise<ProbeTarget[]> {
    const qb = this.db(T_CLUSTERS);
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
      .orderBy('id');
    return rows.map(r => ({
      id: r.id,
      urlKey: r.url_key,
      name: r.name,
      url: r.url,
      declaredDistribution: r.declared_distribution ?? undefined,
      providerState: r.provider_state ?? undefined,
      providerStateReason: r.provider_state_reason ?? undefined,
      skipTLSVerify: bool(r.skip_tls_verify),
      health: r.health,
      ...(r.version ? { version: r.version } : {}),
    }));
  }

  /** Opens a probe round; its id orders the history and drives pruning. */
  async startProbeRound(
    runner: string,
    now: number = Date.now(),
  ): Promise<number> {
    const [row] = await this.db(T_ROUNDS)
      .insert({ started_at: now, runner, clusters: 0 })
      .returning('id');
    return num(typeof row === 'object' ? row.id : row);
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
    const rows = await this.db(T_ROUNDS)
      .select()
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(r => ({
      id: num(r.id),
      startedAt: num(r.started_at),
      finishedAt: r.finished_at === null ? undefined : num(r.finished_at),
      clusters: num(r.clusters),
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
    for (const batch of chunk(outcomes, 500)) {
      await this.db.transaction(async trx => {
        const current = await trx(T_CLUSTERS)
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
            'declared_distribution',
          );
        const byId = new Map(current.map(r => [r.id, r]));
        const history: Record<string, unknown>[] = [];
        for (const o of batch) {
          const row = byId.get(o.id);
          if (!row) continue; // removed by discovery meanwhile
          const damped = dampHealth(
            {
              health: row.health,
              pendingHealth: row.pending_health ?? undefined,
              pendingCount: num(row.pending_count),
              everProbed: num(row.last_probe_at) > 0,
            },
            o.classification.health,
            options.flapThreshold,
          );
          const update: Record<string, unknown> = {
            health: damped.health,
            health_rank: healthRank(damped.health),
            pending_health: damped.pendingHealth ?? null,
            pending_count: damped.pendingCount,
            last_probe_at: o.at,
            latency_ms: Math.round(o.latencyMs),
            updated_at: now,
          };
          if (damped.applied) {
            update.reason = o.classification.reason;
            update.checks = JSON.stringify(o.classification.checks);
          }
          if (o.version) update.version = o.version;
          if (o.nodes) {
            update.nodes_ready = o.nodes.ready;
            update.nodes_total = o.nodes.total;
          }
          if (o.allocatable) update.allocatable = JSON.stringify(o.allocatable);
          if (o.kubeletVersions)
            update.kubelet_versions = JSON.stringify(o.kubeletVersions);
          if (o.detectedDistribution)
            update.distribution = o.detectedDistribution;
          await trx(T_CLUSTERS).where({ id: o.id }).update(update);
          history.push({
            cluster_id: o.id,
            round,
            at: o.at,
            health: o.classification.health,
            reason: o.classification.reason,
            latency_ms: Math.round(o.latencyMs),
            checks: JSON.stringify(o.classification.checks),
          });
        }
        for (const rows of chunk(history, 400)) {
          await trx(T_PROBES).insert(rows);
        }
      });
    }
    await this.db.transaction(async trx => {
      await trx(T_PROBES)
        .where('round', '<=', round - options.historyLimit)
        .orWhere('at', '<', now - options.historyMaxAgeMs)
        .delete();
      await trx(T_ROUNDS)
        .where({ id: round })
        .update({ finished_at: Date.now(), clusters: outcomes.length });
      // Keep a bounded log of rounds too.
      await trx(T_ROUNDS)
        .where('id', '<=', round - 1000)
        .delete();
      await this.bumpRevision(trx);
    });
  }

  async getHealthHistory(id: string, limit: number): Promise<ClusterProbe[]> {
    const rows = await this.db(T_PROBES)
      .where({ cluster_id: id })
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit)
      .select('at', 'health', 'reason', 'latency_ms', 'checks');
    return rows.map(r => ({
      at: new Date(num(r.at)).toISOString(),
      health: r.health,
      reason: r.reason,
      latencyMs: num(r.latency_ms),
      checks: parseJson<ClusterCheck[]>(r.checks, []),
    }));
  }

  // ---------------------------------------------------------------- reading

  private applyAccess(qb: Knex.QueryBuilder, filter: ClusterAccessFilter) {
    if (!filter) return;
    const labelSub = (cond: ClusterLabelCondition) => {
      const sub = this.db(T_LABELS).select('cluster_id').where('key', cond.key);
      if (cond.value !== undefined) sub.where('value', cond.value);
      return sub;
    };
    const apply = (
      b: Knex.QueryBuilder,
      c: PermissionCriteria<ClusterLabelCondition>,
    ): void => {
      if ('allOf' in c) {
        b.where(inner => {
          for (const part of c.allOf) inner.andWhere(x => apply(x, part));
        });
      } else if ('anyOf' in c) {
        b.where(inner => {
          for (const part of c.anyOf) inner.orWhere(x => apply(x, part));
        });
      } else if ('not' in c) {
        b.whereNot(inner => apply(inner, c.not));
      } else {
        b.whereIn('id', labelSub(c));
      }
    };
    apply(qb, filter);
  }

  private applySelector(qb: Knex.QueryBuilder, selector: LabelSelector) {
    const sub = (key: string, values?: string[]) => {
      const q = this.db(T_LABELS).select('cluster_id').where('key', key);
      if (values) q.whereIn('value', values);
      return q;
    };
    for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
      qb.whereIn('id', sub(key, [value]));
    }
    for (const req of selector.matchExpressions ?? []) {
      switch (req.operator) {
        case 'In':
          qb.whereIn('id', sub(req.key, req.values ?? []));
          break;
        case 'NotIn':
          qb.whereNotIn('id', sub(req.key, req.values ?? []));
          break;
        case 'Exists':
          qb.whereIn('id', sub(req.key));
          break;
        case 'DoesNotExist':
          qb.whereNotIn('id', sub(req.key));
          break;
        default:
          throw new Error(
            `unsupported selector operator ${String(req.operator)}`,
          );
      }
    }
  }

  private filtered(
    query: Pick<
      ClusterListQuery,
      'selector' | 'clouds' | 'healths' | 'q' | 'names'
    >,
    access: ClusterAccessFilter,
  ): Knex.QueryBuilder {
    const qb = this.db(T_CLUSTERS);
    this.applyAccess(qb, access);
    if (query.names && query.selector) {
      // Entity lookups: clusters named by annotation OR matched by the selector.
      qb.where(b => {
        b.whereIn('name', query.names!).orWhere(inner =>
          this.applySelector(inner, query.selector!),
        );
      });
    } else if (query.names) {
      qb.whereIn('name', query.names);
    } else if (query.selector) {
      this.applySelector(qb, query.selector);
    }
    if (query.clouds?.length) qb.whereIn('cloud', query.clouds);
    if (query.healths?.length) qb.whereIn('health', query.healths);
    if (query.q) {
      qb.whereRaw(`search_text like ? escape '\\'`, [
        `%${escapeLike(query.q.toLowerCase())}%`,
      ]);
    }
    return qb;
  }

  /** Keyset-paginated list; `totalItems` counts every match. */
  async listClusters(
    query: ClusterListQuery,
    access: ClusterAccessFilter,
  ): Promise<{ items: Cluster[]; totalItems: number; nextCursor?: string }> {
    const columns = SORT_COLUMNS[query.sort];
    const filterHash = hashOf([
      query.selector,
      query.clouds,
      query.healths,
      query.q,
      query.names,
      access,
    ]);
    const cursor = query.cursor
      ? decodeCursor(query.cursor, query.sort, filterHash)
      : undefined;
    if (cursor && cursor.values.length !== columns.length) {
      throw new Error('cursor shape mismatch');
    }
    const countRow = await this.filtered(query, access)
      .count({ n: '*' })
      .first();
    const page = this.filtered(query, access).select();
    if (cursor) {
      // Row-value comparison: one index range scan on SQLite and PostgreSQL alike.
      page.whereRaw(
        `(${columns.map(() => '??').join(', ')}) > (${columns
          .map(() => '?')
          .join(', ')})`,
        [...columns, ...cursor.values],
      );
    }
    page
      .orderBy(columns.map(column => ({ column, order: 'asc' })))
      .limit(query.limit + 1);
    const rows = await page;
    const hasMore = rows.length > query.limit;
    const pageRows = hasMore ? rows.slice(0, query.limit) : rows;
    const items = await this.toClusters(pageRows);
    const last = pageRows[pageRows.length - 1];
    const nextCursor =
      hasMore && last
        ? encodeCursor({
            sort: query.sort,
            filterHash,
            values: columns.map(c =>
              typeof last[c] === 'string' ? last[c] : num(last[c]),
            ),
          })
        : undefined;
    return {
      items,
      totalItems: num(countRow?.n),
      ...(nextCursor ? { nextCursor } : {}),
    };
  }

  async getCluster(
    id: string,
    access?: ClusterAccessFilter,
  ): Promise<Cluster | undefined> {
    const qb = this.db(T_CLUSTERS).where({ id });
    this.applyAccess(qb, access);
    const rows = await qb.select();
    if (rows.length === 0) return undefined;
    return (await this.toClusters(rows))[0];
  }

  async summary(access: ClusterAccessFilter): Promise<InventorySummary> {
    const byHealthRows = await this.filtered({}, access)
      .select('health')
      .count({ n: '*' })
      .groupBy('health');
    const byCloudRows = await this.filtered({}, access)
      .select('cloud')
      .count({ n: '*' })
      .groupBy('cloud');
    const byHealth = Object.fromEntries(
      CLUSTER_HEALTHS.map(h => [h, 0]),
    ) as Record<ClusterHealth, number>;
    let total = 0;
    for (const r of byHealthRows) {
      byHealth[r.health as ClusterHealth] = num(r.n);
      total += num(r.n);
    }
    const byCloud: Record<string, number> = {};
    for (const r of byCloudRows) byCloud[r.cloud] = num(r.n);
    const lastRound = await this.db(T_ROUNDS)
      .whereNotNull('finished_at')
      .orderBy('id', 'desc')
      .first('finished_at');
    const lastProbeRoundAt = lastRound
      ? iso(num(lastRound.finished_at))
      : undefined;
    return {
      totalClusters: total,
      byHealth,
      byCloud,
      providers: await this.listProviderRuns(),
      ...(lastProbeRoundAt ? { lastProbeRoundAt } : {}),
    };
  }

  private async toClusters(rows: any[]): Promise<Cluster[]> {
    if (rows.length === 0) return [];
    const sourceRows: any[] = [];
    for (const ids of chunk(
      rows.map(r => r.id),
      500,
    )) {
      sourceRows.push(
        ...(await this.db(T_SOURCES)
          .whereIn('cluster_id', ids)
          .select(
            'cluster_id',
            'provider',
            'source_id',
            'last_seen_at',
            'stale',
          )
          .orderBy(['provider', 'source_id'])),
      );
    }
    const sources = new Map<string, ClusterSource[]>();
    for (const s of sourceRows) {
      const list = sources.get(s.cluster_id) ?? [];
      list.push({
        provider: s.provider,
        sourceId: s.source_id,
        lastSeenAt: iso(num(s.last_seen_at)) ?? new Date(0).toISOString(),
        stale: bool(s.stale),
      });
      sources.set(s.cluster_id, list);
    }
    return rows.map(r => rowToCluster(r, sources.get(r.id) ?? []));
  }
}

function rowToCluster(r: any, sources: ClusterSource[]): Cluster {
  const lastProbeAt = iso(num(r.last_probe_at));
  const lastSeenAt = iso(num(r.last_seen_at));
  const status: ClusterStatus = {
    health: r.health,
    reason: r.reason,
    checks: parseJson<ClusterCheck[]>(r.checks, []),
    stale: bool(r.stale),
    ...(r.version ? { version: r.version } : {}),
    ...(r.nodes_total !== null && r.nodes_total !== undefined
      ? { nodes: { ready: num(r.nodes_ready), total: num(r.nodes_total) } }
      : {}),
    ...(r.allocatable
      ? {
          allocatable: parseJson<ClusterAllocatable>(r.allocatable, {
            cpu: 0,
            memoryBytes: 0,
            pods: 0,
          }),
        }
      : {}),
    ...(r.kubelet_versions
      ? { kubeletVersions: parseJson<string[]>(r.kubelet_versions, []) }
      : {}),
    ...(r.provider_state ? { providerState: r.provider_state } : {}),
    ...(lastProbeAt ? { lastProbeAt } : {}),
    ...(lastSeenAt ? { lastSeenAt } : {}),
    ...(bool(r.skip_tls_verify) ? { tlsVerificationDisabled: true } : {}),
    ...(r.latency_ms !== null && r.latency_ms !== undefined
      ? { latencyMs: num(r.latency_ms) }
      : {}),
  };
  return {
    id: r.id,
    name: r.name,
    title: r.title,
    url: r.url,
    cloud: r.cloud as ClusterCloud,
    distribution: r.declared_distribution ?? r.distribution ?? 'unknown',
    ...(r.region ? { region: r.region } : {}),
    labels: parseJson<Record<string, string>>(r.labels, {}),
    sources,
    ...(r.environment ? { environment: r.environment } : {}),
    status,
  };
}
