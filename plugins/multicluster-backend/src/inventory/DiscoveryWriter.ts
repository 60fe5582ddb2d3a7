/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Knex } from 'knex';
import {
  TABLE_CLUSTER_LABELS,
  TABLE_CLUSTERS,
  TABLE_META,
  TABLE_PROBES,
  TABLE_PROVIDER_RUNS,
  TABLE_SOURCES,
  chunk,
  parseJsonColumn,
  toBoolean,
  toNumber,
} from '../database/tables';
import {
  type MergedCluster,
  type ProviderRound,
  type SourceData,
  type SourceRecord,
  planDiscovery,
} from './merge';
import { searchText } from './rows';
import { inventoryWrite } from './writeLock';
import type { DiscoveryOutcome } from './types';

/** Changed clusters in one discovery after which planner statistics are refreshed. */
const ANALYZE_AFTER_CHANGES = 500;

/** Every inventory write bumps the revision, which REST turns into ETags. */
export async function bumpRevision(trx: Knex.Transaction): Promise<void> {
  await trx(TABLE_META).where({ key: 'revision' }).increment('value', 1);
}

/**
 * The discovery writer: persists each discovery round (the descriptive
 * columns of clusters, their labels and sources, the providers' runs). The
 * prober writes only the status columns, so the two scheduled tasks never
 * overwrite each other, whichever replica runs them.
 */
export class DiscoveryWriter {
  constructor(private readonly db: Knex) {}

  /**
   * Persists one discovery round (see planDiscovery for the rules) and the
   * providers' run outcomes, in one transaction.
   */
  async applyDiscovery(
    rounds: ProviderRound[],
    providerOrder: ReadonlyMap<string, number>,
    now: number = Date.now(),
  ): Promise<DiscoveryOutcome> {
    // Under the inventory's write lock: probe rounds on other replicas wait, never deadlock.
    const result = await inventoryWrite(this.db, async trx => {
      const sourceRows = await trx(TABLE_SOURCES).select();
      const existingSources: SourceRecord[] = sourceRows.map(r => ({
        provider: r.provider,
        sourceId: r.source_id,
        clusterId: r.cluster_id,
        urlKey: r.url_key,
        scope: r.scope ?? undefined,
        lastSeenAt: toNumber(r.last_seen_at),
        stale: toBoolean(r.stale),
        data: parseJsonColumn<SourceData>(r.data, {} as SourceData),
      }));
      const clusterRows = await trx(TABLE_CLUSTERS).select(
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
          await trx(TABLE_SOURCES)
            .where({ provider: s.provider, source_id: s.sourceId })
            .delete();
        }
      }
      const changedSources = plan.sources.filter(s => {
        const old = before.get(`${s.provider}\u0000${s.sourceId}`);
        return !old || JSON.stringify(old) !== JSON.stringify(s);
      });
      for (const batch of chunk(changedSources, 200)) {
        await trx(TABLE_SOURCES)
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
        await trx(TABLE_CLUSTER_LABELS).whereIn('cluster_id', ids).delete();
        await trx(TABLE_PROBES).whereIn('cluster_id', ids).delete();
        await trx(TABLE_CLUSTERS).whereIn('id', ids).delete();
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
          skip_tls_verify: toBoolean(old.skip_tls_verify),
          stale: toBoolean(old.stale),
          last_seen_at: toNumber(old.last_seen_at),
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
        await trx(TABLE_CLUSTERS)
          .whereIn(
            'id',
            batch.map(c => c.id),
          )
          .update({ last_seen_at: now, updated_at: now });
      }
      // A URL that moved to a new id must free its unique key first.
      for (const batch of chunk(inserts, 100)) {
        await trx(TABLE_CLUSTERS).insert(
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
        await trx(TABLE_CLUSTERS)
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
        await trx(TABLE_PROVIDER_RUNS)
          .insert(row)
          .onConflict('provider')
          .merge();
      }

      if (
        outcome.added.length ||
        outcome.removed.length ||
        outcome.updated.length ||
        changedSources.length
      ) {
        await bumpRevision(trx);
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
      await this.db.raw(
        `ANALYZE ${TABLE_CLUSTERS}, ${TABLE_CLUSTER_LABELS}, ${TABLE_SOURCES}`,
      );
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
        await trx(TABLE_CLUSTER_LABELS).whereIn('cluster_id', ids).delete();
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
      await trx(TABLE_CLUSTER_LABELS).insert(batch);
    }
  }
}
