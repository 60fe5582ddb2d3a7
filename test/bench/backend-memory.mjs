/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// RSS of the built backend (`npm run build:backend`, production install, NODE_ENV=production,
// embedded PostgreSQL) watching no cluster, then N (default 10,000) light emulated clusters in
// worker processes, every one probed (and being published to the catalog). Each run gets its own
// databases. Reports both RSS figures (once the inventory settled: median and highest of one
// sample a second over `--settle` seconds, by default three probe intervals) and the difference
// of the medians as a ratio to the goal of 300 MB. Random ports only (never 7007).
// Which build: --app DIR (an installed bundle), else dist-backend/ of this checkout when it
// holds one, else packages/backend/dist/*.tar.gz installed into dist-backend/ (npm install
// --omit=dev), else a fresh `npm run build:backend` (slow: minutes). It says which it used.
// Usage: node test/bench/backend-memory.mjs [--clusters N] [--settle S] [--app DIR]
//   [--node-options='...'] (passed to the backend as NODE_OPTIONS) [--keep] (keeps its logs)
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const { values: opts } = parseArgs({
  options: {
    clusters: { type: 'string', default: '10000' },
    settle: { type: 'string', default: '180' },
    'latency-ms': { type: 'string', default: '20' },
    app: { type: 'string' },
    // For diagnosis, e.g. '--heapsnapshot-signal=SIGUSR2' or a --require of a sampler.
    'node-options': { type: 'string' },
    // Keeps the working folder (the backend's and the fleet's logs, the kubeconfig).
    keep: { type: 'boolean', default: false },
  },
});
const CLUSTERS = Number(opts.clusters);
const SETTLE_MS = Number(opts.settle) * 1000;
const started = Date.now();
const log = text =>
  console.error(
    `[backend-memory +${((Date.now() - started) / 1000).toFixed(0)}s] ${text}`,
  );
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-backend-memory-'));
// Embedded PostgreSQL refuses to run as root and then runs as `postgres`: let it write here.
fs.chmodSync(tmp, 0o777);
const children = new Set();

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts a child logging to a file; resolves once `ready()` is true. */
async function start(name, args, { env, cwd, ready, timeoutMs = 300_000 }) {
  const logFile = path.join(tmp, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, args, {
    cwd,
    env,
    stdio: ['pipe', out, out],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const read = () => fs.readFileSync(logFile, 'utf8');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(
        `${name} exited with ${child.exitCode}:\n${read().slice(-3000)}`,
      );
    if (await ready(read())) return child;
    await sleep(500);
  }
  throw new Error(
    `${name} not ready within ${timeoutMs} ms:\n${read().slice(-3000)}`,
  );
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise(r => child.once('exit', r));
  child.stdin.end();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

function rssMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
  } catch {
    return 0;
  }
}

