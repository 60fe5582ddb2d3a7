/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { TEST_DATABASE_IDS } from '@archipelago/multicluster-node-test-utils';
import { TestDatabases } from '@backstage/backend-test-utils';
import { migrateDatabase } from '../database/migrations';
import type { Classification } from '../prober/classify';
import { dc, down, healthy, ok, order, q } from './__testUtils__/fixtures';
import { InventoryStore } from './InventoryStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

describe.each(databases.eachSupportedId())('InventoryStore on %s', id => {
  let knex: Knex;
  let store: InventoryStore;

  beforeEach(async () => {
    knex = await databases.init(id);
    await migrateDatabase(knex);
    store = new InventoryStore(knex);
  });
  afterEach(async () => {
    await knex.destroy();
  });

  it('migrates down and up again', async () => {
    // The directory is explicit: knex's default is relative to the cwd (the repo root in CI).
    await knex.migrate.rollback(
      {
        directory: resolvePackagePath(
          '@archipelago/multicluster-backend',
          'migrations',
        ),
      },
      true,
    );
    expect(await knex.schema.hasTable('multicluster_clusters')).toBe(false);
    await migrateDatabase(knex);
    expect(await knex.schema.hasTable('multicluster_clusters')).toBe(true);
  });

  it('merges providers, persists sources and bumps the revision', async () => {
    const r0 = await store.getRevision();
    const outcome = await store.applyDiscovery(
      [
        ok('aws', [
          dc('prod', {
            labels: { env: 'prod', team: 'a' },
            region: 'eu-west-1',
          }),
          dc('dev', { labels: { env: 'dev' } }),
        ]),
        ok('config', [
          dc('prod-cfg', {
            url: 'https://PROD.example.com:443/',
            labels: { owner: 'x' },
            cloud: 'other',
          }),
        ]),
      ],
      order,
    );
    expect(outcome.added).toHaveLength(2);
    expect(await store.getRevision()).toBeGreaterThan(r0);
    const page = await store.listClusters(q(), undefined);
    expect(page.totalItems).toBe(2);
    const prod = page.items.find(
      c => c.url === 'https://PROD.example.com:443/',
    )!;
    expect(prod).toMatchObject({
      name: 'prod-cfg',
      cloud: 'aws',
      region: 'eu-west-1',
      labels: { env: 'prod', team: 'a', owner: 'x' },
      status: { health: 'unknown', reason: 'never probed', stale: false },
    });
    expect(prod.sources.map(s => s.provider).sort()).toEqual(['aws', 'config']);
    // Unchanged rediscovery writes nothing.
    const r1 = await store.getRevision();
    await store.applyDiscovery(
      [
        ok('aws', [
          dc('prod', {
            labels: { env: 'prod', team: 'a' },
            region: 'eu-west-1',
          }),
          dc('dev', { labels: { env: 'dev' } }),
        ]),
        ok('config', [
          dc('prod-cfg', {
            url: 'https://PROD.example.com:443/',
            labels: { owner: 'x' },
            cloud: 'other',
          }),
        ]),
      ],
      order,
      Date.now(),
    );
    expect((await store.listClusters(q(), undefined)).totalItems).toBe(2);
    expect(await store.getRevision()).toBeGreaterThanOrEqual(r1);
  });

  it('keeps clusters of a failing provider, stale, and removes them only on a complete answer', async () => {
    await store.applyDiscovery([ok('aws', [dc('a'), dc('b')])], order, 1_000);
    await store.applyDiscovery(
      [{ provider: 'aws', ok: false, error: 'AccessDenied' }],
      order,
      2_000,
    );
    let page = await store.listClusters(q(), undefined);
    expect(
      page.items.map(c => [c.name, c.status.stale, c.status.lastSeenAt]),
    ).toEqual([
      ['a', true, new Date(1_000).toISOString()],
      ['b', true, new Date(1_000).toISOString()],
    ]);
    const summary = await store.summary(undefined);
    expect(summary.providers).toEqual([
      expect.objectContaining({ id: 'aws', ok: false, error: 'AccessDenied' }),
    ]);

    await store.applyDiscovery([ok('aws', [dc('a')], false)], order, 3_000);
    expect((await store.listClusters(q(), undefined)).totalItems).toBe(2);

    const round = await store.startProbeRound('test');
    const b = (await store.listProbeTargets()).find(t => t.name === 'b')!;
    await store.recordProbeRound(
      round,
      [{ id: b.id, at: 3_500, latencyMs: 3, classification: healthy }],
      {
        flapThreshold: 2,
        historyLimit: 100,
        historyMaxAgeMs: 1e12,
      },
    );
    const outcome = await store.applyDiscovery(
      [ok('aws', [dc('a')], true)],
      order,
      4_000,
    );
    expect(outcome.removed).toEqual([b.id]);
    page = await store.listClusters(q(), undefined);
    expect(page.items.map(c => [c.name, c.status.stale])).toEqual([
      ['a', false],
    ]);
    expect(
      Number(
        (
          await knex('multicluster_probes')
            .where({ cluster_id: b.id })
            .count({ n: '*' })
        )[0].n,
      ),
    ).toBe(0);
    expect(
      Number(
        (
          await knex('multicluster_cluster_labels')
            .where({ cluster_id: b.id })
            .count({ n: '*' })
        )[0].n,
      ),
    ).toBe(0);
  });

  it('damps status changes, keeps history newest first and prunes beyond the limit', async () => {
    await store.applyDiscovery([ok('aws', [dc('a')])], order);
    const [target] = await store.listProbeTargets();
    const probe = async (c: Classification, at: number) => {
      const round = await store.startProbeRound('test');
      await store.recordProbeRound(
        round,
        [
          {
            id: target.id,
            at,
            latencyMs: 5,
            classification: c,
            version: 'v1.31.4',
            nodes: { ready: 3, total: 3 },
          },
        ],
        {
          flapThreshold: 2,
          historyLimit: 3,
          historyMaxAgeMs: 1e12,
          now: at,
        },
      );
      return (await store.getCluster(target.id))!.status;
    };
    expect(await probe(healthy, 1000)).toMatchObject({
      health: 'healthy',
      version: 'v1.31.4',
      nodes: { ready: 3, total: 3 },
    });
    expect(await probe(down, 2000)).toMatchObject({
      health: 'healthy',
      reason: 'API server ready',
    });
    expect(await probe(down, 3000)).toMatchObject({
      health: 'unreachable',
      reason: 'connection refused: ECONNREFUSED',
    });
    await probe(healthy, 4000);
    const history = await store.getHealthHistory(target.id, 100);
    expect(history.map(h => h.health)).toEqual([
      'healthy',
      'unreachable',
      'unreachable',
    ]);
    expect(history[0].at).toBe(new Date(4000).toISOString());
  });

  it('prunes history by age', async () => {
    await store.applyDiscovery([ok('aws', [dc('a')])], order);
    const [target] = await store.listProbeTargets();
    for (const at of [1_000, 2_000, 3_000]) {
      const round = await store.startProbeRound('test');
      await store.recordProbeRound(
        round,
        [{ id: target.id, at, latencyMs: 1, classification: healthy }],
        {
          flapThreshold: 2,
          historyLimit: 100,
          historyMaxAgeMs: 1_500,
          now: at,
        },
      );
    }
    expect(
      (await store.getHealthHistory(target.id, 100)).map(h => h.at),
    ).toEqual([new Date(3_000).toISOString(), new Date(2_000).toISOString()]);
  });

  it('loses nothing across a restart', async () => {
    await store.applyDiscovery(
      [ok('aws', [dc('a', { labels: { x: 'y' } })])],
      order,
    );
    const [t] = await store.listProbeTargets();
    const round = await store.startProbeRound('test');
    await store.recordProbeRound(
      round,
      [{ id: t.id, at: Date.now(), latencyMs: 1, classification: healthy }],
      {
        flapThreshold: 2,
        historyLimit: 100,
        historyMaxAgeMs: 1e12,
      },
    );
    const before = await store.listClusters(q(), undefined);
    const reopened = new InventoryStore(knex);
    await migrateDatabase(knex);
    expect(await reopened.listClusters(q(), undefined)).toEqual(before);
    expect(await reopened.getHealthHistory(t.id, 10)).toHaveLength(1);
  });
});
