#!/usr/bin/env node
/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Production smoke test (CI runs it from .ci/run), following the README's production path:
//  1. `npm run build:backend` into a fresh folder (the built bundle, production install);
//  2. embedded PostgreSQL and an emulated fleet (kube-emulator CLI, worker processes);
//  3. two replicas of the built backend with NODE_ENV=production and the production config;
//  4. both serve the frontend and one inventory; every cluster gets probed;
//  5. one replica is killed (SIGKILL) in the middle of a probe round; the other must run the
//     next round within two probe intervals of the kill;
//  6. a backend started without POSTGRES_PASSWORD exits non-zero, naming it.
// Prints one JSON line of figures (build time, takeover time, RSS). Options:
//   --clusters N (default 300)  --interval S (default 10)  --latency-ms X (default 300)
//   --app DIR (reuse an installed bundle, skip the build)  --keep (keep the temp folder)
//   --settle S (seconds to wait before measuring RSS, default 0)
//   --measure (stop after measuring RSS: no kill, no missing-secret check; for the figures
//   of the README, e.g. --clusters 10000 --interval 60 --latency-ms 20 --settle 120)
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const pg = require('pg');

const { values: opts } = parseArgs({
  options: {
    clusters: { type: 'string', default: '300' },
    interval: { type: 'string', default: '10' },
    'latency-ms': { type: 'string', default: '300' },
    app: { type: 'string' },
    keep: { type: 'boolean', default: false },
    settle: { type: 'string', default: '0' },
    measure: { type: 'boolean', default: false },
  },
});
const CLUSTERS = Number(opts.clusters);
const INTERVAL_S = Number(opts.interval);
const started = Date.now();
const log = text =>
  console.error(
    `[smoke +${((Date.now() - started) / 1000).toFixed(1)}s] ${text}`,
  );
const figures = { clusters: CLUSTERS, probeIntervalSeconds: INTERVAL_S };
const children = new Set();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'archipelago-smoke-'));
// Embedded PostgreSQL refuses to run as root and then runs as `postgres`: let it write here.
fs.chmodSync(tmp, 0o777);

function fail(message) {
  throw new Error(message);
}

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

/** Starts a child with its output in a log file; resolves once `ready(output)` is true. */
function start(
  name,
  cmd,
  args,
  { env, cwd, ready, timeoutMs = 120_000, gentle = false },
) {
  const logFile = path.join(tmp, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, {
    cwd,
    env,
    stdio: ['pipe', out, out],
  });
  child.gentle = gentle;
  children.add(child);
  child.once('exit', () => children.delete(child));
  const read = () => fs.readFileSync(logFile, 'utf8');
  const handle = { name, child, logFile, read };
  if (!ready) return Promise.resolve(handle);
  return (async () => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        fail(`${name} exited with ${child.exitCode}:\n${read().slice(-3000)}`);
      }
      if (await ready(read())) return handle;
      await sleep(250);
    }
    fail(`${name} not ready within ${timeoutMs} ms:\n${read().slice(-3000)}`);
    return handle;
  })();
}

/** Backends are killed; PostgreSQL and the fleet stop cleanly (their own children too). */
async function stopAll() {
  const gentle = [];
  for (const child of children) {
    if (child.exitCode !== null) continue;
    if (child.gentle) {
      child.stdin.end();
      child.kill('SIGTERM');
      gentle.push(
        new Promise(resolve => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, 20_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        }),
      );
    } else {
      child.kill('SIGKILL');
    }
  }
  await Promise.all(gentle);
}

async function rssMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
  } catch {
    return undefined;
  }
}

