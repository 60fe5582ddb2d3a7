/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// An entity's Kubernetes workloads query through Backstage's own Kubernetes plugin with the
// entity-scoped service locator (`kubernetes.multicluster.serviceLocator`), the entity naming
// 3 emulated clusters (`backstage.io/kubernetes-cluster`):
//   (a) N clusters in the inventory (default 10,000: the 3, plus N - 3 light clusters in
//       worker processes, every one probed healthy);
//   (b) only those 3 in the inventory. Goal: (a) / (b) ≤ 1.2.
//   (c) `multiTenant` (the locator off) over the 3 and light-1 … light-999 (1,002): the
//       speedup of (a) over it. At 10,000 the plugin's fan-out (13 requests per cluster, all
//       at once) took this process past 7 GB, so (c) asks 1,002 clusters and the speedup over
//       all N is at least N / 1,002 times that (it grows linearly with the clusters asked). A
//       client timeout bounds (c); then the speedup printed is a lower bound too.
// Usage: node test/bench/inventory-k8s-locator.mjs [clusters] [timeoutSeconds]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  backend,
  percentile,
  require,
  root,
  round,
} from './_inventory-lib.mjs';

const N = Number(process.argv[2] ?? 10_000);
const CLIENT_TIMEOUT_S = Number(process.argv[3] ?? 120);
const RUNS = 10;

const { startFleet, startWorkerFleet } = require(path.join(
  root,
  'packages/kube-emulator/src/index.ts',
));
const {
  startTestBackend,
  mockServices,
} = require('@backstage/backend-test-utils');
const {
  catalogServiceMock,
} = require('@backstage/plugin-catalog-node/testUtils');
const kubernetesPlugin =
  require('@backstage/plugin-kubernetes-backend').default;
const multiclusterPlugin = require(backend('src/index.ts')).default;
const { kubernetesModuleMulticluster } = require(path.join(
  root,
  'plugins/kubernetes-backend-module-multicluster/src/module.ts',
));

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'payments',
      'backstage.io/kubernetes-cluster': 'emulator-1,emulator-2,emulator-3',
    },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};
const labels = { app: 'payments', 'backstage.io/kubernetes-id': 'payments' };

async function query(server) {
  const { port } = server.address();
  const t = process.hrtime.bigint();
  try {
    const res = await fetch(
      `http://127.0.0.1:${port}/api/kubernetes/resources/workloads/query`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          entityRef: 'component:default/payments',
          auth: {},
        }),
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_S * 1000),
      },
    );
    const body = await res.json();
    return {
      completed: res.status === 200,
      seconds: Number(process.hrtime.bigint() - t) / 1e9,
      clusters: (body.items ?? []).length,
      withDeployments: (body.items ?? []).filter(i =>
        i.resources.some(
          r => r.type === 'deployments' && r.resources.length > 0,
        ),
      ).length,
    };
  } catch (error) {
    return {
      completed: false,
      seconds: Number(process.hrtime.bigint() - t) / 1e9,
      error: String(error.name ?? error),
    };
  }
}

/** A backend with the inventory of `kubeconfigs`, the Kubernetes plugin and our module. */
async function startPortal(name, kubeconfigs, { locator, contexts }) {
  return startTestBackend({
    features: [
      multiclusterPlugin,
      kubernetesPlugin,
      kubernetesModuleMulticluster,
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            multicluster: {
              refreshIntervalSeconds: 300,
              // Without the locator every cluster goes to the plugin, probed or not.
              skipUnhealthy: locator,
              skipMetricsLookupFor: ['kubernetes', 'emulator'],
              serviceLocator: { enabled: locator },
            },
          },
          multicluster: {
            providers: {
              kubeconfig: kubeconfigs.map(file => ({
                file,
                ...(contexts ? { contexts } : {}),
              })),
            },
            health: { timeoutSeconds: 5, intervalSeconds: 3600 },
            discovery: { intervalSeconds: 3600 },
            environments: {
              secretKey: 'bench-only-environments-key-0123456789abcdef',
              dataDir: path.join(dir, `environments-${name}`),
            },
          },
        },
      }),
    ],
  });
}

