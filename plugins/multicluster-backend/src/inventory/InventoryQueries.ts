/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  Cluster,
  ClusterCheck,
  ClusterHealth,
  ClusterProbe,
  ClusterSource,
  InventorySummary,
  LabelSelector,
} from '@archipelago/multicluster-common';
import { CLUSTER_HEALTHS } from '@archipelago/multicluster-common';
import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import type { Knex } from 'knex';
import {
  TABLE_CLUSTER_LABELS,
  TABLE_CLUSTERS,
  TABLE_META,
  TABLE_PROBE_ROUNDS,
  TABLE_PROBES,
  TABLE_PROVIDER_RUNS,
  TABLE_SOURCES,
  chunk,
  parseJsonColumn,
  toBoolean,
  toNumber,
} from '../database/tables';
import { decodeCursor, encodeCursor, hashOf } from './cursor';
import { escapeLike, isoTime, rowToCluster } from './rows';
import type {
  InventoryQueriesOptions,
  ClusterAccessFilter,
  ClusterLabelCondition,
  ClusterListQuery,
  ClusterSort,
} from './types';
import { cursorSortKey } from './types';

/** Rank of `unknown`, what a stale cluster sorts as. */
const UNKNOWN_RANK = CLUSTER_HEALTHS.indexOf('unknown');
/** A probe older than the cutoff (a binding) is not believed; see rows.ts isProbeStale. */
const PROBE_STALE_SQL = '(?? > 0 and ?? < ?)';

const SORT_COLUMNS: Record<ClusterSort, string[]> = {
  name: ['name', 'id'],
  health: ['health_rank', 'name', 'id'],
  cloud: ['cloud', 'name', 'id'],
  lastProbeAt: ['last_probe_at', 'id'],
};

/**
 * The inventory's read queries, for REST and placement: keyset pagination,
 * label selectors and permission conditions as indexed sub-queries on the
 * labels table. Never writes.
 */
export class InventoryQueries {
  constructor(
    private readonly db: Knex,
    private readonly options: InventoryQueriesOptions = {},
  ) {}

  /** Epoch ms before which a last probe is too old to believe; undefined: never. */
  private staleBefore(): number | undefined {
    const { staleAfterMs } = this.options;
    if (staleAfterMs === undefined) return undefined;
    return (this.options.now?.() ?? Date.now()) - staleAfterMs;
  }

  /** SQL and bindings of a sort key: a column, or the effective health rank. */
  private sortKey(
    column: string,
    staleBefore: number | undefined,
  ): { sql: string; bindings: Knex.RawBinding[]; alias: string } {
    if (column !== 'health_rank' || staleBefore === undefined) {
      return { sql: '??', bindings: [column], alias: column };
    }
    return {
      sql: `(case when ${PROBE_STALE_SQL} then ? else ?? end)`,
      bindings: [
        'last_probe_at',
        'last_probe_at',
        staleBefore,
        UNKNOWN_RANK,
        'health_rank',
      ],
      alias: 'effective_health_rank',
    };
  }

  async getRevision(): Promise<number> {
    const row = await this.db(TABLE_META)
      .where({ key: 'revision' })
      .first('value');
    return toNumber(row?.value);
  }

  /** Provider ids that ever ran, with their last outcome. */
  async listProviderRuns(): Promise<InventorySummary['providers']> {
    const rows = await this.db(TABLE_PROVIDER_RUNS)
      .select()
      .orderBy('provider');
    return rows.map(r => ({
      id: r.provider,
      ok: toBoolean(r.ok),
      complete: toBoolean(r.complete),
      clusters: toNumber(r.clusters),
      lastRunAt: isoTime(toNumber(r.last_run_at)),
      ...(r.error ? { error: r.error } : {}),
    }));
  }

