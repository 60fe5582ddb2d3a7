/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// A full probe round over N emulated clusters (default 1,000) that each add L ms (default
// 100) to every request, at the default concurrency (32, adapting up to maxConcurrency,
// default 4 × 32, as the plugin does) and timeout (5 s). Reports the round time as a ratio
// to the floor N × L / concurrency (goal ≤ 1.5) for the first (cold: full TLS handshakes),
// a reconnecting (resumed TLS sessions) and a kept-alive round; also the concurrency the
// rounds reached and the TLS connections they made (and how many resumed a session).
// From 2,000 clusters on, the fleet runs in light mode in worker processes (`--workers`), so
// its CPU and memory are not this process's.
// Usage: node test/bench/inventory-probe-round.mjs [clusters] [latencyMs] [concurrency] [workers] [maxConcurrency]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  backend,
  require,
  round,
  silentLogger,
  startEmulatorFleet,
} from './_inventory-lib.mjs';

const clusters = Number(process.argv[2] ?? 1000);
const latencyMs = Number(process.argv[3] ?? 100);
const concurrency = Number(process.argv[4] ?? 32);
const workers = Number(process.argv[5] ?? (clusters >= 2000 ? 2 : 0));
const maxConcurrency = Number(process.argv[6] ?? concurrency * 4);

const { KubeconfigClusterProvider } = require(backend(
  'src/providers/KubeconfigClusterProvider.ts',
));
const { KubeHttpClient } = require(backend('src/prober/kubeHttp.ts'));
const { probeClusters, versionEvery } = require(backend(
  'src/prober/Prober.ts',
));
const { normaliseServerUrl, clusterIdFor } = require(backend(
  'src/inventory/clusterId.ts',
));

const startedFleet = Date.now();
const fleet = await startEmulatorFleet([
  '--clusters',
  String(clusters),
  '--nodes',
  '3',
  '--latency-ms',
  String(latencyMs),
  ...(workers ? ['--workers', String(workers)] : []),
]);
const fleetStartSeconds = (Date.now() - startedFleet) / 1000;
const http = new KubeHttpClient();
try {
  const provider = new KubeconfigClusterProvider(
    [{ file: fleet.kubeconfig, labels: {}, execTimeoutSeconds: 30 }],
    silentLogger,
  );
  // How long the event loop is held at once: discovery (a kubeconfig of N contexts) and each
  // round. A replica that "stops answering" has a long maximum here.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const loopFigures = () => {
    const figures = {
      maxMs: round(loop.max / 1e6, 0),
      p99Ms: round(loop.percentile(99) / 1e6, 0),
    };
    loop.reset();
    return figures;
  };
  const discoverStarted = Date.now();
  const { clusters: discovered } = await provider.discover();
  const discoverSeconds = (Date.now() - discoverStarted) / 1000;
  const discoverLoop = loopFigures();
  const targets = discovered.map(c => {
    const urlKey = normaliseServerUrl(c.url);
    return {
      id: clusterIdFor(c.name, urlKey),
      urlKey,
      name: c.name,
      url: c.url,
      skipTLSVerify: false,
      health: 'unknown',
    };
  });
  const connections = new Map(
    discovered.map(c => [
      normaliseServerUrl(c.url),
      {
        provider: 'kubeconfig',
        sourceId: c.sourceId,
        url: c.url,
        caData: c.caData,
        skipTLSVerify: false,
        credentials: c.credentials,
      },
    ]),
  );
  const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
  let roundNo = 0;
  const roundOnce = async () => {
    roundNo += 1;
    const before = http.stats();
    let concurrencyFigures;
    const t = process.hrtime.bigint();
    const outcomes = await probeClusters(
      { http, logger: silentLogger },
      targets,
      tg => connections.get(tg.urlKey),
      {
        timeoutMs: 5000,
        concurrency,
        maxConcurrency,
        onConcurrency: figures => {
          concurrencyFigures = {
            final: figures.final,
            mean: round(figures.mean, 1),
          };
        },
        refreshVersion: versionEvery(roundNo, 10),
      },
    );
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    const eventLoopDelay = loopFigures();
    const byHealth = {};
    for (const o of outcomes)
      byHealth[o.classification.health] =
        (byHealth[o.classification.health] ?? 0) + 1;
    // As the store does: remember versions so later rounds can skip /version.
    const versions = new Map(
      outcomes.filter(o => o.version).map(o => [o.id, o.version]),
    );
    for (const tg of targets)
      if (versions.has(tg.id)) tg.version = versions.get(tg.id);
    const after = http.stats();
    return {
      seconds,
      byHealth,
      eventLoopDelay,
      concurrency: concurrencyFigures,
      tls: {
        connections: after.connections - before.connections,
        resumed: after.resumed - before.resumed,
      },
    };
  };
  // 1: new connections, full TLS handshakes. 2: after the servers closed idle connections
  // (Node's 5 s keep-alive timeout), as between real rounds a minute apart: reconnects
  // that resume cached TLS sessions. 3: right after, on kept-alive connections.
  const cold = await roundOnce();
  await new Promise(r => setTimeout(r, 6000));
  loop.reset();
  const reconnect = await roundOnce();
  const warm = await roundOnce();
  const floorSeconds = (clusters * latencyMs) / 1000 / concurrency;
  console.log(
    JSON.stringify({
      bench: 'inventory-probe-round',
      clusters: discovered.length,
      workers,
      latencyMs,
      concurrency,
      maxConcurrency,
      floorSeconds: round(floorSeconds, 3),
      firstRoundSeconds: round(cold.seconds, 3),
      steadyRoundSeconds: round(reconnect.seconds, 3),
      keepAliveRoundSeconds: round(warm.seconds, 3),
      ratioFirst: round(cold.seconds / floorSeconds),
      ratioSteady: round(reconnect.seconds / floorSeconds),
      ratioKeepAlive: round(warm.seconds / floorSeconds),
      goalRatio: 1.5,
      byHealth: warm.byHealth,
      concurrencyReached: {
        firstRound: cold.concurrency,
        steadyRound: reconnect.concurrency,
        keepAliveRound: warm.concurrency,
      },
      tlsConnections: {
        firstRound: cold.tls,
        steadyRound: reconnect.tls,
        keepAliveRound: warm.tls,
      },
      discoverSeconds: round(discoverSeconds, 1),
      eventLoopDelayMs: {
        discover: discoverLoop,
        firstRound: cold.eventLoopDelay,
        steadyRound: reconnect.eventLoopDelay,
        keepAliveRound: warm.eventLoopDelay,
      },
      fleetStartSeconds: round(fleetStartSeconds, 1),
      rssBeforeProbingMb: round(rssBeforeMb, 0),
      rssAfterProbingMb: round(process.memoryUsage().rss / 2 ** 20, 0),
      heapUsedMb: round(process.memoryUsage().heapUsed / 2 ** 20, 0),
    }),
  );
} finally {
  http.close();
  await fleet.stop();
}
