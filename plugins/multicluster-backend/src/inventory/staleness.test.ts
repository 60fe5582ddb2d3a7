/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TEST_DATABASE_IDS } from '@archipelago/multicluster-node-test-utils';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { migrateDatabase } from '../database/migrations';
import { dc, healthy, ok, order, q } from './__testUtils__/fixtures';
import { InventoryStore } from './InventoryStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

/**
 * A cluster whose last probe is older than staleAfterMs is served as
 * `unknown` (stale, with the reason) by every read: one, list, filter, sort,
 * summary. Clusters never probed keep "never probed".
 */
describe.each(databases.eachSupportedId())('stale probes on %s', id => {
  let knex: Knex;
  let now = 0;
  let store: InventoryStore;
  const STALE_AFTER = 60_000;

  beforeAll(async () => {
    knex = await databases.init(id);
    await migrateDatabase(knex);
    store = new InventoryStore(knex, {
      staleAfterMs: STALE_AFTER,
      now: () => now,
    });
    await store.applyDiscovery(
      [
        ok(
          'aws',
          ['old', 'fresh', 'fresh2', 'never'].map(n => dc(n)),
        ),
      ],
      order,
    );
    const targets = (await store.listProbeTargets()).filter(
      t => t.name !== 'never',
    );
    // Two rounds: damping needs two equal results before `healthy` is stored.
    for (const at of [1_000, 2_000]) {
      const round = await store.startProbeRound('test');
      await store.recordProbeRound(
        round,
        targets.map(t => ({
          id: t.id,
          at: t.name === 'old' ? at : at + 100_000,
          latencyMs: 1,
          classification: healthy,
        })),
        { flapThreshold: 2, historyLimit: 100, historyMaxAgeMs: 1e12 },
      );
    }
    now = 2_000 + STALE_AFTER + 1; // 'old' is stale now, the others not
  });
  afterAll(async () => {
    await knex.destroy();
  });

  it('serves a stale cluster as unknown, with the reason, everywhere', async () => {
    const { items } = await store.listClusters(q({ limit: 10 }), undefined);
    const byName = Object.fromEntries(items.map(c => [c.name, c.status]));
    expect(byName.old).toMatchObject({
      health: 'unknown',
      stale: true,
      lastProbeAt: new Date(2_000).toISOString(),
    });
    expect(byName.old.reason).toBe(
      `no probe since ${new Date(
        2_000,
      ).toISOString()}: probe rounds are not running (last seen healthy)`,
    );
    expect(byName.fresh).toMatchObject({ health: 'healthy', stale: false });
    expect(byName.never).toMatchObject({
      health: 'unknown',
      reason: 'never probed',
      stale: false,
    });
    const one = await store.getCluster(items.find(c => c.name === 'old')!.id);
    expect(one?.status.health).toBe('unknown');

    const names = async (healths: any[]) =>
      (
        await store.listClusters(q({ limit: 10, healths }), undefined)
      ).items.map(c => c.name);
    expect(await names(['healthy'])).toEqual(['fresh', 'fresh2']);
    expect(await names(['unknown'])).toEqual(['never', 'old']);

    const summary = await store.summary(undefined);
    expect(summary.totalClusters).toBe(4);
    expect(summary.byHealth).toMatchObject({ healthy: 2, unknown: 2 });
  });

  it('sorts a stale cluster by health as unknown, page by page', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listClusters(
        q({ limit: 1, sort: 'health', cursor }),
        undefined,
      );
      seen.push(...page.items.map(c => `${c.name}:${c.status.health}`));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([
      'fresh:healthy',
      'fresh2:healthy',
      'never:unknown',
      'old:unknown',
    ]);
  });

  it('believes the stored health when no staleness is configured', async () => {
    const plain = new InventoryStore(knex);
    const { items } = await plain.listClusters(q({ limit: 10 }), undefined);
    expect(items.find(c => c.name === 'old')?.status).toMatchObject({
      health: 'healthy',
      stale: false,
    });
  });
});