/** Discovery and a probe round now; resolves once `count` clusters are healthy. */
async function probed(server, count) {
  const { port } = server.address();
  const api = `http://127.0.0.1:${port}/api/multicluster`;
  const t = Date.now();
  await fetch(`${api}/clusters/refresh`, { method: 'POST' });
  for (;;) {
    const summary = await (await fetch(`${api}/summary`)).json();
    if (summary.byHealth?.healthy >= count) break;
    if (Date.now() - t > 600_000)
      throw new Error(`only ${summary.byHealth?.healthy} of ${count} healthy`);
    await sleep(1000);
  }
  return round((Date.now() - t) / 1000, 1);
}

/**
 * RUNS timed queries, after one that fills the module's caches as a first page view would
 * (the cluster list it read at startup, still empty, is cached for 5 s). Each must show the
 * entity's 3 clusters with their deployment: a fast wrong answer is no figure.
 */
async function measure(server) {
  await sleep(5_100);
  await query(server);
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await query(server);
    if (!run.completed || run.withDeployments !== 3)
      throw new Error(`wrong answer: ${JSON.stringify(run)}`);
    runs.push(run);
  }
  const times = runs.map(r => r.seconds).sort((a, b) => a - b);
  return {
    ...runs[runs.length - 1],
    seconds: round(percentile(times, 50), 4),
    p95Seconds: round(percentile(times, 95), 4),
  };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-k8s-locator-'));
const fleet = await startFleet({
  clusters: 3,
  nodes: 1,
  adminPort: null,
  podReadyDelayMs: 0,
});
for (const c of fleet.clusters) {
  c.store.create('deployments.apps', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'payments', namespace: 'default', labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'payments' } },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'app', image: 'nginx' }] },
      },
    },
  });
}
const light = await startWorkerFleet({
  clusters: N - 3,
  namePrefix: 'light',
  workers: 2,
  nodes: 1,
  adminPort: null,
});
const own = path.join(dir, 'own.kubeconfig');
const rest = path.join(dir, 'light.kubeconfig');
await fleet.writeKubeconfig(own);
await light.writeKubeconfig(rest);

const result = { bench: 'inventory-k8s-locator', clusters: N, selected: 3 };
let current;
try {
  // (b) only the entity's 3 clusters in the inventory.
  current = await startPortal('three', [own], { locator: true });
  await probed(current.server, 3);
  result.onlyThree = await measure(current.server);
  console.error(JSON.stringify(result));
  await current.stop();

  // (a) all N in the inventory, every one probed.
  current = await startPortal('all', [own, rest], { locator: true });
  result.firstProbeRoundSeconds = await probed(current.server, N);
  result.locator = await measure(current.server);
  await current.stop();
  result.ratio = round(result.locator.seconds / result.onlyThree.seconds, 2);
  result.goalRatio = 1.2;
  console.error(JSON.stringify(result));

  // (c) multiTenant over 1,002: the plugin asks every cluster (no probe needed).
  const TENANT = Math.min(N, 1002);
  current = await startPortal('tenant', [own, rest], {
    locator: false,
    contexts: ['emulator-*', 'light-?', 'light-??', 'light-???'],
  });
  const { port } = current.server.address();
  await fetch(`http://127.0.0.1:${port}/api/multicluster/clusters/refresh`, {
    method: 'POST',
  });
  // Until discovery stored all N (the plugin reads the inventory through the module).
  for (const t = Date.now(); Date.now() - t < 300_000; await sleep(1000)) {
    const s = await (
      await fetch(`http://127.0.0.1:${port}/api/multicluster/summary`)
    ).json();
    if (s.totalClusters >= TENANT) break;
  }
  await sleep(5_100); // the module's cached (still empty) cluster list expires
  await query(current.server); // fills the module's cache
  const tenant = await query(current.server);
  result.multiTenant = {
    ...tenant,
    inventoryClusters: TENANT,
    seconds: round(tenant.seconds, 2),
  };
  result.speedupOverMultiTenant = round(
    tenant.seconds / result.locator.seconds,
    0,
  );
  // Linear in the clusters asked: at N, at least N / TENANT times the speedup at TENANT.
  result.speedupOverMultiTenantAtNAtLeast = round(
    (result.speedupOverMultiTenant * N) / TENANT,
    0,
  );
  result.speedupIsLowerBound = !tenant.completed;
  console.log(JSON.stringify(result));
} catch (error) {
  console.error(error);
  console.error(JSON.stringify(result));
  process.exitCode = 1;
} finally {
  await current?.stop().catch(() => {});
  await light.stop();
  await fleet.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(process.exitCode ?? 0);
}
