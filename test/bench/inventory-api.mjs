/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// GET /clusters latency (p50/p95) with N stored clusters (default 10,000), unfiltered and
// filtered, on SQLite and on PostgreSQL (embedded), through the plugin's real router and
// store (auth, permissions and audit are pass-through stand-ins). Also reports the
// process RSS holding the inventory. Goal: p95 < 50 ms.
// Usage: node test/bench/inventory-api.mjs [clusters] [requestsPerQuery] [sqlite|postgres|both]
import express from 'express';
import http from 'node:http';
import {
  backend,
  percentile,
  require,
  round,
  silentLogger,
  startPostgres,
} from './_inventory-lib.mjs';

const N = Number(process.argv[2] ?? 10_000);
const REQUESTS = Number(process.argv[3] ?? 200);
const engines =
  (process.argv[4] ?? 'both') === 'both'
    ? ['sqlite', 'postgres']
    : [process.argv[4]];

const knexFactory = require('knex');
const { InventoryStore } = require(backend('src/inventory/InventoryStore.ts'));
const { migrateInventory } = require(backend('src/plugin.ts'));
const { createRouter } = require(backend('src/service/router.ts'));
const { multiclusterClusterRules } = require(backend(
  'src/permissions/rules/index.ts',
));
const {
  createConditionTransformer,
} = require('@backstage/plugin-permission-node');
const { AuthorizeResult } = require('@backstage/plugin-permission-common');

const CLOUDS = ['aws', 'azure', 'gcp', 'local'];
const REGIONS = [
  'us-east-1',
  'eu-west-1',
  'westeurope',
  'europe-west1',
  'us-central1',
];
const HEALTHS = [
  'healthy',
  'healthy',
  'healthy',
  'healthy',
  'degraded',
  'unhealthy',
  'unreachable',
  'unauthorized',
];

async function seed(store) {
  const clusters = [];
  for (let i = 0; i < N; i++) {
    clusters.push({
      sourceId: `c-${i}`,
      name: `cluster-${String(i).padStart(5, '0')}`,
      url: `https://api-${i}.clusters.example.com`,
      credentials: async () => ({ type: 'anonymous' }),
      cloud: CLOUDS[i % 4],
      region: REGIONS[i % 5],
      labels: {
        env: ['prod', 'staging', 'dev'][i % 3],
        team: `team-${i % 40}`,
        region: REGIONS[i % 5],
        tier: i % 7 === 0 ? 'gold' : 'standard',
      },
    });
  }
  const order = new Map([['bench', 0]]);
  let t = Date.now();
  await store.applyDiscovery(
    [
      {
        provider: 'bench',
        ok: true,
        clusters,
        complete: true,
        failedScopes: [],
      },
    ],
    order,
  );
  const discoverySeconds = (Date.now() - t) / 1000;
  t = Date.now();
  // A second, unchanged discovery: what every discovery interval costs in steady state.
  await store.applyDiscovery(
    [
      {
        provider: 'bench',
        ok: true,
        clusters,
        complete: true,
        failedScopes: [],
      },
    ],
    order,
  );
  const rediscoverySeconds = (Date.now() - t) / 1000;
  const targets = await store.listProbeTargets();
  t = Date.now();
  const roundId = await store.startProbeRound('bench');
  await store.recordProbeRound(
    roundId,
    targets.map((tg, i) => ({
      id: tg.id,
      at: Date.now(),
      latencyMs: 20,
      classification: {
        health: HEALTHS[i % HEALTHS.length],
        reason: 'bench',
        checks: [{ name: 'etcd', ok: true }],
      },
      version: 'v1.31.4',
      nodes: { ready: 3, total: 3 },
      allocatable: { cpu: 12, memoryBytes: 48 * 2 ** 30, pods: 330 },
      kubeletVersions: ['v1.31.4'],
    })),
    { flapThreshold: 2, historyLimit: 100, historyMaxAgeMs: 24 * 3600_000 },
  );
  const probeWriteSeconds = (Date.now() - t) / 1000;
  return { discoverySeconds, rediscoverySeconds, probeWriteSeconds };
}

