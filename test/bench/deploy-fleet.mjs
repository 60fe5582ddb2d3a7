/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Benchmark: multicluster:deploy onto 100 emulated clusters with maxConcurrent 20.
// The floor is 100 / 20 × the time of a deploy to one cluster: what perfect
// parallelism would give. Reports wall time, floor and their ratio as one JSON
// line. Bounded: every step has a timeout and the whole run stops after 10 minutes.
//
//   node test/bench/deploy-fleet.mjs [--clusters 100] [--concurrency 20] [--pod-ready-ms 1000]
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const require = createRequire(path.join(repoRoot, 'package.json'));
// The packages are TypeScript sources: load them through Backstage's node transform.
require('@backstage/cli/config/nodeTransform.cjs');

const { values: args } = parseArgs({
  options: {
    clusters: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '20' },
    'pod-ready-ms': { type: 'string', default: '1000' },
    'single-runs': { type: 'string', default: '3' },
  },
});
const CLUSTERS = Number(args.clusters);
const CONCURRENCY = Number(args.concurrency);
const POD_READY_MS = Number(args['pod-ready-ms']);
const SINGLE_RUNS = Number(args['single-runs']);

const watchdog = setTimeout(() => {
  console.error('deploy-fleet: gave up after 10 minutes');
  process.exit(2);
}, 10 * 60_000);
watchdog.unref();

const { startFleet } = require('@archipelago/kube-emulator');
const { createMulticlusterService } = require('@archipelago/multicluster-node');
const { createDeployAction } = require(path.join(
  repoRoot,
  'plugins/scaffolder-backend-module-multicluster/src/actions/deploy.ts',
));
const { startFakeMulticluster } = require(path.join(
  repoRoot,
  'plugins/scaffolder-backend-module-multicluster/src/deploy/__testUtils__/fakeMulticluster.ts',
));

/** Tokens in the format the fake multicluster API reads (that of Backstage's mock auth service). */
const auth = {
  getOwnServiceCredentials: async () => ({
    principal: { type: 'service', subject: 'plugin:scaffolder' },
  }),
  getPluginRequestToken: async ({ onBehalfOf }) => ({
    token: `mock-service-token:${JSON.stringify(
      onBehalfOf.principal.type === 'user'
        ? { sub: 'plugin:scaffolder', obo: onBehalfOf.principal.userEntityRef }
        : { sub: onBehalfOf.principal.subject },
    )}`,
  }),
};

const manifests = name => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: web, image: "nginx:1.27" }] }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: ${name}-config }
data: { greeting: hello }
`;

async function deploy(action, input) {
  const outputs = {};
  const logs = [];
  const ctx = {
    input,
    workspacePath: repoRoot,
    logger: {
      info: m => logs.push(m),
      warn: m => logs.push(m),
      error: m => logs.push(m),
      debug: () => {},
      child: () => ctx.logger,
    },
    checkpoint: ({ fn }) => fn(),
    output: (name, value) => {
      outputs[name] = value;
    },
    getInitiatorCredentials: async () => ({
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'user', userEntityRef: 'user:default/bench' },
    }),
    task: { id: 'bench' },
  };
  const started = performance.now();
  await action.handler(ctx);
  const ms = performance.now() - started;
  const notReady = outputs.results.filter(r => r.status !== 'ready');
  if (notReady.length)
    throw new Error(
      `${notReady.length} clusters not ready: ${JSON.stringify(
        notReady.slice(0, 3),
      )}`,
    );
  return { ms, outputs };
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const fleet = await startFleet({
  clusters: CLUSTERS,
  nodes: 1,
  adminPort: null,
  podReadyDelayMs: POD_READY_MS,
});
const fake = await startFakeMulticluster(
  fleet.clusters.map(cluster => ({ cluster, labels: { bench: 'yes' } })),
);
try {
  const action = createDeployAction({
    multicluster: createMulticlusterService({
      auth,
      discovery: fake.discovery,
    }),
  });

  // One cluster's time: a whole deploy to a single cluster (inventory, preflight, apply, readiness).
  const single = [];
  for (let i = 0; i < SINGLE_RUNS; i++) {
    const { ms } = await deploy(action, {
      namespace: `single-${i}`,
      manifests: manifests('web'),
      placement: { clusterNames: [fleet.clusters[i % CLUSTERS].name] },
      replicas: { totalReplicas: 2 },
      rollout: { maxConcurrent: 1, timeoutSeconds: 120 },
    });
    single.push(ms);
  }
  const singleMs = median(single);

  const { ms: wallMs, outputs } = await deploy(action, {
    namespace: 'fleet',
    manifests: manifests('web'),
    placement: { clusterSelector: 'bench=yes' },
    replicas: { totalReplicas: CLUSTERS * 2 },
    rollout: { maxConcurrent: CONCURRENCY, timeoutSeconds: 300 },
  });
  const stepSeconds = outputs.results.map(r =>
    Number(/rolled out in ([\d.]+) s/.exec(r.message)?.[1] ?? NaN),
  );
  const floorMs = (CLUSTERS / CONCURRENCY) * singleMs;
  const result = {
    name: 'deploy-fleet',
    clusters: CLUSTERS,
    maxConcurrent: CONCURRENCY,
    podReadyDelayMs: POD_READY_MS,
    singleClusterMs: Math.round(singleMs),
    singleClusterRunsMs: single.map(Math.round),
    wallMs: Math.round(wallMs),
    floorMs: Math.round(floorMs),
    ratio: Number((wallMs / floorMs).toFixed(2)),
    perClusterStepMedianMs: Math.round(median(stepSeconds) * 1000),
    perClusterStepMaxMs: Math.round(Math.max(...stepSeconds) * 1000),
    ready: outputs.summary.ready,
  };
  console.log(JSON.stringify(result));
} finally {
  await fake.stop();
  await fleet.stop();
  clearTimeout(watchdog);
}
