/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { DiscoveredCluster } from '@archipelago/multicluster-node';
import { TEST_DATABASE_IDS } from '@archipelago/multicluster-node-test-utils';
import { TestDatabases } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import type { Knex } from 'knex';
import { migrateDatabase } from '../database/migrations';
import { dc, down, healthy, ok, order, q } from './__testUtils__/fixtures';
import { type ClusterListQuery, InventoryStore } from './InventoryStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

describe.each(databases.eachSupportedId())('InventoryQueries on %s', id => {
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

  beforeEach(async () => {
    const clusters: DiscoveredCluster[] = [];
    for (let i = 0; i < 37; i++) {
      clusters.push(
        dc(`c${String(i).padStart(2, '0')}`, {
          cloud: (['aws', 'azure', 'gcp'] as const)[i % 3],
          title: i === 5 ? 'Payments Primary' : undefined,
          labels: {
            env: ['prod', 'dev', 'staging'][i % 3],
            team: i % 2 === 0 ? 'payments' : 'search',
            ...(i % 5 === 0 ? { legacy: 'true' } : {}),
          },
        }),
      );
    }
    await store.applyDiscovery([ok('aws', clusters)], order);
    const targets = await store.listProbeTargets();
    const round = await store.startProbeRound('test');
    await store.recordProbeRound(
      round,
      targets.map((t, i) => ({
        id: t.id,
        at: 10_000 + i,
        latencyMs: 1,
        classification: i % 4 === 0 ? down : healthy,
      })),
      { flapThreshold: 2, historyLimit: 100, historyMaxAgeMs: 1e12 },
    );
  });

  const names = async (query: Partial<ClusterListQuery>, access?: any) =>
    (await store.listClusters(q({ limit: 500, ...query }), access)).items.map(
      c => c.name,
    );

  it.each<[string, Partial<ClusterListQuery>, (i: number) => boolean]>([
    [
      'selector =',
      { selector: { matchLabels: { env: 'prod' } } },
      i => i % 3 === 0,
    ],
    [
      'selector !=',
      {
        selector: {
          matchExpressions: [
            { key: 'env', operator: 'NotIn', values: ['prod'] },
          ],
        },
      },
      i => i % 3 !== 0,
    ],
    [
      'selector in',
      {
        selector: {
          matchExpressions: [
            { key: 'env', operator: 'In', values: ['dev', 'staging'] },
          ],
        },
      },
      i => i % 3 !== 0,
    ],
    [
      'selector exists',
      {
        selector: {
          matchExpressions: [{ key: 'legacy', operator: 'Exists' }],
        },
      },
      i => i % 5 === 0,
    ],
    [
      'selector !exists',
      {
        selector: {
          matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }],
        },
      },
      i => i % 5 !== 0,
    ],
    [
      'selector combined',
      {
        selector: {
          matchLabels: { team: 'payments' },
          matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }],
        },
      },
      i => i % 2 === 0 && i % 5 !== 0,
    ],
    ['cloud', { clouds: ['azure', 'gcp'] }, i => i % 3 !== 0],
    ['health', { healths: ['unreachable'] }, i => i % 4 === 0],
    ['q over labels', { q: 'TEAM=SEARCH' }, i => i % 2 === 1],
    ['q over title', { q: 'payments primary' }, i => i === 5],
    ['q with LIKE wildcards is literal', { q: '%' }, () => false],
  ])('filters by %s', async (_name, query, expected) => {
    const want = Array.from({ length: 37 }, (_, i) => i)
      .filter(expected)
      .map(i => `c${String(i).padStart(2, '0')}`);
    expect(await names(query)).toEqual(want);
    expect((await store.listClusters(q(query), undefined)).totalItems).toBe(
      want.length,
    );
  });

  it.each(['name', 'health', 'cloud', 'lastProbeAt'] as const)(
    'pages through sort=%s exactly once',
    async sort => {
      const all = await store.listClusters(q({ sort, limit: 500 }), undefined);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 20; i++) {
        const page = await store.listClusters(
          q({ sort, limit: 5, cursor }),
          undefined,
        );
        expect(page.totalItems).toBe(37);
        seen.push(...page.items.map(c => c.id));
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      expect(seen).toEqual(all.items.map(c => c.id));
      expect(new Set(seen).size).toBe(37);
    },
  );

  it.each(['name', 'health', 'cloud', 'lastProbeAt'] as const)(
    'pages through sort=%s&order=desc exactly once, in the reverse of ascending',
    async sort => {
      const asc = await store.listClusters(q({ sort, limit: 500 }), undefined);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 20; i++) {
        const page = await store.listClusters(
          q({ sort, order: 'desc', limit: 5, cursor }),
          undefined,
        );
        seen.push(...page.items.map(c => c.id));
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      expect(seen).toEqual(asc.items.map(c => c.id).reverse());
      // An ascending cursor is not one of the descending query.
      const first = await store.listClusters(q({ sort, limit: 5 }), undefined);
      await expect(
        store.listClusters(
          q({ sort, order: 'desc', limit: 5, cursor: first.nextCursor }),
          undefined,
        ),
      ).rejects.toThrow(InputError);
    },
  );

  it('sorts by health rank', async () => {
    const items = (
      await store.listClusters(q({ sort: 'health', limit: 500 }), undefined)
    ).items;
    const firstDown = items.findIndex(c => c.status.health === 'unreachable');
    expect(
      items.slice(0, firstDown).every(c => c.status.health === 'healthy'),
    ).toBe(true);
    expect(
      items.slice(firstDown).every(c => c.status.health === 'unreachable'),
    ).toBe(true);
  });

  it('rejects a cursor of another query', async () => {
    const page = await store.listClusters(q({ limit: 5 }), undefined);
    await expect(
      store.listClusters(
        q({ limit: 5, cursor: page.nextCursor, clouds: ['aws'] }),
        undefined,
      ),
    ).rejects.toThrow(InputError);
    await expect(
      store.listClusters(q({ limit: 5, cursor: 'garbage' }), undefined),
    ).rejects.toThrow(/cursor/);
  });

  it('applies permission conditions', async () => {
    expect(await names({}, { key: 'team', value: 'payments' })).toHaveLength(
      19,
    );
    expect(await names({}, { key: 'legacy' })).toHaveLength(8);
    expect(await names({}, { not: { key: 'legacy' } })).toHaveLength(29);
    expect(
      await names(
        {},
        {
          anyOf: [
            { key: 'env', value: 'prod' },
            { key: 'env', value: 'dev' },
          ],
        },
      ),
    ).toHaveLength(25);
    expect(
      await names(
        {},
        {
          allOf: [
            { key: 'team', value: 'payments' },
            { key: 'env', value: 'prod' },
          ],
        },
      ),
    ).toHaveLength(7);
    const summary = await store.summary({ key: 'team', value: 'search' });
    expect(summary.totalClusters).toBe(18);
    const c00 = (await store.listProbeTargets()).find(t => t.name === 'c00')!;
    expect(
      await store.getCluster(c00.id, { key: 'team', value: 'search' }),
    ).toBeUndefined();
    expect(
      await store.getCluster(c00.id, { key: 'team', value: 'payments' }),
    ).toBeDefined();
  });

  it('summarises by health and cloud', async () => {
    const summary = await store.summary(undefined);
    expect(summary.totalClusters).toBe(37);
    expect(summary.byHealth).toMatchObject({
      healthy: 27,
      unreachable: 10,
      degraded: 0,
    });
    expect(summary.byCloud).toEqual({ aws: 13, azure: 12, gcp: 12 });
    expect(summary.lastProbeRoundAt).toBeDefined();
  });
});
