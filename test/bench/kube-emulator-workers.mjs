/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Benchmark of @archipelago/kube-emulator worker fleets: start 10,000 light clusters (health,
// version, discovery, nodes) with 100 ms of latency in worker processes, then report the start
// time, the resident memory of this process and of every worker, and two rounds of /readyz over
// all clusters (probe token, bounded concurrency) against their floor, clusters x latency /
// concurrency: the first round opens a TLS connection per cluster, the second reuses them.
// Prints one JSON line.
//   node --expose-gc test/bench/kube-emulator-workers.mjs [--clusters 10000] [--workers N]
//     [--latency-ms 100] [--concurrency 500]
import { readFileSync } from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), '..', '..');
const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '10000' },
    workers: { type: 'string' },
    'latency-ms': { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '500' },
  },
});
const clusters = Number(values.clusters);
const latencyMs = Number(values['latency-ms']);
const concurrency = Number(values.concurrency);
const mb = bytes => Math.round(bytes / 1024 / 1024);

/** VmRSS of a process from /proc (Linux), else undefined. */
function procRss(pid) {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    )?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

const require = createRequire(import.meta.url);
// The same TypeScript loader as the kube-emulator CLI.
require(path.join(root, 'packages', 'kube-emulator', 'bin', 'register-ts.cjs'));
const { startWorkerFleet } = require(path.join(
  root,
  'packages',
  'kube-emulator',
  'src',
  'index.ts',
));

global.gc?.();
const rssBefore = process.memoryUsage().rss;
const started = performance.now();
const fleet = await startWorkerFleet({
  clusters,
  ...(values.workers ? { workers: Number(values.workers) } : {}),
  nodes: 3,
  latencyMs,
  adminPort: null,
});
const startMs = Math.round(performance.now() - started);
global.gc?.();
const parentRss = process.memoryUsage().rss;
const workerRss = fleet.workers.map(w => procRss(w.pid));
const reported = await fleet.workerRss();
const workersRss = workerRss.map((r, i) => r ?? reported[i]);
const totalRss = parentRss + workersRss.reduce((a, b) => a + b, 0);

// One TLS context per CA (one per worker): building one per request would cost more CPU than
// the handshake itself.
const contexts = new Map();
const contextOf = caData => {
  let context = contexts.get(caData);
  if (!context) {
    context = tls.createSecureContext({ ca: caData });
    contexts.set(caData, context);
  }
  return context;
};

/** One round: GET /readyz on every cluster, `concurrency` at a time. */
async function round(agents) {
  const latencies = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  const lane = async () => {
    while (next < fleet.clusters.length) {
      const i = next++;
      const c = fleet.clusters[i];
      const s = performance.now();
      const ok = await new Promise(resolve => {
        const req = https.request(
          `${c.url}/readyz`,
          {
            agent: agents[i],
            secureContext: contextOf(c.caData),
            headers: { Authorization: `Bearer ${c.tokens.probe}` },
          },
          res => {
            res.resume();
            res.on('end', () => resolve(res.statusCode === 200));
          },
        );
        req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
        req.on('error', () => resolve(false));
        req.end();
      });
      if (ok) latencies.push(performance.now() - s);
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const ms = performance.now() - t0;
  latencies.sort((a, b) => a - b);
  const pct = p =>
    Math.round(
      latencies[
        Math.min(latencies.length - 1, Math.floor(p * latencies.length))
      ] ?? 0,
    );
  const floorMs = (fleet.clusters.length * latencyMs) / concurrency;
  return {
    ms: Math.round(ms),
    floorMs: Math.round(floorMs),
    ratio: floorMs ? Math.round((ms / floorMs) * 100) / 100 : null,
    errors,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
  };
}

const agents = fleet.clusters.map(
  () => new https.Agent({ keepAlive: true, maxSockets: 1 }),
);
const cpu0 = process.cpuUsage();
const first = await round(agents);
const second = await round(agents);
const cpu = process.cpuUsage(cpu0);
for (const a of agents) a.destroy();

const stopStarted = performance.now();
await fleet.stop();
const stopMs = Math.round(performance.now() - stopStarted);

const result = {
  bench: 'kube-emulator-workers',
  clusters,
  workers: fleet.workers.length,
  clustersPerWorker: fleet.workers.map(w => w.clusters),
  latencyMs,
  startMs,
  startGoalMs: 30_000,
  rssMbParentBefore: mb(rssBefore),
  rssMbParent: mb(parentRss),
  rssMbWorkers: workersRss.map(mb),
  rssMbTotal: mb(totalRss),
  rssGoalMbTotal: 1024,
  readyzRoundNewConnections: { concurrency, ...first },
  readyzRoundKeepAlive: { concurrency, ...second },
  pollerCpuSeconds: Math.round((cpu.user + cpu.system) / 1e5) / 10,
  stopMs,
  node: process.version,
  cpus: os.cpus().length,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(
  startMs < 30_000 &&
    totalRss < 1024 * 1024 * 1024 &&
    first.errors + second.errors === 0
    ? 0
    : 1,
);