  async getHealthHistory(id: string, limit: number): Promise<ClusterProbe[]> {
    const rows = await this.db(TABLE_PROBES)
      .where({ cluster_id: id })
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit)
      .select('at', 'health', 'reason', 'latency_ms', 'checks');
    return rows.map(r => ({
      at: new Date(toNumber(r.at)).toISOString(),
      health: r.health,
      reason: r.reason,
      latencyMs: toNumber(r.latency_ms),
      checks: parseJsonColumn<ClusterCheck[]>(r.checks, []),
    }));
  }

  private applyAccess(qb: Knex.QueryBuilder, filter: ClusterAccessFilter) {
    if (!filter) return;
    const labelSub = (cond: ClusterLabelCondition) => {
      const sub = this.db(TABLE_CLUSTER_LABELS)
        .select('cluster_id')
        .where('key', cond.key);
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
      const q = this.db(TABLE_CLUSTER_LABELS)
        .select('cluster_id')
        .where('key', key);
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
    staleBefore?: number,
  ): Knex.QueryBuilder {
    const qb = this.db(TABLE_CLUSTERS);
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
    if (query.healths?.length && staleBefore !== undefined) {
      // The health each cluster is served with: unknown when its last probe is stale.
      qb.whereRaw(
        `(case when ${PROBE_STALE_SQL} then 'unknown' else ?? end) in (${query.healths
          .map(() => '?')
          .join(', ')})`,
        [
          'last_probe_at',
          'last_probe_at',
          staleBefore,
          'health',
          ...query.healths,
        ],
      );
    } else if (query.healths?.length) {
      qb.whereIn('health', query.healths);
    }
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
    const sortKey = cursorSortKey(query.sort, query.order);
    const desc = query.order === 'desc';
    const cursor = query.cursor
      ? decodeCursor(query.cursor, sortKey, filterHash)
      : undefined;
    if (cursor && cursor.values.length !== columns.length) {
      throw new Error('cursor shape mismatch');
    }
    const staleBefore = this.staleBefore();
    const keys = columns.map(c => this.sortKey(c, staleBefore));
    const countRow = await this.filtered(query, access, staleBefore)
      .count({ n: '*' })
      .first();
    const page = this.filtered(query, access, staleBefore).select('*');
    for (const key of keys) {
      if (key.alias !== key.bindings[0]) {
        page.select(
          this.db.raw(`${key.sql} as ??`, [...key.bindings, key.alias]),
        );
      }
    }
    if (cursor) {
      // Row-value comparison: one index range scan on SQLite and PostgreSQL alike.
      page.whereRaw(
        `(${keys.map(k => k.sql).join(', ')}) ${desc ? '<' : '>'} (${keys
          .map(() => '?')
          .join(', ')})`,
        [...keys.flatMap(k => k.bindings), ...cursor.values],
      );
    }
    page
      .orderByRaw(
        keys.map(k => `${k.sql} ${desc ? 'desc' : 'asc'}`).join(', '),
        keys.flatMap(k => k.bindings),
      )
      .limit(query.limit + 1);
    const rows = await page;
    const hasMore = rows.length > query.limit;
    const pageRows = hasMore ? rows.slice(0, query.limit) : rows;
    const items = await this.toClusters(pageRows);
    const last = pageRows[pageRows.length - 1];
    const nextCursor =
      hasMore && last
        ? encodeCursor({
            sort: sortKey,
            filterHash,
            values: keys.map(({ alias }) =>
              typeof last[alias] === 'string'
                ? last[alias]
                : toNumber(last[alias]),
            ),
          })
        : undefined;
    return {
      items,
      totalItems: toNumber(countRow?.n),
      ...(nextCursor ? { nextCursor } : {}),
    };
  }

  /** The ids among `ids` that the access filter lets through (one query). */
  async accessibleIds(
    ids: string[],
    access: ClusterAccessFilter,
  ): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const qb = this.db(TABLE_CLUSTERS).whereIn('id', ids);
    this.applyAccess(qb, access);
    const rows: Array<{ id: string }> = await qb.select('id');
    return new Set(rows.map(r => r.id));
  }

  async getCluster(
    id: string,
    access?: ClusterAccessFilter,
  ): Promise<Cluster | undefined> {
    const qb = this.db(TABLE_CLUSTERS).where({ id });
    this.applyAccess(qb, access);
    const rows = await qb.select();
    if (rows.length === 0) return undefined;
    return (await this.toClusters(rows))[0];
  }

  /**
   * Counts by (served) health of the clusters named in `names`, matched by
   * `selector` or with an id in `ids` (any of them), that `access` lets through:
   * one GROUP BY, so an entity's card never loads all its clusters to count them.
   */
  async countByHealth(
    match: { names?: string[]; selector?: LabelSelector; ids?: string[] },
    access: ClusterAccessFilter,
  ): Promise<{ total: number; byHealth: Record<ClusterHealth, number> }> {
    const { names, selector, ids } = match;
    const qb = this.db(TABLE_CLUSTERS);
    this.applyAccess(qb, access);
    qb.where(b => {
      // No criterion matches nothing (not everything).
      b.whereRaw('1 = 0');
      if (names?.length) b.orWhereIn('name', names);
      if (ids?.length) b.orWhereIn('id', ids);
      if (selector) b.orWhere(inner => this.applySelector(inner, selector));
    });
    const { total, byHealth } = await this.healthCounts(qb);
    return { total, byHealth };
  }

  /** Counts of a filtered query by health; stale probes count as unknown. */
  private async healthCounts(qb: Knex.QueryBuilder) {
    const staleBefore = this.staleBefore() ?? 0;
    const rows = await qb
      .select('health')
      .select(
        this.db.raw(
          `sum(case when ${PROBE_STALE_SQL} then 1 else 0 end) as ??`,
          ['last_probe_at', 'last_probe_at', staleBefore, 'stale'],
        ),
      )
      .count({ n: '*' })
      .groupBy('health');
    const byHealth = Object.fromEntries(
      CLUSTER_HEALTHS.map(h => [h, 0]),
    ) as Record<ClusterHealth, number>;
    let total = 0;
    let stale = 0;
    for (const r of rows) {
      const rowStale = toNumber(r.stale);
      byHealth[r.health as ClusterHealth] += toNumber(r.n) - rowStale;
      byHealth.unknown += rowStale;
      stale += rowStale;
      total += toNumber(r.n);
    }
    return { total, byHealth, stale };
  }

  async summary(access: ClusterAccessFilter): Promise<InventorySummary> {
    const {
      total,
      byHealth,
      stale: staleClusters,
    } = await this.healthCounts(this.filtered({}, access));
    const byCloudRows = await this.filtered({}, access)
      .select('cloud')
      .count({ n: '*' })
      .groupBy('cloud');
    const byCloud: Record<string, number> = {};
    for (const r of byCloudRows) byCloud[r.cloud] = toNumber(r.n);
    const lastRound = await this.db(TABLE_PROBE_ROUNDS)
      .whereNotNull('finished_at')
      .orderBy('id', 'desc')
      .first('finished_at');
    const lastProbeRoundAt = lastRound
      ? isoTime(toNumber(lastRound.finished_at))
      : undefined;
    return {
      totalClusters: total,
      byHealth,
      byCloud,
      providers: await this.listProviderRuns(),
      ...(lastProbeRoundAt ? { lastProbeRoundAt } : {}),
      staleClusters,
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
        ...(await this.db(TABLE_SOURCES)
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
        lastSeenAt:
          isoTime(toNumber(s.last_seen_at)) ?? new Date(0).toISOString(),
        stale: toBoolean(s.stale),
      });
      sources.set(s.cluster_id, list);
    }
    const staleBefore = this.staleBefore();
    return rows.map(r => rowToCluster(r, sources.get(r.id) ?? [], staleBefore));
  }
}
