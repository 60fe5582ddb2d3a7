/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Benchmark: a workloads reconcile round when nothing changed (reads only: each cluster's
// objects read back, drift and readiness checked, nothing written) over N emulated clusters
// (default 100, then 1,000) that each add L ms (default 20) to every request, at the
// engine's default concurrency (32). The floor is the latency × clusters / concurrency of
// perfect parallelism (never below the latency), the latency being that of the same round
// over one cluster. Prints
// one JSON line per fleet size. Bounded: the whole run stops after 15 minutes.
//
//   node test/bench/workloads-round.mjs [--clusters 100,1000] [--latency-ms 20] [--concurrency 32]
import { parseArgs } from 'node:util';
import { round, startEmulatorFleet } from './_inventory-lib.mjs';
import {
  deploymentWorkload,
  readDeployContexts,
  roundsUntil,
  startWorkloadsEngine,
} from './_workloads-lib.mjs';

const { values: args } = parseArgs({
  options: {
    clusters: { type: 'string', default: '100,1000' },
    'latency-ms': { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
  },
});
const SIZES = args.clusters.split(',').map(Number);
const LATENCY_MS = Number(args['latency-ms']);
const CONCURRENCY = Number(args.concurrency);
const ROUNDS = Number(args.rounds);

const watchdog = setTimeout(() => {
  console.error('workloads-round: gave up after 15 minutes');
  process.exit(2);
}, 15 * 60_000);
watchdog.unref();

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const available = w => w.status.phase === 'Available';

/** Median duration of `ROUNDS` rounds with nothing to do. */
async function quietRounds(engine) {
  const durations = [];
  for (let i = 0; i < ROUNDS; i++)
    durations.push((await engine.runRound()).durationMs);
  return median(durations);
}

for (const size of SIZES) {
  const startedFleet = Date.now();
  const fleet = await startEmulatorFleet([
    '--clusters',
    String(size),
    '--nodes',
    '1',
    '--latency-ms',
    String(LATENCY_MS),
    '--pod-ready-delay-ms',
    '100',
    '--roles',
    'deploy',
  ]);
  const fleetStartSeconds = (Date.now() - startedFleet) / 1000;
  const clusters = readDeployContexts(fleet.kubeconfig);
  const workloads = await startWorkloadsEngine({
    clusters,
    labelsOf: name =>
      name === 'emulator-1'
        ? { bench: 'fleet', solo: 'yes' }
        : { bench: 'fleet' },
    workloads: {
      concurrency: CONCURRENCY,
      intervalSeconds: 3600,
      pollMilliseconds: 100,
      requestTimeoutSeconds: 10,
      clusterTimeoutSeconds: 60,
    },
  });
  const { engine, service } = workloads;
  try {
    // The latency of one cluster: the same quiet round, with the workload on one cluster.
    await workloads.apply(
      deploymentWorkload({ name: 'solo', selector: 'solo=yes', replicas: 1 }),
    );
    await roundsUntil(engine, service, 'solo', available, 60_000);
    const oneClusterMs = await quietRounds(engine);
    // Its state is kept (paused: no cluster work) so the fleet's rounds measure the fleet only.
    await service.setPaused(await service.record('solo'), true);

    const rolloutStarted = Date.now();
    await workloads.apply(
      deploymentWorkload({
        name: 'fleet',
        selector: 'bench=fleet',
        replicas: size * 2,
        rollout: {
          maxConcurrent: 100,
          maxFailures: 0,
          soakSeconds: 0,
          timeoutSeconds: 600,
        },
      }),
    );
    const converged = await roundsUntil(
      engine,
      service,
      'fleet',
      available,
      600_000,
    );
    const firstRolloutSeconds = (Date.now() - rolloutStarted) / 1000;
    const quietMs = await quietRounds(engine);
    const floorMs = oneClusterMs * Math.max(1, size / CONCURRENCY);
    const ready = converged.workload.status.clusters.reduce(
      (n, c) => n + c.readyReplicas,
      0,
    );
    console.log(
      JSON.stringify({
        bench: 'workloads-round',
        clusters: size,
        latencyMs: LATENCY_MS,
        concurrency: CONCURRENCY,
        oneClusterRoundMs: oneClusterMs,
        floorMs: round(floorMs, 0),
        quietRoundMs: quietMs,
        ratio: round(quietMs / floorMs),
        readyReplicas: ready,
        firstRolloutSeconds: round(firstRolloutSeconds, 1),
        fleetStartSeconds: round(fleetStartSeconds, 1),
        rssMb: round(process.memoryUsage().rss / 2 ** 20, 0),
      }),
    );
  } finally {
    await workloads.close();
    await fleet.stop();
  }
}
