/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// The catalog at N (default 10,000) clusters: the real catalog backend (SQLite in memory,
// startTestBackend, catalog defaults) with our catalog module publishing the inventory, its
// rounds run every ROUND_SECONDS like the module's default schedule. Reports:
// - seconds until the first, half and all N cluster entities are queryable, and entities/s;
//   when the ingestion budget (CATALOG_INGEST_BUDGET_S, default 150 s) runs out first, the
//   time to N is extrapolated from the rate of the last 30 s and labelled so;
// - `GET /entities/by-query` (the catalog page's request) and `GET /entities` p50/p95 with
//   an empty catalog, during ingestion (a user's requests, 4 a second) and at N when idle;
// - seconds until a 1% delta (titles changed) is visible, measured once ingestion is done or
//   the budget ran out (then behind the catalog's backlog).
// The whole run stays under ~5 minutes. CATALOG_PROCESSING_INTERVAL_MINUTES sets the
// catalog's `catalog.processingInterval` for a variant run (default: the catalog's own,
// 100-150 s), and CATALOG_INGEST_MAX_NEW the module's `ingestion.maxNewPerRound`, for
// variant runs measuring what the module README recommends for big inventories.
// Usage: node test/bench/catalog-ingest.mjs [clusters]
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile, require, root, round } from './_inventory-lib.mjs';

const N = Number(process.argv[2] ?? 10_000);
const BUDGET_MS = Number(process.env.CATALOG_INGEST_BUDGET_S ?? 150) * 1000;
const DELTA_BUDGET_MS = 60_000;
const ROUND_MS = 60_000;
const MAX_NEW = process.env.CATALOG_INGEST_MAX_NEW
  ? Number(process.env.CATALOG_INGEST_MAX_NEW)
  : undefined;
const PROCESSING_INTERVAL_MINUTES = process.env
  .CATALOG_PROCESSING_INTERVAL_MINUTES
  ? Number(process.env.CATALOG_PROCESSING_INTERVAL_MINUTES)
  : undefined;
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

/** The module's round, run by the bench on its own schedule. */
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
      data: {
        catalog: {
          providers: {
            multicluster: MAX_NEW
              ? { ingestion: { maxNewPerRound: MAX_NEW } }
              : {},
          },
          ...(PROCESSING_INTERVAL_MINUTES
            ? { processingInterval: { minutes: PROCESSING_INTERVAL_MINUTES } }
            : {}),
        },
      },
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
  // A narrow list, as a plugin asks for one cluster's entity.
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
async function sampleIdle(times) {
  const idle = Object.fromEntries(Object.keys(QUERIES).map(k => [k, []]));
  for (let i = 0; i < times; i++)
    for (const [k, q] of Object.entries(QUERIES))
      idle[k].push((await get(q)).ms);
  return Object.fromEntries(
    Object.entries(idle).map(([k, v]) => [k, figures(v)]),
  );
}