/** An installed bundle to run, and how it was obtained. */
function resolveApp() {
  const installed = dir =>
    fs.existsSync(path.join(dir, 'packages', 'backend', 'package.json'));
  if (opts.app) return { app: path.resolve(opts.app), build: 'given (--app)' };
  const dist = path.join(root, 'dist-backend');
  if (installed(dist))
    return { app: dist, build: 'reused dist-backend/ (not rebuilt)' };
  // Installed where `npm run build:backend` installs (gitignored), so the next run reuses it.
  const app = dist;
  const bundles = path.join(root, 'packages', 'backend', 'dist');
  if (fs.existsSync(path.join(bundles, 'bundle.tar.gz'))) {
    const run = spawnSync(
      'sh',
      [path.join(root, 'scripts/install-backend-bundle.sh'), bundles, app],
      {
        cwd: root,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    if (run.status !== 0)
      throw new Error('installing the existing bundle failed');
    return {
      app,
      build: 'reused packages/backend/dist bundle (installed, not rebuilt)',
    };
  }
  const run = spawnSync('npm', ['run', 'build:backend', '--', '--out', app], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (run.status !== 0) throw new Error('npm run build:backend failed');
  return { app, build: 'built now (npm run build:backend)' };
}

async function main() {
  log('resolving the built backend');
  const { app, build } = resolveApp();
  const pgPort = await freePort();
  const pgPassword = randomBytes(12).toString('hex');
  await start(
    'postgres',
    [
      path.join(
        root,
        'plugins/multicluster-node-test-utils/jest/embedded-postgres.mjs',
      ),
      path.join(tmp, 'pgdata'),
      String(pgPort),
      pgPassword,
    ],
    { env: process.env, cwd: root, ready: out => out.includes('"ready":true') },
  );
  log(`fleet of ${CLUSTERS} light clusters in 2 workers`);
  const kubeconfig = path.join(tmp, 'kubeconfig.yaml');
  const t0 = Date.now();
  await start(
    'fleet',
    [
      path.join(root, 'packages/kube-emulator/bin/kube-emulator'),
      '--clusters',
      String(CLUSTERS),
      '--workers',
      '2',
      '--latency-ms',
      opts['latency-ms'],
      '--nodes',
      '2',
      '--admin-port',
      'off',
      '--kubeconfig',
      kubeconfig,
      '--quiet',
    ],
    { env: process.env, cwd: root, ready: () => fs.existsSync(kubeconfig) },
  );
  const fleetStartSeconds = (Date.now() - t0) / 1000;
  const token = randomBytes(24).toString('hex');
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? tmp,
    NODE_ENV: 'production',
    BACKEND_SECRET: randomBytes(32).toString('hex'),
    POSTGRES_HOST: '127.0.0.1',
    POSTGRES_PORT: String(pgPort),
    POSTGRES_USER: 'postgres',
    POSTGRES_PASSWORD: pgPassword,
    ARCHIPELAGO_ENVIRONMENTS_SECRET_KEY: randomBytes(32).toString('hex'),
    AUTH_GITHUB_CLIENT_ID: 'bench-client',
    AUTH_GITHUB_CLIENT_SECRET: 'bench-secret',
    ...(opts['node-options'] ? { NODE_OPTIONS: opts['node-options'] } : {}),
  };

  /** One backend run: started, waited for `settled`, then RSS sampled over the settle time. */
  const run = async (name, providers, settled) => {
    const configFile = `app-config.${name}.yaml`;
    fs.writeFileSync(
      path.join(app, configFile),
      [
        '# Written by test/bench/backend-memory.mjs.',
        'backend:',
        '  auth:',
        '    externalAccess:',
        '      - type: static',
        `        options: { token: ${token}, subject: backend-memory-bench }`,
        // Each run its own databases: the scheduler keeps global tasks' next start across
        // restarts, so a shared database would make this run wait for the last one's cadence.
        '  database:',
        `    prefix: bench_${name}_`,
        'permission:',
        '  enabled: false',
        'multicluster:',
        '  providers:',
        `    ${providers}`,
        '  health: { intervalSeconds: 60, timeoutSeconds: 5 }',
        '  discovery: { intervalSeconds: 300 }',
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const t = Date.now();
    const child = await start(
      `backend-${name}`,
      [
        'packages/backend',
        '--config',
        'app-config.yaml',
        '--config',
        'app-config.production.yaml',
        '--config',
        configFile,
      ],
      {
        cwd: app,
        env: {
          ...env,
          APP_BASE_URL: url,
          APP_CONFIG_backend_listen: `:${port}`,
        },
        ready: async () => {
          try {
            return (await fetch(`${url}/.backstage/health/v1/readiness`)).ok;
          } catch {
            return false;
          }
        },
      },
    );
    const api = async p => {
      const res = await fetch(`${url}${p}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!res.ok) throw new Error(`${name} ${p}: HTTP ${res.status}`);
      return res.json();
    };
    const deadline = Date.now() + 600_000;
    let peak = 0;
    const settledNow = async () => {
      if (child.exitCode !== null)
        throw new Error(`${name}: the backend exited with ${child.exitCode}`);
      try {
        return await settled(api);
      } catch {
        return false; // busy or restarting a route: ask again
      }
    };
    while (!(await settledNow())) {
      peak = Math.max(peak, rssMb(child.pid));
      if (Date.now() > deadline)
        throw new Error(`${name}: inventory did not settle in 10 minutes`);
      await sleep(1000);
    }
    const settledSeconds = (Date.now() - t) / 1000;
    // Sampled over the settle window (by default three probe intervals): RSS rises while a
    // round runs and falls after it, so one sample says more about when it was taken.
    const samples = [];
    const until = Date.now() + SETTLE_MS;
    while (Date.now() < until) {
      samples.push(rssMb(child.pid));
      await sleep(1000);
    }
    await stop(child);
    samples.sort((a, b) => a - b);
    return {
      settledSeconds: Math.round(settledSeconds),
      rssPeakBeforeSettledMb: peak,
      rssMedianMb: samples[Math.floor(samples.length / 2)],
      rssPeakMb: samples[samples.length - 1],
    };
  };

  log('backend with no cluster');
  const none = await run(
    'none',
    'config: []',
    async api => (await api('/api/multicluster/summary')).totalClusters === 0,
  );
  log(`backend with ${CLUSTERS} clusters`);
  const withFleet = await run(
    'fleet',
    `kubeconfig: [{ file: ${JSON.stringify(kubeconfig)} }]`,
    async api => {
      const summary = await api('/api/multicluster/summary');
      return (
        summary.totalClusters === CLUSTERS &&
        summary.byHealth.healthy === CLUSTERS
      );
    },
  );
  const aboveMb = withFleet.rssMedianMb - none.rssMedianMb;
  console.log(
    JSON.stringify({
      bench: 'backend-memory',
      clusters: CLUSTERS,
      build,
      rssNoneMedianMb: none.rssMedianMb,
      rssNonePeakMb: none.rssPeakMb,
      rssWithClustersMedianMb: withFleet.rssMedianMb,
      rssWithClustersPeakMb: withFleet.rssPeakMb,
      rssPeakWhileSettlingMb: withFleet.rssPeakBeforeSettledMb,
      aboveMb,
      peakAboveMb: withFleet.rssPeakMb - none.rssMedianMb,
      goalAboveMb: 300,
      ratio: Math.round((aboveMb / 300) * 100) / 100,
      secondsUntilAllProbedHealthy: withFleet.settledSeconds,
      settleSeconds: SETTLE_MS / 1000,
      fleetStartSeconds: Math.round(fleetStartSeconds),
    }),
  );
}

try {
  await main();
} finally {
  for (const child of children) child.kill('SIGTERM');
  await sleep(2000);
  for (const child of children) child.kill('SIGKILL');
  if (opts.keep) console.error(`[backend-memory] kept ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
}
