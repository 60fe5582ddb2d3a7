/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { DiscoveredCluster } from '@archipelago/multicluster-node';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { Knex } from 'knex';
import {
  ENGINES,
  type PostgresServer,
  createKnex,
  startPostgres,
} from '../__testUtils__/databases';
import { migrateInventory } from '../plugin';
import type { Classification } from '../prober/classify';
import { type ClusterListQuery, InventoryStore } from './InventoryStore';
import type { ProviderRound } from './merge';

jest.setTimeout(60_000);

const creds = async () => ({ type: 'anonymous' as const });
const dc = (
  name: string,
  extra: Partial<DiscoveredCluster> = {},
): DiscoveredCluster => ({
  sourceId: name,
  name,
  url: `https://${name}.example.com`,
  credentials: creds,
  cloud: 'aws',
  ...extra,
});
const ok = (
  provider: string,
  clusters: DiscoveredCluster[],
  complete = true,
): ProviderRound => ({
  provider,
  ok: true,
  clusters,
  complete,
  failedScopes: [],
});
const order = new Map([
  ['config', 0],
  ['aws', 1],
]);
const healthy: Classification = {
  health: 'healthy',
  reason: 'API server ready',
  checks: [],
};
const down: Classification = {
  health: 'unreachable',
  reason: 'connection refused: ECONNREFUSED',
  checks: [],
};
const q = (extra: Partial<ClusterListQuery> = {}): ClusterListQuery => ({
  limit: 50,
  sort: 'name',
  ...extra,
});

let pg: PostgresServer | undefined;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

describe.each(ENGINES)('InventoryStore on %s', engine => {
  let knex: Knex;
  let store: InventoryStore;

  beforeEach(async () => {
    knex = await createKnex(engine, pg);
    await migrateInventory(knex);
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
    await migrateInventory(knex);
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

  describe('queries', () => {
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
        const all = await store.listClusters(
          q({ sort, limit: 500 }),
          undefined,
        );
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
    await migrateInventory(knex);
    expect(await reopened.listClusters(q(), undefined)).toEqual(before);
    expect(await reopened.getHealthHistory(t.id, 10)).toHaveLength(1);
  });
});
