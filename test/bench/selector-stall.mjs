/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Does selector evaluation hold up other requests? With N stored clusters (default
// 10,000) on SQLite (synchronous: a long query blocks the event loop), 30 clients send
// maximal label selectors (100 requirements, within 2,000 characters, true for every
// cluster) to GET /clusters without pause, while one client measures a cheap request
// (GET /environment-types). Reported: the cheap request's p50/p95/max alone and under that
// load, through the plugin's real router and store (auth, permissions and audit are
// pass-through stand-ins). `before` runs the same selectors as the store's SQL, the way
// the router evaluated them before the label index. Goal: p95 under load < 100 ms.
// Usage: node test/bench/selector-stall.mjs [clusters] [seconds]
import express from 'express';
import http from 'node:http';
import {
  backend,
  percentile,
  require,
  round,
  silentLogger,
} from './_inventory-lib.mjs';

const N = Number(process.argv[2] ?? 10_000);
const SECONDS = Number(process.argv[3] ?? 8);
const CLIENTS = 30;

const knexFactory = require('knex');
const { InventoryStore } = require(backend('src/inventory/InventoryStore.ts'));
const { migrateInventory } = require(backend('src/plugin.ts'));
const { createRouter } = require(backend('src/service/router.ts'));
const { parseLabelSelector } = require('@archipelago/multicluster-common');
const { AuthorizeResult } = require('@backstage/plugin-permission-common');

const KEYS = [
  'env',
  'team',
  'region',
  'tier',
  ...Array.from({ length: 16 }, (_, j) => `extra-${j}`),
];
// Every requirement holds for every cluster: nothing short-circuits.
const SELECTOR = [
  ...KEYS.map(k => k),
  ...KEYS.map(k => `${k} notin (zz)`),
  ...Array.from({ length: 60 }, (_, i) => `!absent-${i}`),
].join(',');

async function seed(store) {
  const clusters = [];
  for (let i = 0; i < N; i++) {
    const labels = {
      env: ['prod', 'staging', 'dev'][i % 3],
      team: `team-${i % 40}`,
      region: ['us-east-1', 'eu-west-1', 'westeurope'][i % 3],
      tier: i % 7 === 0 ? 'gold' : 'standard',
    };
    for (let j = 0; j < 16; j++) labels[`extra-${j}`] = `v${i % (j + 2)}`;
    clusters.push({
      sourceId: `c-${i}`,
      name: `cluster-${String(i).padStart(5, '0')}`,
      url: `https://api-${i}.clusters.example.com`,
      credentials: async () => ({ type: 'anonymous' }),
      cloud: 'aws',
      labels,
    });
  }
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
    new Map([['bench', 0]]),
  );
}

const agentCheap = new http.Agent({ keepAlive: true, maxSockets: 1 });
const agentLoad = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
function get(port, path, agent) {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    http
      .get(
        { host: '127.0.0.1', port, path: `/api/multicluster${path}`, agent },
        res => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200
              ? resolve(Number(process.hrtime.bigint() - t) / 1e6)
              : reject(
                  new Error(`${path.slice(0, 60)}: HTTP ${res.statusCode}`),
                ),
          );
        },
      )
      .on('error', reject);
  });
}

async function cheapLatencies(port, until) {
  const samples = [];
  while (Date.now() < until) {
    samples.push(await get(port, '/environment-types', agentCheap));
    await new Promise(r => setTimeout(r, 5));
  }
  samples.sort((a, b) => a - b);
  return {
    requests: samples.length,
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    max: round(samples[samples.length - 1]),
  };
}

const knex = knexFactory({
  client: 'better-sqlite3',
  connection: ':memory:',
  useNullAsDefault: true,
  pool: { min: 1, max: 1 },
});
await migrateInventory(knex);
const store = new InventoryStore(knex);
await seed(store);
const router = await createRouter({
  store,
  logger: silentLogger,
  httpAuth: {
    credentials: async () => ({
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'user', userEntityRef: 'user:default/bench' },
    }),
  },
  auth: {},
  permissions: {
    authorizeConditional: async () => [{ result: AuthorizeResult.ALLOW }],
    authorize: async () => [{ result: AuthorizeResult.ALLOW }],
  },
  auditor: {
    createEvent: async () => ({
      success: async () => {},
      fail: async () => {},
    }),
  },
  catalog: {},
  transformConditions: () => undefined,
  refresh: async () => {},
  connectionFor: async () => undefined,
  historyLimit: 100,
  connectionCallers: [],
  environments: {
    listTypes: () => [
      { type: 'dev-small', title: 'Dev', description: '', clouds: [] },
    ],
  },
});
const parsed = parseLabelSelector(SELECTOR);
const app = express();
// How the router evaluated a selector before: the store's SQL, one statement per page.
app.get('/api/multicluster/before/clusters', async (_req, res) => {
  res.json(
    await store.listClusters(
      { selector: parsed, limit: 50, sort: 'name' },
      undefined,
    ),
  );
});
app.use('/api/multicluster', router);
const server = http.createServer(app);
// The load's keep-alive connections must outlive a stalled event loop.
server.keepAliveTimeout = 120_000;
await new Promise(r => server.listen(0, '127.0.0.1', r));
const { port } = server.address();

const alone = await cheapLatencies(port, Date.now() + 3000);

async function underLoad(load) {
  let stop = false;
  let done = 0;
  let errors = 0;
  const selectorMs = [];
  const clients = Array.from({ length: CLIENTS }, async () => {
    while (!stop) {
      const t = Date.now();
      try {
        await load();
        selectorMs.push(Date.now() - t);
        done++;
      } catch {
        errors++;
      }
    }
  });
  await new Promise(r => setTimeout(r, 300));
  const cheap = await cheapLatencies(port, Date.now() + SECONDS * 1000);
  stop = true;
  await Promise.all(clients);
  selectorMs.sort((a, b) => a - b);
  return {
    cheap,
    selectorRequests: done,
    selectorErrors: errors,
    selectorP50Ms: percentile(selectorMs, 50),
    selectorP95Ms: percentile(selectorMs, 95),
  };
}

const path = `/clusters?limit=50&selector=${encodeURIComponent(SELECTOR)}`;
const after = await underLoad(() => get(port, path, agentLoad));
const before = await underLoad(() => get(port, '/before/clusters', agentLoad));
console.log(
  JSON.stringify({
    bench: 'selector-stall',
    engine: 'sqlite',
    clusters: N,
    concurrentSelectors: CLIENTS,
    selectorCharacters: SELECTOR.length,
    selectorRequirements: 100,
    cheapRequest: 'GET /environment-types',
    alone,
    after,
    before,
    goalP95Ms: 100,
  }),
);
server.close();
agentCheap.destroy();
agentLoad.destroy();
await knex.destroy();