try {
  if (!providerRound) throw new Error('the module scheduled no round');
  const idleEmpty = await sampleIdle(20);

  // The module's rounds, every ROUND_MS from t0 as its default schedule runs them.
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  let rounds = 0;
  let stopRounds = false;
  let roundInFlight = Promise.resolve();
  let firstRoundSeconds;
  const roundLoop = (async () => {
    while (!stopRounds) {
      const started = Date.now();
      roundInFlight = providerRound();
      await roundInFlight;
      rounds += 1;
      if (rounds === 1) firstRoundSeconds = (Date.now() - t0) / 1000;
      while (!stopRounds && Date.now() - started < ROUND_MS) await sleep(200);
    }
  })();

  // A user on the catalog pages: the two requests, four times a second.
  const during = Object.fromEntries(Object.keys(QUERIES).map(k => [k, []]));
  let ingesting = true;
  /** Requests that failed (a connection refused or reset counts against the catalog). */
  const failures = [];
  const user = (async () => {
    while (ingesting) {
      const started = Date.now();
      for (const [k, q] of Object.entries(QUERIES)) {
        try {
          during[k].push((await get(q)).ms);
        } catch (error) {
          failures.push(`${k}: ${error.cause?.code ?? error.message}`);
        }
      }
      await sleep(Math.max(0, 250 - (Date.now() - started)));
    }
  })();

  // Progress, once a second (the bench's own request, not in the figures).
  const progress = [];
  let firstSeconds;
  let halfSeconds;
  let queryable = 0;
  while (Date.now() - t0 < BUDGET_MS) {
    queryable = await get(countQuery).then(
      r => r.body.totalItems,
      () => queryable,
    );
    const s = (Date.now() - t0) / 1000;
    progress.push({ s, queryable });
    if (queryable > 0 && firstSeconds === undefined) firstSeconds = s;
    if (queryable >= N / 2 && halfSeconds === undefined) halfSeconds = s;
    if (queryable >= N) break;
    await sleep(1000);
  }
  ingesting = false;
  await user;
  const elapsed = (Date.now() - t0) / 1000;
  // CPU of this process (catalog, module, the bench's requests) per entity queryable: the
  // figure that does not depend on what else the shared machine runs.
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const complete = queryable >= N;
  // The rate of the last 30 s (or all of it), for an honest extrapolation.
  const last = progress[progress.length - 1];
  const from =
    progress.find(p => p.s >= last.s - 30 && p.queryable > 0) ?? progress[0];
  const recentRate =
    last.s > from.s ? (last.queryable - from.queryable) / (last.s - from.s) : 0;

  // 1% of the clusters change title; the next round publishes a delta of those (and, while
  // ingestion goes on, the new clusters it allows). Measured on cluster 0, published and
  // processed first, so its change is queued behind whatever the catalog still has to do.
  let deltaVisible = false;
  stopRounds = true;
  await roundInFlight;
  await roundLoop;
  inventory = inventory.map((c, i) =>
    i % 100 === 0 ? { ...c, title: `${c.title} (renamed)` } : c,
  );
  const t1 = Date.now();
  await providerRound();
  const probe = inventory[0];
  const probeQuery = `/entities/by-name/resource/default/${encodeURIComponent(
    probe.id,
  )}`;
  while (Date.now() - t1 < DELTA_BUDGET_MS) {
    const { body } = await get(probeQuery).catch(() => ({ body: {} }));
    if (String(body?.metadata?.title ?? '').includes('(renamed)')) {
      deltaVisible = true;
      break;
    }
    await sleep(100);
  }
  const deltaSeconds = (Date.now() - t1) / 1000;
  const idleAtN = complete ? await sampleIdle(40) : undefined;

  const duringFigures = Object.fromEntries(
    Object.entries(during).map(([k, v]) => [k, figures(v)]),
  );
  console.log(
    JSON.stringify({
      bench: 'catalog-ingest',
      clusters: N,
      queryable,
      rounds,
      firstRoundSeconds: round(firstRoundSeconds ?? NaN),
      secondsUntilFirstQueryable: round(firstSeconds ?? NaN),
      secondsUntilHalfQueryable: round(halfSeconds ?? NaN),
      ...(complete
        ? {
            secondsUntilQueryable: round(elapsed),
            clustersPerSecond: round(N / elapsed, 0),
          }
        : {
            // Not measured to the end: the time to N at the rate of the last 30 s.
            secondsUntilQueryableExtrapolated: round(
              elapsed + (N - queryable) / Math.max(recentRate, 0.001),
              0,
            ),
            clustersPerSecondRecent: round(recentRate, 0),
          }),
      cpuSecondsDuringIngestion: round(cpuSeconds, 1),
      cpuMsPerQueryableEntity: round(
        (cpuSeconds * 1000) / Math.max(queryable, 1),
        1,
      ),
      idleEmpty,
      duringIngestion: duringFigures,
      worstP95DuringIngestionMs: Math.max(
        ...Object.values(duringFigures).map(f => f.p95),
      ),
      failedRequestsDuringIngestion: failures.length,
      ...(failures.length ? { firstFailure: failures[0] } : {}),
      ...(idleAtN ? { idleAtN } : {}),
      deltaChanged: Math.max(1, Math.floor(N / 100)),
      deltaMeasured: complete
        ? 'after ingestion'
        : `during ingestion, with ${N - queryable} clusters not yet queryable`,
      ...(deltaVisible
        ? { secondsUntilDeltaVisible: round(deltaSeconds) }
        : { deltaNotVisibleWithinSeconds: DELTA_BUDGET_MS / 1000 }),
      maxNewPerRound: MAX_NEW ?? 'all (module default)',
      rssMb: round(process.memoryUsage().rss / 2 ** 20, 0),
      processingInterval: PROCESSING_INTERVAL_MINUTES
        ? `${PROCESSING_INTERVAL_MINUTES} min`
        : 'catalog default (100-150 s)',
      loadAverage: os.loadavg().map(l => round(l, 1)),
      note: 'SQLite in memory, module defaults, rounds every 60 s; request latency is measured in the process that ingests, on a shared 2-core machine',
    }),
  );
} finally {
  await backend.stop();
}
// The catalog's own timers outlive stop(); the bench is done.
process.exit(0);
