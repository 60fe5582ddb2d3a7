/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Benchmark: a multicluster:deploy dry run of the largest manifest set
// multicluster.limits allows, onto a small emulated fleet: the defaults
// (2 MiB, 1,000 objects) and the ceilings config may raise them to (64 MiB,
// 20,000 objects). Reports, per size, the dry run's wall time and the growth of
// the process's RSS and heap over it, as one JSON line. A dry run parses,
// validates and plans every object for every cluster, and asks the inventory
// and the permission check, but contacts no cluster.
//
//   node --expose-gc test/bench/deploy-dry-run.mjs [--clusters 10] [--runs 3] [--sizes defaults,ceilings]
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
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
    clusters: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    sizes: { type: 'string', default: 'defaults,ceilings' },
  },
});
const CLUSTERS = Number(args.clusters);
const RUNS = Number(args.runs);

const watchdog = setTimeout(() => {
  console.error('deploy-dry-run: gave up after 10 minutes');
  process.exit(2);
}, 10 * 60_000);
watchdog.unref();

const { startFleet } = require('@archipelago/kube-emulator');
const { createMulticlusterService } = require('@archipelago/multicluster-node');
const { mockServices } = require('@backstage/backend-test-utils');
const yaml = require('yaml');
const { createDeployAction } = require(path.join(
  repoRoot,
  'plugins/scaffolder-backend-module-multicluster/src/actions/deploy.ts',
));
const { startFakeMulticluster } = require(path.join(
  repoRoot,
  'plugins/scaffolder-backend-module-multicluster/src/deploy/__testUtils__/fakeMulticluster.ts',
));

/** The largest sets: the defaults of multicluster.limits, and the ceilings config may raise them to. */
const SIZES = {
  defaults: { manifestsBytes: 2 * 1024 * 1024, manifestsObjects: 1000 },
  ceilings: { manifestsBytes: 64 * 1024 * 1024, manifestsObjects: 20000 },
};
const MANIFEST_OBJECT_BYTES = 1024 * 1024;

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

/**
 * `objects` objects, half Deployments and half ConfigMaps, padded so the YAML
 * text is just under `bytes`: the most a deploy may be given.
 */
function largestManifests(bytes, objects) {
  const docs = [];
  for (let i = 0; i < objects; i++) {
    docs.push(
      i % 2 === 0
        ? `apiVersion: apps/v1
kind: Deployment
metadata: { name: web-${i}, labels: { app: web-${i} } }
spec:
  replicas: 2
  selector: { matchLabels: { app: web-${i} } }
  template:
    metadata: { labels: { app: web-${i} } }
    spec: { containers: [{ name: web, image: "nginx:1.27", ports: [{ containerPort: 80 }] }] }
`
        : `apiVersion: v1
kind: ConfigMap
metadata: { name: config-${i} }
data:
  greeting: hello
  padding: "@@PAD@@"
`,
    );
  }
  const skeleton = docs.join('---\n');
  const pads = objects >> 1;
  // The limit holds for the YAML text and for the parsed objects as JSON,
  // whichever is larger: the room left is spread over the ConfigMaps.
  const size = text =>
    Math.max(
      Buffer.byteLength(text),
      yaml
        .parseAllDocuments(text)
        .reduce((n, d) => n + Buffer.byteLength(JSON.stringify(d.toJS())), 0),
    );
  const room = bytes - size(skeleton.replaceAll('@@PAD@@', '')) - 1024;
  const pad = 'x'.repeat(Math.max(0, Math.floor(room / pads)));
  const text = skeleton.replaceAll('@@PAD@@', pad);
  if (size(text) > bytes) throw new Error('padding overshot');
  return text;
}

function quietContext(input) {
  const outputs = {};
  const logger = {
    info: () => {},
    warn: () => {},
    error: () => {},
    debug: () => {},
    child: () => logger,
  };
  return {
    outputs,
    ctx: {
      input,
      workspacePath: repoRoot,
      isDryRun: true,
      logger,
      checkpoint: ({ fn }) => fn(),
      output: (name, value) => {
        outputs[name] = value;
      },
      getInitiatorCredentials: async () => ({
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'user', userEntityRef: 'user:default/bench' },
      }),
      task: { id: 'bench' },
    },
  };
}

const mib = bytes => Number((bytes / 1024 / 1024).toFixed(1));
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const gc = () => globalThis.gc?.();

const fleet = await startFleet({
  clusters: CLUSTERS,
  nodes: 1,
  adminPort: null,
});
const fake = await startFakeMulticluster(
  fleet.clusters.map(cluster => ({ cluster, labels: { bench: 'yes' } })),
);
try {
  const result = {
    name: 'deploy-dry-run',
    clusters: CLUSTERS,
    runs: RUNS,
    gcExposed: !!globalThis.gc,
  };
  for (const size of args.sizes.split(',')) {
    const limits = {
      ...SIZES[size],
      manifestObjectBytes: MANIFEST_OBJECT_BYTES,
    };
    const action = createDeployAction({
      multicluster: createMulticlusterService({
        auth,
        discovery: fake.discovery,
      }),
      // Every target is checked for multicluster.cluster.deploy, as in a real task.
      permissions: mockServices.permissions(),
      limits,
    });
    const manifests = largestManifests(
      limits.manifestsBytes,
      limits.manifestsObjects,
    );
    const times = [];
    const rssGrowth = [];
    const heapGrowth = [];
    let peakRss = 0;
    for (let run = 0; run < RUNS; run++) {
      // Parsing the largest sets blocks the event loop for seconds: let idle
      // keep-alive sockets to the inventory close first, so that none is reused
      // as the server drops it (ECONNRESET).
      await sleep(6000);
      gc();
      const before = process.memoryUsage();
      let peak = before.rss;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage.rss());
      }, 20);
      const { ctx, outputs } = quietContext({
        namespace: 'bench',
        manifests,
        placement: { clusterSelector: 'bench=yes' },
        replicas: { totalReplicas: CLUSTERS * 2 },
      });
      const started = performance.now();
      await action.handler(ctx);
      times.push(performance.now() - started);
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage.rss());
      // What the dry run keeps once it is over (its garbage collected).
      gc();
      const after = process.memoryUsage();
      peakRss = Math.max(peakRss, peak);
      rssGrowth.push(peak - before.rss);
      heapGrowth.push(after.heapUsed - before.heapUsed);
      if (outputs.plan?.length !== CLUSTERS)
        throw new Error(
          `planned ${outputs.plan?.length} clusters, not ${CLUSTERS}`,
        );
    }
    result[size] = {
      // The first run's growth is the honest one: later runs reuse the heap V8 kept.
      firstRunRssGrowthMiB: mib(rssGrowth[0]),
      manifestsMiB: mib(Buffer.byteLength(manifests)),
      objects: limits.manifestsObjects,
      medianMs: Math.round(median(times)),
      runsMs: times.map(Math.round),
      rssGrowthMedianMiB: mib(median(rssGrowth)),
      heapRetainedMedianMiB: mib(median(heapGrowth)),
      peakRssMiB: mib(peakRss),
    };
  }
  console.log(JSON.stringify(result));
} finally {
  await fake.stop();
  await fleet.stop();
  clearTimeout(watchdog);
}
