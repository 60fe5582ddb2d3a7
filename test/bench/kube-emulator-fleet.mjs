/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Benchmark of @archipelago/kube-emulator: start a fleet of 1,000 emulated clusters in this
// process (goal: < 10 s, RSS < 1.5 GB), then poll /readyz on all of them at once from a
// separate poller process (the other core) for a bounded time and report round-trip
// percentiles. Prints one JSON line.
//   node --expose-gc test/bench/kube-emulator-fleet.mjs [--clusters 1000] [--seconds 10]
import { fork } from 'node:child_process';
import tls from 'node:tls';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = fileURLToPath(import.meta.url);
const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    poller: { type: 'boolean', default: false },
  },
});

function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

const round = v => (v === null ? null : Math.round(v * 100) / 100);

// ---- poller (child process) ---------------------------------------------------------------------
if (values.poller) {
  process.once('message', async ({ targets, seconds }) => {
    let deadline = Date.now() + 60_000;
    const latencies = [];
    let errors = 0;
    // Bounded: stops at the deadline, and no cluster gets more than this many requests.
    const maxPerCluster = 100_000;
    // A minimal keep-alive HTTP/1.1 client on a TLS socket per cluster: node:https spends
    // ~0.2 ms of CPU per request, which would make the poller, not the emulator, the bottleneck.
    const loop = (t, limit = maxPerCluster, sink = latencies) =>
      new Promise(resolve => {
        const { hostname, port } = new URL(t.url);
        const socket = tls.connect({
          host: hostname,
          port: Number(port),
          ca: t.caData,
          servername: undefined,
        });
        const wire = Buffer.from(
          `GET /readyz HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${t.token}\r\nAccept: */*\r\n\r\n`,
        );
        let buffer = Buffer.alloc(0);
        let sent = 0n;
        let count = 0;
        const send = () => {
          if (Date.now() >= deadline || count > limit) {
            socket.end();
            resolve();
            return;
          }
          sent = process.hrtime.bigint();
          socket.write(wire);
        };
        socket.on('secureConnect', send);
        socket.on('data', chunk => {
          buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
          const headerEnd = buffer.indexOf('\r\n\r\n');
          if (headerEnd < 0) return;
          const head = buffer.subarray(0, headerEnd).toString('latin1');
          const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
          if (buffer.length < headerEnd + 4 + length) return;
          buffer = buffer.subarray(headerEnd + 4 + length);
          // The first answer also paid for the TLS handshake: not a round trip.
          if (!head.startsWith('HTTP/1.1 200')) errors++;
          else if (count > 0)
            sink.push(Number(process.hrtime.bigint() - sent) / 1e6);
          count++;
          send();
        });
        socket.setTimeout(10_000, () => socket.destroy(new Error('timeout')));
        socket.on('error', () => {
          errors++;
          resolve();
        });
      });
    // Unloaded baseline: one client, one cluster, sequential round trips.
    const baseline = [];
    await loop(targets[0], 2000, baseline);
    baseline.sort((a, b) => a - b);
    deadline = Date.now() + seconds * 1000;
    const warm = Date.now();
    await Promise.all(targets.map(t => loop(t).catch(() => errors++)));
    const elapsed = (Date.now() - warm) / 1000;
    const sorted = latencies.sort((a, b) => a - b);
    process.send({
      unloadedBaseline: {
        requests: baseline.length,
        p50Ms: round(percentile(baseline, 50)),
        p99Ms: round(percentile(baseline, 99)),
      },
      requests: sorted.length,
      errors,
      seconds: Math.round(elapsed * 10) / 10,
      rps: Math.round(sorted.length / Math.max(1e-9, elapsed)),
      p50Ms: round(percentile(sorted, 50)),
      p90Ms: round(percentile(sorted, 90)),
      p99Ms: round(percentile(sorted, 99)),
      maxMs: round(sorted[sorted.length - 1] ?? null),
    });
    process.disconnect();
  });
} else {
  // ---- fleet (this process) ---------------------------------------------------------------------
  const require = createRequire(import.meta.url);
  const root = path.resolve(path.dirname(here), '..', '..');
  // The same TypeScript loader as the kube-emulator CLI.
  require(path.join(
    root,
    'packages',
    'kube-emulator',
    'bin',
    'register-ts.cjs',
  ));
  const { startFleet } = require(path.join(
    root,
    'packages',
    'kube-emulator',
    'src',
    'index.ts',
  ));

  const clusters = Number(values.clusters);
  const seconds = Number(values.seconds);
  const mb = bytes => Math.round(bytes / 1024 / 1024);
  const rssBefore = process.memoryUsage().rss;

  const started = performance.now();
  const fleet = await startFleet({ clusters, nodes: 3, adminPort: null });
  const startMs = Math.round(performance.now() - started);
  global.gc?.();
  const rssAfterStart = process.memoryUsage().rss;

  let peakRss = rssAfterStart;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 250);
  const poller = fork(here, ['--poller'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const result = await new Promise((resolve, reject) => {
    poller.once('message', resolve);
    poller.once('exit', code =>
      reject(new Error(`poller exited with ${code}`)),
    );
    poller.send({
      seconds,
      targets: fleet.clusters.map(c => ({
        url: c.url,
        caData: c.caData,
        token: c.tokens.probe,
      })),
    });
  });
  clearInterval(sampler);

  const stopStarted = performance.now();
  await fleet.stop();
  const stopMs = Math.round(performance.now() - stopStarted);

  process.stdout.write(
    `${JSON.stringify({
      bench: 'kube-emulator-fleet',
      clusters,
      nodesPerCluster: 3,
      startMs,
      startGoalMs: 10_000,
      rssMbBefore: mb(rssBefore),
      rssMbAfterStart: mb(rssAfterStart),
      rssMbPeakWhilePolled: mb(peakRss),
      rssGoalMb: 1536,
      readyzWhileAllPolled: { concurrency: clusters, ...result },
      stopMs,
      node: process.version,
      cpus: os.cpus().length,
    })}\n`,
  );
  process.exit(startMs < 10_000 && peakRss < 1536 * 1024 * 1024 ? 0 : 1);
}
