/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Shared parts of the GET /clusters benchmarks (inventory-api, inventory-api-writes):
// the database, a seeded inventory of N clusters, the plugin's real router over it
// (auth, permissions and audit are pass-through stand-ins) and a timed HTTP GET.
// Not a benchmark itself: the leading `_` keeps run.mjs from running it.
import express from 'express';
import http from 'node:http';
import {
  backend,
  require,
  silentLogger,
  startPostgres,
} from './_inventory-lib.mjs';

const knexFactory = require('knex');
const { migrateInventory } = require(backend('src/plugin.ts'));
const { createRouter } = require(backend('src/service/router.ts'));
const { multiclusterClusterRules } = require(backend(
  'src/permissions/rules/index.ts',
));
const {
  createConditionTransformer,
} = require('@backstage/plugin-permission-node');
const { AuthorizeResult } = require('@backstage/plugin-permission-common');

export const CLOUDS = ['aws', 'azure', 'gcp', 'local'];
export const REGIONS = [
  'us-east-1',
  'eu-west-1',
  'westeurope',
  'europe-west1',
  'us-central1',
];
export const HEALTHS = [
  'healthy',
  'healthy',
  'healthy',
  'healthy',
  'degraded',
  'unhealthy',
  'unreachable',
  'unauthorized',
];

/** A migrated database of one engine: SQLite in memory (one connection) or embedded PostgreSQL. */
export async function openDatabase(engine) {
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
  await migrateInventory(knex);
  return {
    knex,
    async close() {
      await knex.destroy();
      await pg?.stop();
    },
  };
}

/** The clusters a bench provider discovers: clouds, regions and labels spread evenly. */
export function benchClusters(n) {
  const clusters = [];
  for (let i = 0; i < n; i++) {
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
  return clusters;
}

/**
 * Seeds N clusters: a discovery, an unchanged re-discovery (what each discovery
 * interval costs in steady state) and one probe round. Returns their durations.
 */
export async function seed(store, n) {
  const clusters = benchClusters(n);
  const order = new Map([['bench', 0]]);
  const discover = () =>
    store.applyDiscovery(
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
  let t = Date.now();
  await discover();
  const discoverySeconds = (Date.now() - t) / 1000;
  t = Date.now();
  await discover();
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

/** The plugin's router over the store; `conditional` grants only three teams' clusters. */
export function createBenchRouter(store, conditional) {
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

/** Serves a router under /api/multicluster on a random port. */
export async function serve(router) {
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

/** GET of a plugin path; resolves with its duration in ms and the parsed body. */
export function get(agent, port, path) {
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
