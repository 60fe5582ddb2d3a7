/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// The catalog at N (default 10,000) clusters: the real catalog backend (SQLite in memory,
// startTestBackend) with our catalog module publishing the inventory. Reports the time from
// the module's first round (one full mutation) until all N cluster entities are queryable,
// the catalog's `GET /entities/by-query` (the catalog page's request) and `GET /entities`
// p50/p95 before and during that ingestion, and the time until a later round's delta
// (1% of clusters changed) is visible.
// Usage: node test/bench/catalog-ingest.mjs [clusters]
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile, require, root, round } from './_inventory-lib.mjs';

const N = Number(process.argv[2] ?? 10_000);
const {
  startTestBackend,
  mockServices,
} = require('@backstage/backend-test-utils');
const {
  coreServices,
  createServiceFactory,
} = require('@backstage/backend-plugin-api');
const catalogPlugin = require('@backstage/plugin-catalog-backend').default;
const { catalogModuleMulticluster } = require(path.join(
  root,
  'plugins/catalog-backend-module-multicluster/src/module.ts',
));
const { multiclusterServiceMock, multiclusterServiceRef } = require(path.join(
  root,
  'plugins/multicluster-node/src/index.ts',
));

const cluster = (i, title = `cluster ${i}`) => ({
  id: `cluster-${String(i).padStart(5, '0')}-${(i * 2654435761) % 1e8}`,
  name: `cluster-${String(i).padStart(5, '0')}`,
  title,
  url: `https://api-${i}.clusters.example.com`,
  cloud: ['aws', 'azure', 'gcp', 'local'][i % 4],
  region: 'eu-west-1',
  distribution: 'eks',
  labels: { team: `team-${i % 40}`, env: ['prod', 'staging', 'dev'][i % 3] },
  sources: [],
  status: { health: 'healthy', reason: 'ok', checks: [], stale: false },
});
let inventory = Array.from({ length: N }, (_, i) => cluster(i));

const multicluster = multiclusterServiceMock();
multicluster.listClusters = async request => {
  const from = request?.cursor ? Number(request.cursor) : 0;
  const limit = request?.limit ?? 500;
  const next = from + limit;
  return {
    items: inventory.slice(from, next),
    totalItems: inventory.length,
    ...(next < inventory.length ? { nextCursor: String(next) } : {}),
  };
};

/** The module's round, run by the bench instead of on a schedule. */
let providerRound;
const backend = await startTestBackend({
  features: [
    catalogPlugin,
    catalogModuleMulticluster,
    createServiceFactory({
      service: coreServices.scheduler,
      deps: {},
      factory: () => {
        const scheduler = mockServices.scheduler();
        return {
          triggerTask: id => scheduler.triggerTask(id),
          cancelTask: id => scheduler.cancelTask(id),
          scheduleTask: task => scheduler.scheduleTask(task),
          getScheduledTasks: () => scheduler.getScheduledTasks(),
          createScheduledTaskRunner: () => ({
            run: async task => {
              if (task.id.includes('multicluster'))
                providerRound = () => task.fn(new AbortController().signal);
              else scheduler.scheduleTask(task);
            },
          }),
        };
      },
    }),
    createServiceFactory({
      service: multiclusterServiceRef,
      deps: {},
      factory: () => multicluster,
    }),
    mockServices.rootConfig.factory({
      data: { catalog: { providers: { multicluster: {} } } },
    }),
  ],
});

const { port } = backend.server.address();
async function get(p) {
  const t = process.hrtime.bigint();
  const res = await fetch(`http://127.0.0.1:${port}/api/catalog${p}`);
  const body = await res.json();
  if (!res.ok) throw new Error(`${p}: HTTP ${res.status}`);
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, body };
}
const countQuery = `/entities/by-query?filter=${encodeURIComponent(
  'kind=resource,spec.type=kubernetes-cluster',
)}&limit=1&fields=metadata.name`;
const QUERIES = {
  // The catalog page: a page of 20 of a kind, with the total.
  byQueryPage: `/entities/by-query?filter=kind=resource&limit=20&fields=metadata.name,metadata.title,spec`,
  // A narrow list, as a plugin asks for one team's clusters.
  entitiesFiltered: `/entities?filter=${encodeURIComponent(
    `kind=resource,metadata.name=${inventory[42].id}`,
  )}`,
};
const figures = samples => {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    samples: sorted.length,
  };
};

try {
  const idle = Object.fromEntries(Object.keys(QUERIES).map(k => [k, []]));
  for (let i = 0; i < 40; i++)
    for (const [k, q] of Object.entries(QUERIES))
      idle[k].push((await get(q)).ms);

  // Round 1: one full mutation of N entities; then the catalog processes and stitches them.
  const t0 = Date.now();
  if (!providerRound) throw new Error('the module scheduled no round');
  await providerRound();
  const mutationSeconds = (Date.now() - t0) / 1000;
  const during = Object.fromEntries(Object.keys(QUERIES).map(k => [k, []]));
  let queryable = 0;
  const deadline = Date.now() + 240_000;
  for (;;) {
    for (const [k, q] of Object.entries(QUERIES))
      during[k].push((await get(q)).ms);
    queryable = (await get(countQuery)).body.totalItems;
    if (queryable >= N || Date.now() > deadline) break;
    await sleep(100);
  }
  const ingestSeconds = (Date.now() - t0) / 1000;

  // Round 2: 1% of the clusters change title; a delta mutation of those only.
  const changed = Math.max(1, Math.floor(N / 100));
  inventory = inventory.map((c, i) =>
    i % 100 === 0 ? { ...c, title: `${c.title} (renamed)` } : c,
  );
  const t1 = Date.now();
  await providerRound();
  const probe = inventory[inventory.length - (inventory.length % 100 || 100)];
  const probeName = probe.id;
  for (;;) {
    const { body } = await get(
      `/entities/by-name/resource/default/${encodeURIComponent(probeName)}`,
    ).catch(() => ({ body: {} }));
    if (String(body?.metadata?.title ?? '').includes('(renamed)')) break;
    if (Date.now() - t1 > 120_000) break;
    await sleep(100);
  }
  const deltaSeconds = (Date.now() - t1) / 1000;
  const duringFigures = Object.fromEntries(
    Object.entries(during).map(([k, v]) => [k, figures(v)]),
  );
  console.log(
    JSON.stringify({
      bench: 'catalog-ingest',
      clusters: N,
      queryable,
      firstRoundMutationSeconds: round(mutationSeconds),
      secondsUntilQueryable: round(ingestSeconds),
      clustersPerSecond: round(queryable / ingestSeconds, 0),
      idle: Object.fromEntries(
        Object.entries(idle).map(([k, v]) => [k, figures(v)]),
      ),
      duringIngestion: duringFigures,
      worstP95DuringIngestionMs: Math.max(
        ...Object.values(duringFigures).map(f => f.p95),
      ),
      deltaChanged: changed,
      secondsUntilDeltaVisible: round(deltaSeconds),
      rssMb: round(process.memoryUsage().rss / 2 ** 20, 0),
      note: 'SQLite in memory, catalog defaults; the GET p95 is sequential requests while the catalog processes and stitches',
    }),
  );
} finally {
  await backend.stop();
}
