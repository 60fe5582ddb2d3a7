/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// One entity's workloads through Backstage's own Kubernetes plugin across N emulated
// clusters (default 50) of which H hang (default 5): (a) the plugin configured with the
// clusters itself (kubernetes.clusterLocatorMethods), (b) fed by
// @archipelago/kubernetes-backend-module-multicluster. Goal: (b) ≥ 10× faster. Query (a) is
// bounded by a client timeout (default 60 s); "completed: false" means it never answered.
// Usage: node test/bench/inventory-k8s-workloads.mjs [clusters] [hanging] [timeoutSeconds]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  backend,
  percentile,
  require,
  root,
  round,
} from './_inventory-lib.mjs';

const N = Number(process.argv[2] ?? 50);
const HANG = Number(process.argv[3] ?? 5);
const CLIENT_TIMEOUT_S = Number(process.argv[4] ?? 60);

const { startFleet } = require(path.join(
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
    annotations: { 'backstage.io/kubernetes-id': 'payments' },
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
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    const withDeployments = (body.items ?? []).filter(i =>
      i.resources.some(r => r.type === 'deployments' && r.resources.length > 0),
    ).length;
    return {
      completed: res.status === 200,
      status: res.status,
      seconds,
      clusters: (body.items ?? []).length,
      withDeployments,
    };
  } catch (error) {
    return {
      completed: false,
      seconds: Number(process.hrtime.bigint() - t) / 1e9,
      error: String(error.name ?? error),
    };
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-k8s-'));
const fleet = await startFleet({
  clusters: N,
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
for (let i = 1; i <= HANG; i++)
  await fleet.cluster(i * Math.floor(N / HANG)).setFaults({ hang: true });
const kubeconfig = path.join(dir, 'kubeconfig');
await fleet.writeKubeconfig(kubeconfig);

const result = {
  bench: 'inventory-k8s-workloads',
  clusters: N,
  hanging: HANG,
  clientTimeoutSeconds: CLIENT_TIMEOUT_S,
};
const started = [];
try {
  // (a) The Kubernetes plugin with every cluster in its own config.
  const own = await startTestBackend({
    features: [
      kubernetesPlugin,
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: fleet.clusters.map(c => ({
                  name: c.name,
                  url: c.url,
                  caData: Buffer.from(c.caData).toString('base64'),
                  authProvider: 'serviceAccount',
                  serviceAccountToken: c.readOnlyToken,
                  skipMetricsLookup: true,
                })),
              },
            ],
          },
        },
      }),
    ],
  });
  started.push(own);
  result.ownConfig = await query(own.server);

  // (b) The same plugin fed by the inventory module.
  const fed = await startTestBackend({
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
              skipMetricsLookupFor: ['kubernetes', 'emulator'],
            },
          },
          multicluster: {
            providers: { kubeconfig: [{ file: kubeconfig }] },
            health: { timeoutSeconds: 5 },
            discovery: { intervalSeconds: 3600 },
            environments: {
              secretKey: 'bench-only-environments-key-0123456789abcdef',
              dataDir: path.join(dir, 'environments'),
            },
          },
        },
      }),
    ],
  });
  started.push(fed);
  const { port } = fed.server.address();
  const t = Date.now();
  await fetch(`http://127.0.0.1:${port}/api/multicluster/clusters/refresh`, {
    method: 'POST',
  });
  result.inventoryFirstRoundSeconds = round((Date.now() - t) / 1000);
  // The plugin read the still-empty inventory at startup; that answer is cached for 5 s.
  await new Promise(r => setTimeout(r, 5_100));
  await query(fed.server); // fills the module's cache, as the first page view after startup would
  const runs = [];
  for (let i = 0; i < 10; i++) runs.push(await query(fed.server));
  const times = runs.map(r => r.seconds).sort((a, b) => a - b);
  result.fedByModule = {
    ...runs[runs.length - 1],
    seconds: round(percentile(times, 50), 3),
    p95Seconds: round(percentile(times, 95), 3),
  };
  result.ownConfig.seconds = round(result.ownConfig.seconds, 3);
  result.speedup = round(
    result.ownConfig.seconds / result.fedByModule.seconds,
    1,
  );
  result.speedupIsLowerBound = !result.ownConfig.completed;
  result.goalSpeedup = 10;
  console.log(JSON.stringify(result));
} finally {
  // Stop the fleet first: the hanging servers hold the plugin's requests open.
  await fleet.stop();
  for (const b of started) await b.stop().catch(() => {});
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