async function main() {
  // 1. Build and install, as the README says.
  let app = opts.app && path.resolve(opts.app);
  if (!app) {
    app = path.join(tmp, 'app');
    log('npm run build:backend');
    const t0 = Date.now();
    const build = spawnSync(
      'npm',
      ['run', 'build:backend', '--', '--out', app],
      { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (build.status !== 0)
      fail(`npm run build:backend exited ${build.status}`);
    figures.buildAndInstallSeconds = Math.round((Date.now() - t0) / 1000);
  }

  // 2. PostgreSQL and the fleet.
  const pgPort = await freePort();
  const pgPassword = randomBytes(12).toString('hex');
  log(`embedded PostgreSQL on ${pgPort}`);
  await start(
    'postgres',
    process.execPath,
    [
      path.join(
        root,
        'plugins/multicluster-node-test-utils/jest/embedded-postgres.mjs',
      ),
      path.join(tmp, 'pgdata'),
      String(pgPort),
      pgPassword,
    ],
    {
      env: process.env,
      cwd: root,
      ready: out => out.includes('"ready":true'),
      gentle: true,
    },
  );

  const kubeconfig = path.join(tmp, 'kubeconfig.yaml');
  if (CLUSTERS > 0) {
    log(
      `kube-emulator: ${CLUSTERS} clusters, ${opts['latency-ms']} ms latency`,
    );
    await start(
      'fleet',
      process.execPath,
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
      {
        env: process.env,
        cwd: root,
        ready: () => fs.existsSync(kubeconfig),
        timeoutMs: 180_000,
        gentle: true,
      },
    );
  }

  // 3. Two replicas of the built backend, production config plus the test's clusters.
  const token = randomBytes(24).toString('hex');
  fs.writeFileSync(
    path.join(app, 'app-config.smoke.yaml'),
    [
      '# Written by test/production-smoke.mjs: the fleet to watch, a short probe interval,',
      '# and a static token for the test (there is no user sign-in in CI, so the',
      '# permission framework is off and the test reads as a service).',
      'backend:',
      '  auth:',
      '    externalAccess:',
      '      - type: static',
      `        options: { token: ${token}, subject: production-smoke-test }`,
      'permission:',
      '  enabled: false',
      'multicluster:',
      '  providers:',
      CLUSTERS > 0
        ? `    kubeconfig: [{ file: ${JSON.stringify(kubeconfig)} }]`
        : '    config: []',
      `  health: { intervalSeconds: ${INTERVAL_S}, timeoutSeconds: 5 }`,
      '  discovery: { intervalSeconds: 300 }',
      '',
    ].join('\n'),
  );
  const baseEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? tmp,
    NODE_ENV: 'production',
    BACKEND_SECRET: randomBytes(32).toString('hex'),
    POSTGRES_HOST: '127.0.0.1',
    POSTGRES_PORT: String(pgPort),
    POSTGRES_USER: 'postgres',
    POSTGRES_PASSWORD: pgPassword,
    ARCHIPELAGO_ENVIRONMENTS_SECRET_KEY: randomBytes(32).toString('hex'),
    AUTH_GITHUB_CLIENT_ID: 'smoke-test-client',
    AUTH_GITHUB_CLIENT_SECRET: 'smoke-test-secret',
  };
  const configArgs = [
    'packages/backend',
    '--config',
    'app-config.yaml',
    '--config',
    'app-config.production.yaml',
    '--config',
    'app-config.smoke.yaml',
  ];
  const startReplica = async name => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const replica = await start(name, process.execPath, configArgs, {
      cwd: app,
      env: {
        ...baseEnv,
        APP_BASE_URL: url,
        APP_CONFIG_backend_listen: `:${port}`,
      },
      ready: async () => {
        try {
          const res = await fetch(`${url}/.backstage/health/v1/readiness`);
          return res.ok;
        } catch {
          return false;
        }
      },
      timeoutMs: 180_000,
    });
    return { ...replica, url };
  };
  log('starting two replicas');
  const t0 = Date.now();
  const replicas = [
    await startReplica('replica-a'),
    await startReplica('replica-b'),
  ];
  figures.startupSeconds = Math.round((Date.now() - t0) / 2000);
  const api = async (replica, p, init = {}) => {
    const res = await fetch(`${replica.url}/api/multicluster${p}`, {
      ...init,
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok)
      fail(`${replica.name} ${p}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };

  // 4. The frontend is served, and both replicas serve one inventory, every cluster probed.
  for (const replica of replicas) {
    const res = await fetch(`${replica.url}/`);
    const html = await res.text();
    if (!res.ok || !html.includes('<div id="root">')) {
      fail(`${replica.name} does not serve the app: HTTP ${res.status}`);
    }
  }
  log('waiting until every cluster is probed');
  let pages;
  const deadline = Date.now() + Math.max(180_000, CLUSTERS * 50);
  for (;;) {
    pages = await Promise.all(replicas.map(r => api(r, '/summary')));
    if (
      pages.every(
        s => s.totalClusters === CLUSTERS && s.byHealth.healthy === CLUSTERS,
      )
    )
      break;
    if (Date.now() > deadline) {
      fail(`inventory not healthy in time: ${JSON.stringify(pages)}`);
    }
    await sleep(1000);
  }
  const lists = await Promise.all(
    replicas.map(r => api(r, '/clusters?limit=500&sort=name')),
  );
  const ids = lists.map(l => l.items.map(c => c.id).join(','));
  if (ids[0] !== ids[1]) fail('the two replicas serve different inventories');
  log(`both replicas serve ${CLUSTERS} healthy clusters`);
  figures.rssMb = {};
  for (const r of replicas) figures.rssMb[r.name] = await rssMb(r.child.pid);
  if (Number(opts.settle) > 0) {
    // Highest and last RSS over the settle period, probe rounds running.
    const peak = {};
    const until = Date.now() + Number(opts.settle) * 1000;
    while (Date.now() < until) {
      for (const r of replicas) {
        peak[r.name] = Math.max(
          peak[r.name] ?? 0,
          (await rssMb(r.child.pid)) ?? 0,
        );
      }
      await sleep(1000);
    }
    figures.rssPeakMb = peak;
    figures.rssSettledMb = {};
    for (const r of replicas) {
      figures.rssSettledMb[r.name] = await rssMb(r.child.pid);
    }
  }
  if (opts.measure) {
    console.log(
      JSON.stringify({ smoke: 'production', measure: true, ...figures }),
    );
    return;
  }

  // The multicluster plugin's own database (Backstage gives each plugin one).
  const db = new pg.Client({
    host: '127.0.0.1',
    port: pgPort,
    user: 'postgres',
    password: pgPassword,
    database: 'backstage_plugin_multicluster',
  });
  db.on('error', () => {}); // PostgreSQL stops at the end; nothing to do then
  await db.connect();

  // 5. Kill the replica running a probe round, in the middle of it.
  log('waiting for a probe round in progress');
  const byPid = new Map(replicas.map(r => [String(r.child.pid), r]));
  let victim;
  let round;
  const roundDeadline = Date.now() + 10 * INTERVAL_S * 1000;
  while (!victim) {
    const { rows } = await db.query(
      `select r.id, r.runner, r.started_at from multicluster_probe_rounds r
        join multicluster_task_runs t on t.task_id = 'multicluster-probe' and t.runner = r.runner
       where r.finished_at is null and t.finished_at is null
         and r.started_at < $1 order by r.id desc limit 1`,
      [Date.now() - 300],
    );
    const pid = rows[0]?.runner.split('-').slice(-2, -1)[0];
    if (rows[0] && byPid.has(pid)) {
      victim = byPid.get(pid);
      round = rows[0];
    } else if (Date.now() > roundDeadline) {
      fail('no probe round in progress was seen');
    } else {
      await sleep(50);
    }
  }
  const survivor = replicas.find(r => r !== victim);
  victim.child.kill('SIGKILL');
  const killedAt = Date.now();
  log(`killed ${victim.name} during probe round ${round.id}`);
  let next;
  while (!next) {
    const { rows } = await db.query(
      `select id, runner, started_at, finished_at from multicluster_probe_rounds
        where id > $1 and finished_at is not null order by id limit 1`,
      [round.id],
    );
    if (rows[0]) next = rows[0];
    else if (Date.now() - killedAt > 4 * INTERVAL_S * 1000) {
      fail(`no probe round finished within ${4 * INTERVAL_S} s of the kill`);
    } else await sleep(200);
  }
  figures.takeoverSeconds = Number(
    ((Number(next.started_at) - killedAt) / 1000).toFixed(1),
  );
  figures.nextRoundFinishedSeconds = Number(
    ((Number(next.finished_at) - killedAt) / 1000).toFixed(1),
  );
  log(
    `${survivor.name} started round ${next.id} ${figures.takeoverSeconds} s after the kill, finished it at ${figures.nextRoundFinishedSeconds} s`,
  );
  if (!next.runner.includes(`-${survivor.child.pid}-`)) {
    fail(`round ${next.id} ran on ${next.runner}, not on the survivor`);
  }
  if (figures.takeoverSeconds > 2 * INTERVAL_S) {
    fail(
      `the survivor took over after ${figures.takeoverSeconds} s (> 2 intervals)`,
    );
  }
  const summary = await api(survivor, '/summary');
  if (summary.byHealth.healthy !== CLUSTERS) {
    fail(`after the takeover: ${JSON.stringify(summary.byHealth)}`);
  }
  const refresh = await api(survivor, '/clusters/refresh', { method: 'POST' });
  if (!['accepted', 'running'].includes(refresh.status)) {
    fail(`refresh answered ${JSON.stringify(refresh)}`);
  }
  log(`refresh: ${refresh.message}`);

  // 6. A missing secret stops the backend, naming it.
  const { POSTGRES_PASSWORD: _unset, ...withoutPassword } = baseEnv;
  const bad = spawnSync(process.execPath, configArgs, {
    cwd: app,
    env: { ...withoutPassword, APP_BASE_URL: 'http://127.0.0.1:1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (bad.status === 0 || bad.status === null) {
    fail(`without POSTGRES_PASSWORD the backend exited ${bad.status}`);
  }
  if (!/Backend failed to start:[\s\S]*POSTGRES_PASSWORD/.test(bad.stderr)) {
    fail(
      `the failure does not name POSTGRES_PASSWORD:\n${bad.stderr.slice(
        -2000,
      )}`,
    );
  }
  log(`without POSTGRES_PASSWORD: exit ${bad.status}, naming it`);

  await db.end();
  console.log(JSON.stringify({ smoke: 'production', ok: true, ...figures }));
}

try {
  await main();
} catch (error) {
  console.error(`production smoke test failed: ${error.message}`);
  console.error(`logs are in ${tmp}`);
  process.exitCode = 1;
} finally {
  await stopAll();
  if (!opts.keep && process.exitCode !== 1) {
    await sleep(500);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
