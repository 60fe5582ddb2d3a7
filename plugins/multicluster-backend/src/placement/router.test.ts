/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { DiscoveredCluster } from '@archipelago/multicluster-node';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type { Knex } from 'knex';
import request from 'supertest';
import { createKnex } from '../__testUtils__/databases';
import { InventoryStore, type ProbeOutcome } from '../inventory/InventoryStore';
import { migrateInventory } from '../plugin';
import { multiclusterClusterConditions } from '../permissions/rules';
import {
  type PluginHandle,
  startMulticlusterPlugin,
} from '../service/__testUtils__/startPlugin';

jest.setTimeout(60_000);

/** A permissions service answering every authorizeConditional with `decision`. */
function permissionsAnswering(
  decision: () => PolicyDecision,
): PermissionsService {
  return {
    authorize: async requests =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    authorizeConditional: async requests => requests.map(() => decision()),
  } as PermissionsService;
}

const regions = [
  'eu-west-1',
  'eu-west-1',
  'us-east-1',
  'us-east-1',
  'ap-south-1',
];

describe('POST /placements/preview', () => {
  let knex: Knex;
  let store: InventoryStore;
  let decision: PolicyDecision;
  let backend: PluginHandle;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    knex = await createKnex('sqlite');
    await migrateInventory(knex);
    store = new InventoryStore(knex);
    const discovered: DiscoveredCluster[] = regions.map((region, i) => ({
      sourceId: `c${i + 1}`,
      name: `c${i + 1}`,
      url: `https://c${i + 1}.example.com`,
      credentials: async () => ({ type: 'anonymous' as const }),
      cloud: i === 4 ? 'gcp' : 'aws',
      region,
      labels: { region, team: i < 3 ? 'shop' : 'data' },
    }));
    await store.applyDiscovery(
      [
        {
          provider: 'config',
          ok: true,
          clusters: discovered,
          complete: true,
          failedScopes: [],
        },
      ],
      new Map([['config', 0]]),
    );
    const page = await store.listClusters(
      { limit: 50, sort: 'name' },
      undefined,
    );
    for (const c of page.items) ids[c.name] = c.id;
    // One probe round: c4 is down, c2 can hold only 3 pods.
    const round = await store.startProbeRound('test');
    const outcomes: ProbeOutcome[] = page.items.map(c => ({
      id: c.id,
      at: Date.now(),
      latencyMs: 5,
      classification:
        c.name === 'c4'
          ? { health: 'unreachable', reason: 'connection refused', checks: [] }
          : { health: 'healthy', reason: 'ready', checks: [] },
      ...(c.name === 'c2'
        ? { allocatable: { cpu: 2, memoryBytes: 1 << 30, pods: 3 } }
        : {}),
    }));
    await store.recordProbeRound(round, outcomes, {
      flapThreshold: 1,
      historyLimit: 10,
      historyMaxAgeMs: 3600_000,
    });

    // The real plugin on the seeded database; its scheduler is a mock, so no
    // discovery or probe round replaces the seeded health and capacity.
    backend = await startMulticlusterPlugin({
      knex,
      config: {
        multicluster: {
          environments: {
            secretKey: 'test-only-environments-key-0123456789abcdef',
          },
        },
      },
      permissions: permissionsAnswering(() => decision),
      features: [mockServices.scheduler.mock().factory],
    });
  });
  beforeEach(() => {
    decision = { result: AuthorizeResult.ALLOW };
  });

  afterAll(async () => {
    await backend.stop();
    await knex.destroy();
  });

  const preview = (body: unknown) =>
    request(backend.server)
      .post('/api/multicluster/placements/preview')
      .send(body as object);

  it.each<[string, unknown, RegExp]>([
    [
      'a missing placement',
      {},
      /^request body must have required property 'placement'$/,
    ],
    [
      'an unknown top-level field',
      { placement: {}, replica: {} },
      /^request body must NOT have additional properties$/,
    ],
    [
      'a bad selector string',
      { placement: { clusterSelector: 'region in eu' } },
      /placement\.clusterSelector/,
    ],
    [
      'clusterNames that is not a list',
      { placement: { clusterNames: 'c1' } },
      /^request body field placement.clusterNames must be array$/,
    ],
    [
      'a negative totalReplicas',
      {
        placement: { clusterSelector: '' },
        replicas: { totalReplicas: -1, preferences: {} },
      },
      /^request body field replicas.totalReplicas must be >= 0$/,
    ],
    [
      'a fractional totalReplicas',
      {
        placement: { clusterSelector: '' },
        replicas: { totalReplicas: 1.5, preferences: {} },
      },
      /^request body field replicas.totalReplicas must be integer$/,
    ],
    [
      'missing preferences',
      { placement: { clusterSelector: '' }, replicas: { totalReplicas: 3 } },
      /^request body field replicas must have required property 'preferences'$/,
    ],
    [
      'minReplicas above maxReplicas',
      {
        placement: { clusterSelector: '' },
        replicas: {
          totalReplicas: 3,
          preferences: { c1: { minReplicas: 4, maxReplicas: 2 } },
        },
      },
      /replicas\.preferences\.c1\.minReplicas: minReplicas \(4\) must not exceed maxReplicas \(2\)/,
    ],
    [
      'rebalance that is not a boolean',
      {
        placement: { clusterSelector: '' },
        replicas: { totalReplicas: 3, preferences: {}, rebalance: 'yes' },
      },
      /^request body field replicas.rebalance must be boolean$/,
    ],
    [
      'an unknown preference field',
      {
        placement: { clusterSelector: '' },
        replicas: { totalReplicas: 3, preferences: { '*': { weigth: 1 } } },
      },
      /^request body field replicas.preferences.\* must NOT have additional properties$/,
    ],
  ])('answers 400 naming the field for %s', async (_title, body, message) => {
    const res = await preview(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(message),
    });
  });

  it('answers 400 for a body that is not JSON, bad JSON or a query string', async () => {
    const text = await request(backend.server)
      .post('/api/multicluster/placements/preview')
      .set('Content-Type', 'text/plain')
      .send('placement');
    expect(text.status).toBe(400);
    expect(text.body.error.message).toMatch(/unsupported media type/);
    const broken = await request(backend.server)
      .post('/api/multicluster/placements/preview')
      .set('Content-Type', 'application/json')
      .send('{"placement":');
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toMatch(/not valid JSON/);
    const query = await request(backend.server)
      .post('/api/multicluster/placements/preview?dryRun=1')
      .send({ placement: {} });
    expect(query.status).toBe(400);
    expect(query.body.error.message).toMatch(/Unknown query parameter/);
  });

  it('explains every left-out cluster', async () => {
    const res = await preview({
      placement: {
        clusterSelector: 'region in (eu-west-1,us-east-1)',
        exclude: ['c3'],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.clusters).toEqual([
      { name: 'c1', id: ids.c1 },
      { name: 'c2', id: ids.c2 },
    ]);
    expect(res.body.excluded).toEqual([
      {
        cluster: 'c3',
        reason: 'in-exclude',
        message: 'Cluster "c3" is listed in exclude',
      },
      {
        cluster: 'c4',
        reason: 'unreachable',
        message: expect.stringContaining('includeUnreachable'),
      },
      {
        cluster: 'c5',
        reason: 'selector-mismatch',
        message:
          'Cluster "c5" labels do not match the selector "region in (eu-west-1,us-east-1)"',
      },
    ]);
    expect(res.body.overflow).toEqual({});
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('reads only the named clusters for clusterNames and reports unknown names', async () => {
    const res = await preview({
      placement: { clusterNames: ['c5', 'c4', 'ghost'] },
    });
    expect(res.status).toBe(200);
    expect(res.body.clusters).toEqual([{ name: 'c5', id: ids.c5 }]);
    expect(res.body.excluded.map((e: any) => [e.cluster, e.reason])).toEqual([
      ['c4', 'unreachable'],
      ['ghost', 'unknown-cluster'],
    ]);
  });

  it('plans replicas weighted by region, capped by what a cluster can hold', async () => {
    const res = await preview({
      placement: { clusterSelector: {} },
      replicas: {
        totalReplicas: 30,
        preferences: {
          '*': { weight: 1 },
          c1: { weight: 3 },
          c2: { weight: 3 },
        },
        rebalance: true,
        key: 'shop/web',
      },
    });
    expect(res.status).toBe(200);
    const plan = Object.fromEntries(
      res.body.clusters.map((c: any) => [c.name, c.replicas]),
    );
    // c4 is unreachable; c2 holds 3 pods, so its weighted share spills over to the others.
    expect(Object.keys(plan)).toEqual(['c1', 'c2', 'c3', 'c5']);
    expect(plan.c2).toBe(3);
    expect(plan.c1 + plan.c2 + plan.c3 + plan.c5).toBe(30);
    expect(plan.c1).toBeGreaterThan(plan.c3);
    expect(res.body.overflow.c2).toBeGreaterThan(0);
    expect(res.body.excluded.map((e: any) => [e.cluster, e.reason])).toEqual([
      ['c4', 'unreachable'],
    ]);
  });

  it('answers 403 when cluster reads are denied', async () => {
    decision = { result: AuthorizeResult.DENY };
    const res = await preview({ placement: { clusterSelector: '' } });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/multicluster\.cluster\.read/);
  });

  it('honours conditional decisions: invisible clusters are neither chosen nor named', async () => {
    decision = {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'multicluster',
      resourceType: 'multicluster-cluster',
      conditions: multiclusterClusterConditions.hasLabel({
        key: 'team',
        value: 'shop',
      }),
    };
    const res = await preview({
      placement: { clusterNames: ['c1', 'c4', 'c5'] },
      replicas: { totalReplicas: 4, preferences: { '*': { weight: 1 } } },
    });
    expect(res.status).toBe(200);
    expect(res.body.clusters).toEqual([
      { name: 'c1', id: ids.c1, replicas: 4 },
    ]);
    // c4 and c5 belong to team data: to this caller they do not exist.
    expect(res.body.excluded.map((e: any) => [e.cluster, e.reason])).toEqual([
      ['c4', 'unknown-cluster'],
      ['c5', 'unknown-cluster'],
    ]);
  });
});
