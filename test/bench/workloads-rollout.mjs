/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Benchmark: the rollout of a new revision (a new image) over N emulated clusters (default
// 100) in steps of `maxConcurrent` clusters (default 10) with a soak time (default 1 s),
// against the step floor: steps × the time to update one cluster and see it ready, plus
// the soaks between steps, the time of one cluster being that of the same rollout onto a
// single cluster.
// Every cluster adds L ms (default 20) to each request; pods turn ready after 1 s.
// Prints one JSON line. Bounded: the whole run stops after 15 minutes.
//
//   node test/bench/workloads-rollout.mjs [--clusters 100] [--step 10] [--soak-seconds 1] [--latency-ms 20]
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
    clusters: { type: 'string', default: '100' },
    step: { type: 'string', default: '10' },
    'soak-seconds': { type: 'string', default: '1' },
    'latency-ms': { type: 'string', default: '20' },
    'pod-ready-ms': { type: 'string', default: '1000' },
  },
});
const CLUSTERS = Number(args.clusters);
const STEP = Number(args.step);
const SOAK_SECONDS = Number(args['soak-seconds']);
const LATENCY_MS = Number(args['latency-ms']);
const POD_READY_MS = Number(args['pod-ready-ms']);

const watchdog = setTimeout(() => {
  console.error('workloads-rollout: gave up after 15 minutes');
  process.exit(2);
}, 15 * 60_000);
watchdog.unref();

const rollout = {
  maxConcurrent: STEP,
  maxFailures: 0,
  soakSeconds: SOAK_SECONDS,
  timeoutSeconds: 300,
};
const body = (name, selector, replicas, image) =>
  deploymentWorkload({ name, selector, replicas, image, rollout });
const available = w => w.status.phase === 'Available';
const rolledOut = revision => w =>
  w.status.rollout?.revision === revision &&
  w.status.rollout.state === 'complete' &&
  w.status.phase === 'Available';

/** Seconds from a new image to the rollout complete, rounds run back to back as a round would loop. */
async function timeRollout(workloads, name, selector, replicas) {
  const { engine, service } = workloads;
  const started = Date.now();
  const w = await workloads.apply(body(name, selector, replicas, 'nginx:1.28'));
  const done = await roundsUntil(
    engine,
    service,
    name,
    rolledOut(w.revision),
    600_000,
  );
  if (done.workload.status.rollout.failed > 0)
    throw new Error(`${name}: clusters failed the rollout`);
  return (Date.now() - started) / 1000;
}

const fleet = await startEmulatorFleet([
  '--clusters',
  String(CLUSTERS),
  '--nodes',
  '1',
  '--latency-ms',
  String(LATENCY_MS),
  '--pod-ready-delay-ms',
  String(POD_READY_MS),
  '--roles',
  'deploy',
]);
const workloads = await startWorkloadsEngine({
  clusters: readDeployContexts(fleet.kubeconfig),
  labelsOf: name =>
    name === 'emulator-1'
      ? { bench: 'fleet', solo: 'yes' }
      : { bench: 'fleet' },
  workloads: {
    intervalSeconds: 3600,
    pollMilliseconds: 100,
    requestTimeoutSeconds: 10,
    clusterTimeoutSeconds: 60,
  },
});
const { engine, service } = workloads;
try {
  // One cluster: the time of one step.
  await workloads.apply(body('solo', 'solo=yes', 2, 'nginx:1.27'));
  await roundsUntil(engine, service, 'solo', available, 120_000);
  const oneClusterSeconds = await timeRollout(workloads, 'solo', 'solo=yes', 2);
  await service.setPaused(await service.record('solo'), true);

  await workloads.apply(
    body('fleet', 'bench=fleet', CLUSTERS * 2, 'nginx:1.27'),
  );
  await roundsUntil(engine, service, 'fleet', available, 600_000);
  const rolloutSeconds = await timeRollout(
    workloads,
    'fleet',
    'bench=fleet',
    CLUSTERS * 2,
  );
  const steps = Math.ceil(CLUSTERS / STEP);
  // The soak comes between steps (a one-cluster rollout has none).
  const floorSeconds = steps * oneClusterSeconds + (steps - 1) * SOAK_SECONDS;
  console.log(
    JSON.stringify({
      bench: 'workloads-rollout',
      clusters: CLUSTERS,
      step: STEP,
      steps,
      soakSeconds: SOAK_SECONDS,
      latencyMs: LATENCY_MS,
      podReadyMs: POD_READY_MS,
      oneClusterSeconds: round(oneClusterSeconds, 2),
      floorSeconds: round(floorSeconds, 2),
      rolloutSeconds: round(rolloutSeconds, 2),
      ratio: round(rolloutSeconds / floorSeconds),
    }),
  );
} finally {
  await workloads.close();
  await fleet.stop();
}
