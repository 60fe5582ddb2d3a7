/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// GET /clusters latency (p50/p95) with N stored clusters (default 10,000), unfiltered and
// filtered, on SQLite and on PostgreSQL (embedded), through the plugin's real router and
// store (auth, permissions and audit are pass-through stand-ins). Also reports the
// process RSS holding the inventory. Goal: p95 < 50 ms.
// Usage: node test/bench/inventory-api.mjs [clusters] [requestsPerQuery] [sqlite|postgres|both]
import http from 'node:http';
import { backend, percentile, require, round } from './_inventory-lib.mjs';
import {
  createBenchRouter as app,
  get as getWith,
  openDatabase,
  seed as seedWith,
  serve,
} from './_inventory-api-lib.mjs';

const N = Number(process.argv[2] ?? 10_000);
const REQUESTS = Number(process.argv[3] ?? 200);
const engines =
  (process.argv[4] ?? 'both') === 'both'
    ? ['sqlite', 'postgres']
    : [process.argv[4]];

const { InventoryStore } = require(backend('src/inventory/InventoryStore.ts'));

const seed = store => seedWith(store, N);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const get = (port, path) => getWith(agent, port, path);

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
  const { knex, close } = await openDatabase(engine);
  try {
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
    await close();
  }
}
agent.destroy();
