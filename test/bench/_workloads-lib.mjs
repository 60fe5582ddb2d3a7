/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Shared setup of the workloads benchmarks (the leading `_` keeps run.mjs from running it):
// the plugin's real workloads engine (store, service, built-in reconciler, engine rounds)
// over an in-memory SQLite database with the plugin's migrations, an inventory written by
// the plugin's own discovery writer and probe recorder, and an emulated fleet reached with
// each cluster's deploy token. No HTTP layer and no scheduler: rounds are run by hand.
import fs from 'node:fs';
import yaml from 'yaml';
import { backend, require, silentLogger } from './_inventory-lib.mjs';

const { ConfigReader } = require('@backstage/config');
const { readMulticlusterLimits } = require('@archipelago/multicluster-common');
const { migrateDatabase } = require(backend('src/database/migrations.ts'));
const { InventoryStore } = require(backend('src/inventory/InventoryStore.ts'));
const { readWorkloadsConfig } = require(backend('src/workloads/config.ts'));
const { WorkloadStore } = require(backend(
  'src/workloads/store/WorkloadStore.ts',
));
const { WorkloadsService } = require(backend('src/workloads/service.ts'));
const { WorkloadEngine } = require(backend(
  'src/workloads/engine/WorkloadEngine.ts',
));
const { KubeWorkloadReconciler } = require(backend(
  'src/workloads/reconciler/KubeWorkloadReconciler.ts',
));
const { createScopeCheck } = require(backend('src/workloads/scope.ts'));

/** Clusters of an emulator kubeconfig written with `--roles deploy`: URL, CA and deploy token. */
export function readDeployContexts(kubeconfigFile) {
  const config = yaml.parse(fs.readFileSync(kubeconfigFile, 'utf8'));
  const clusters = new Map(config.clusters.map(c => [c.name, c.cluster]));
  const users = new Map(config.users.map(u => [u.name, u.user]));
  return config.contexts
    .filter(c => c.name.endsWith('-deploy'))
    .map(c => {
      const cluster = clusters.get(c.context.cluster);
      return {
        name: c.context.cluster,
        url: cluster.server,
        caData: Buffer.from(
          cluster['certificate-authority-data'],
          'base64',
        ).toString('utf8'),
        token: users.get(c.context.user).token,
      };
    });
}

/**
 * The workloads engine over the given clusters (`{ name, url, caData, token }`, the
 * token being the deploy identity), each labelled by `labelsOf(name)`, all healthy.
 */
export async function startWorkloadsEngine({
  clusters,
  labelsOf,
  workloads = {},
}) {
  const knex = require('knex')({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  await migrateDatabase(knex);
  const inventory = new InventoryStore(knex);
  await inventory.applyDiscovery(
    [
      {
        provider: 'bench',
        ok: true,
        complete: true,
        failedScopes: [],
        clusters: clusters.map(c => ({
          sourceId: c.name,
          name: c.name,
          url: c.url,
          caData: c.caData,
          cloud: 'local',
          labels: labelsOf(c.name),
          credentials: async () => ({ type: 'bearer', token: c.token }),
        })),
      },
    ],
    new Map([['bench', 0]]),
  );
  const ids = new Map();
  for (let cursor; ; ) {
    const page = await inventory.listClusters(
      { limit: 500, sort: 'name', ...(cursor ? { cursor } : {}) },
      undefined,
    );
    for (const c of page.items) ids.set(c.name, c.id);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  const byId = new Map(clusters.map(c => [ids.get(c.name), c]));

  /** Records one probe round: every cluster healthy but those given. */
  const setHealth = async (down = new Set()) => {
    const round = await inventory.startProbeRound('bench');
    await inventory.recordProbeRound(
      round,
      clusters.map(c => ({
        id: ids.get(c.name),
        at: Date.now(),
        latencyMs: 1,
        classification: down.has(c.name)
          ? { health: 'unreachable', reason: 'connection refused', checks: [] }
          : { health: 'healthy', reason: 'ready', checks: [] },
      })),
      { flapThreshold: 1, historyLimit: 10, historyMaxAgeMs: 3600_000 },
    );
  };
  await setHealth();

  const config = new ConfigReader({ multicluster: { workloads } });
  const settings = readWorkloadsConfig(config);
  const store = new WorkloadStore(knex);
  const inScope = createScopeCheck();
  const reconciler = new KubeWorkloadReconciler({
    connector: {
      async connect(id) {
        const c = byId.get(id);
        if (!c) return { problem: 'the cluster is not in the inventory' };
        return {
          id,
          name: c.name,
          url: c.url,
          caData: c.caData,
          skipTLSVerify: false,
          token: c.token,
        };
      },
    },
    fieldManager: settings.fieldManager,
    concurrency: settings.concurrency,
    clusterTimeoutMs: settings.clusterTimeoutSeconds * 1000,
    requestTimeoutMs: settings.requestTimeoutSeconds * 1000,
  });
  const service = new WorkloadsService({
    db: knex,
    store,
    settings,
    limits: readMulticlusterLimits(config),
    onChange: () => {},
    inScope,
  });
  const engine = new WorkloadEngine({
    db: knex,
    store,
    reconciler,
    settings,
    logger: silentLogger,
    inScope,
    runner: 'bench',
  });
  return {
    knex,
    ids,
    settings,
    service,
    engine,
    setHealth,
    /** Creates or updates a workload (as its owner with the deploy scope "all"). */
    async apply(body) {
      const prepared = await service.prepare(body, body.name);
      return prepared.existing
        ? (await service.update(prepared, { all: true }, 'bench')).workload
        : service.create(prepared, { all: true }, 'bench');
    },
    async close() {
      reconciler.close();
      await knex.destroy();
    },
  };
}

/** A Deployment workload of `replicas` replicas over the clusters matching `selector`. */
export function deploymentWorkload({
  name,
  selector,
  replicas,
  image = 'nginx:1.27',
  rollout,
  failover,
}) {
  return {
    name,
    owner: 'group:default/bench',
    namespace: 'bench',
    placement: { clusterSelector: selector },
    replicas: {
      totalReplicas: replicas,
      preferences: { '*': { weight: 1 } },
      rebalance: true,
    },
    ...(rollout ? { rollout } : {}),
    ...(failover ? { failover } : {}),
    manifests: [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `${name}-config` },
        data: { greeting: 'hello' },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, labels: { app: name } },
        spec: {
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels: { app: name } },
            spec: { containers: [{ name: 'web', image }] },
          },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name },
        spec: { selector: { app: name }, ports: [{ port: 80 }] },
      },
    ],
  };
}

/** Runs rounds until `done(workload)` or the deadline; returns the rounds' reports. */
export async function roundsUntil(engine, service, name, done, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const reports = [];
  for (;;) {
    reports.push(await engine.runRound());
    const w = await service.get(name);
    if (w && done(w)) return { workload: w, reports };
    if (Date.now() > deadline)
      throw new Error(
        `${name}: not done within ${timeoutMs} ms: ${JSON.stringify(
          w?.status,
        ).slice(0, 500)}`,
      );
  }
}