function app(store, conditional) {
  const permissions = {
    authorizeConditional: async () => [
      conditional
        ? {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'multicluster',
            resourceType: 'multicluster-cluster',
            conditions: {
              anyOf: [1, 2, 3].map(n => ({
                rule: 'HAS_LABEL',
                resourceType: 'multicluster-cluster',
                params: { key: 'team', value: `team-${n}` },
              })),
            },
          }
        : { result: AuthorizeResult.ALLOW },
    ],
    authorize: async () => [{ result: AuthorizeResult.ALLOW }],
  };
  return createRouter({
    store,
    logger: silentLogger,
    httpAuth: {
      credentials: async () => ({
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'user', userEntityRef: 'user:default/bench' },
      }),
    },
    auth: {},
    permissions,
    auditor: {
      createEvent: async () => ({
        success: async () => {},
        fail: async () => {},
      }),
    },
    catalog: {},
    transformConditions: createConditionTransformer(
      Object.values(multiclusterClusterRules),
    ),
    refresh: async () => {},
    connectionFor: async () => undefined,
    historyLimit: 100,
    connectionCallers: ['kubernetes'],
  });
}

async function serve(router) {
  const a = express();
  a.use('/api/multicluster', router);
  a.use((err, _req, res, _next) =>
    res
      .status(err.name === 'InputError' ? 400 : 500)
      .json({ error: { name: err.name, message: err.message } }),
  );
  const server = http.createServer(a);
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  return server;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function get(port, path) {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    http
      .get(
        { host: '127.0.0.1', port, path: `/api/multicluster${path}`, agent },
        res => {
          const chunks = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () => {
            const ms = Number(process.hrtime.bigint() - t) / 1e6;
            if (res.statusCode !== 200)
              reject(
                new Error(
                  `${path}: HTTP ${res.statusCode} ${Buffer.concat(chunks)}`,
                ),
              );
            else
              resolve({
                ms,
                body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
              });
          });
        },
      )
      .on('error', reject);
  });
}

async function measure(port, path) {
  for (let i = 0; i < 10; i++) await get(port, path); // warm-up
  const samples = [];
  let totalItems = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const { ms, body } = await get(port, path);
    samples.push(ms);
    totalItems = body.totalItems;
  }
  samples.sort((a, b) => a - b);
  return {
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    totalItems,
  };
}

const QUERIES = {
  unfiltered: '/clusters',
  unfilteredLimit500: '/clusters?limit=500',
  selector: `/clusters?selector=${encodeURIComponent(
    'env=prod,team in (team-1,team-2,team-3),!legacy',
  )}`,
  cloudHealth: '/clusters?cloud=aws,gcp&health=degraded,unhealthy',
  text: '/clusters?q=team-17',
  sortHealth: '/clusters?sort=health',
};

const baselineRssMb = process.memoryUsage().rss / 2 ** 20;
for (const engine of engines) {
  let pg;
  let knex;
  if (engine === 'sqlite') {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
      pool: { min: 1, max: 1 },
    });
  } else {
    pg = await startPostgres();
    knex = knexFactory({
      client: 'pg',
      connection: pg.connection,
      pool: { min: 1, max: 10 },
    });
  }
  try {
    await migrateInventory(knex);
    const store = new InventoryStore(knex);
    const seeding = await seed(store);
    const servers = [
      await serve(await app(store, false)),
      await serve(await app(store, true)),
    ];
    const [port, conditionalPort] = servers.map(s => s.address().port);
    const results = {};
    for (const [name, path] of Object.entries(QUERIES))
      results[name] = await measure(port, path);
    // Page 2 of a sorted, filtered list: keyset pagination via the cursor.
    const first = await get(port, '/clusters?sort=health&cloud=aws');
    results.cursorPage2 = await measure(
      port,
      `/clusters?sort=health&cloud=aws&cursor=${encodeURIComponent(
        first.body.nextCursor,
      )}`,
    );
    results.permissionConditional = await measure(conditionalPort, '/clusters');
    const worstP95 = Math.max(...Object.values(results).map(r => r.p95));
    if (global.gc) global.gc();
    console.log(
      JSON.stringify({
        bench: 'inventory-api',
        engine,
        clusters: N,
        requestsPerQuery: REQUESTS,
        queries: results,
        worstP95Ms: worstP95,
        goalP95Ms: 50,
        seeding: {
          discoverySeconds: round(seeding.discoverySeconds),
          rediscoverySeconds: round(seeding.rediscoverySeconds),
          probeRoundWriteSeconds: round(seeding.probeWriteSeconds),
        },
        rssMb: round(process.memoryUsage().rss / 2 ** 20, 0),
        rssBaselineMb: round(baselineRssMb, 0),
        heapUsedMb: round(process.memoryUsage().heapUsed / 2 ** 20, 0),
        heapTotalMb: round(process.memoryUsage().heapTotal / 2 ** 20, 0),
        note: 'RSS of this process: router + store + database client with the inventory loaded; rssBaselineMb is the process before any cluster (modules and the TypeScript transform)',
      }),
    );
    for (const s of servers) await new Promise(r => s.close(r));
  } finally {
    await knex.destroy();
    await pg?.stop();
  }
}
agent.destroy();
