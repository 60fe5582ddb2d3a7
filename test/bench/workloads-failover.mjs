/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Benchmark: the time from a cluster's death to its replicas running ready on the other
// clusters, against the floor `failover.graceSeconds + one round` (the round being the
// measured time of a round that places as many more replicas and sees them ready).
// A workload of 4 replicas per cluster runs on N emulated clusters (default 10); one
// cluster's API server is stopped and, at that same moment, its health is recorded as
// unreachable (as the prober would on its next probe: the probe interval comes on top in
// a real portal, and is the inventory's figure, not this one). Rounds run as the scheduler
// would start them (a health transition triggers one). Prints one JSON line.
//
//   node test/bench/workloads-failover.mjs [--clusters 10] [--grace-seconds 5] [--pod-ready-ms 1000]
import { parseArgs } from 'node:util';
import { require, round } from './_inventory-lib.mjs';
import {
  deploymentWorkload,
  roundsUntil,
  startWorkloadsEngine,
} from './_workloads-lib.mjs';

const { values: args } = parseArgs({
  options: {
    clusters: { type: 'string', default: '10' },
    'grace-seconds': { type: 'string', default: '5' },
    'pod-ready-ms': { type: 'string', default: '1000' },
  },
});
const CLUSTERS = Number(args.clusters);
const GRACE_SECONDS = Number(args['grace-seconds']);
const POD_READY_MS = Number(args['pod-ready-ms']);
const PER_CLUSTER = 4;
const TOTAL = CLUSTERS * PER_CLUSTER;

const watchdog = setTimeout(() => {
  console.error('workloads-failover: gave up after 10 minutes');
  process.exit(2);
}, 10 * 60_000);
watchdog.unref();

const { startFleet } = require('@archipelago/kube-emulator');
const { KubeClient } = require('@archipelago/multicluster-node');

const fleet = await startFleet({
  clusters: CLUSTERS,
  nodes: 1,
  adminPort: null,
  podReadyDelayMs: POD_READY_MS,
});
const clients = new Map(
  fleet.clusters.map(c => [
    c.name,
    new KubeClient({
      id: c.name,
      name: c.name,
      url: c.url,
      caData: c.caData,
      skipTLSVerify: false,
      token: c.tokens.view,
    }),
  ]),
);
const workloads = await startWorkloadsEngine({
  clusters: fleet.clusters.map(c => ({
    name: c.name,
    url: c.url,
    caData: c.caData,
    token: c.tokens.deploy,
  })),
  labelsOf: () => ({ env: 'production' }),
  workloads: {
    intervalSeconds: 30,
    pollMilliseconds: 200,
    requestTimeoutSeconds: 2,
    clusterTimeoutSeconds: 5,
    failover: { graceSeconds: GRACE_SECONDS },
  },
});
const { engine, service } = workloads;

/**
 * Ready replicas of the workload on the given clusters, read from the clusters themselves;
 * undefined when a read failed (a poll that saw nothing is no poll).
 */
const readyOn = async names => {
  const counts = await Promise.all(
    names.map(async n => {
      const d = await clients
        .get(n)
        .get('/apis/apps/v1/namespaces/bench/deployments/web', {
          timeoutMs: 5000,
        })
        .catch(() => null);
      return d === null ? undefined : d?.status?.readyReplicas ?? 0;
    }),
  );
  return counts.includes(undefined)
    ? undefined
    : counts.reduce((a, b) => a + b, 0);
};

try {
  await workloads.apply(
    deploymentWorkload({
      name: 'web',
      selector: 'env=production',
      replicas: TOTAL,
      rollout: {
        maxConcurrent: 100,
        maxFailures: 0,
        soakSeconds: 0,
        timeoutSeconds: 120,
      },
      failover: { graceSeconds: GRACE_SECONDS },
    }),
  );
  await roundsUntil(
    engine,
    service,
    'web',
    w => w.status.phase === 'Available',
    120_000,
  );

  const dead = 'emulator-3';
  const live = fleet.clusters.map(c => c.name).filter(n => n !== dead);
  const share = PER_CLUSTER;
  const floorLive = TOTAL - share;
  if ((await readyOn(live)) !== floorLive)
    throw new Error(`the live clusters do not run ${floorLive} ready replicas`);

  const died = Date.now();
  await fleet.cluster(3).stop();
  await workloads.setHealth(new Set([dead]));
  const polls = [];
  let readyAt;
  const watcher = (async () => {
    while (readyAt === undefined && Date.now() - died < 120_000) {
      const ready = await readyOn(live);
      if (ready !== undefined) polls.push(ready);
      if (ready !== undefined && ready >= TOTAL) readyAt = Date.now();
      else await new Promise(r => setTimeout(r, 100));
    }
  })();
  // The health transition starts a round; it waits out the grace period itself.
  while (readyAt === undefined && Date.now() - died < 120_000)
    await engine.runRound();
  await watcher;
  if (readyAt === undefined)
    throw new Error('the replicas were not ready elsewhere within 120 s');
  const failoverSeconds = (readyAt - died) / 1000;

  // One round's worth: `share` more replicas placed over the clusters and ready (apply,
  // pods starting, readiness seen), timed alone with every cluster up.
  await fleet.cluster(3).start();
  await workloads.setHealth();
  await roundsUntil(
    engine,
    service,
    'web',
    w => w.status.phase === 'Available',
    120_000,
  );
  const moveStarted = Date.now();
  await workloads.apply(
    deploymentWorkload({
      name: 'web',
      selector: 'env=production',
      replicas: TOTAL + share,
      rollout: {
        maxConcurrent: 100,
        maxFailures: 0,
        soakSeconds: 0,
        timeoutSeconds: 120,
      },
      failover: { graceSeconds: GRACE_SECONDS },
    }),
  );
  await roundsUntil(
    engine,
    service,
    'web',
    w => w.status.phase === 'Available',
    120_000,
  );
  const roundSeconds = (Date.now() - moveStarted) / 1000;
  const floorSeconds = GRACE_SECONDS + roundSeconds;
  console.log(
    JSON.stringify({
      bench: 'workloads-failover',
      clusters: CLUSTERS,
      replicas: TOTAL,
      graceSeconds: GRACE_SECONDS,
      podReadyMs: POD_READY_MS,
      roundSeconds: round(roundSeconds, 2),
      floorSeconds: round(floorSeconds, 2),
      failoverSeconds: round(failoverSeconds, 2),
      ratio: round(failoverSeconds / floorSeconds),
      polls: polls.length,
      minLiveReadyDuringFailover: Math.min(...polls),
      liveShareBefore: floorLive,
    }),
  );
} finally {
  for (const c of clients.values()) c.close();
  await workloads.close();
  await fleet.stop();
}
