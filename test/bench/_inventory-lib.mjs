/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Shared helpers of the inventory benchmarks (not a benchmark itself: the leading `_`
// keeps run.mjs from running it). TypeScript sources load through the Backstage CLI's
// node transform, as packages/kube-emulator/bin does.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const require = createRequire(import.meta.url);
require('@backstage/cli/config/nodeTransform.cjs');

export const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
);
export const backend = p =>
  path.join(root, 'plugins', 'multicluster-backend', p);

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return sorted[Math.max(0, i)];
}

export const round = (n, digits = 2) =>
  Math.round(n * 10 ** digits) / 10 ** digits;

/** Starts embedded PostgreSQL in a child process (same launcher as the tests). */
export async function startPostgres() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pg-'));
  fs.chmodSync(dir, 0o777);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const child = spawn(
    process.execPath,
    [
      path.join(
        root,
        'plugins/multicluster-node-test-utils/jest/embedded-postgres.mjs',
      ),
      path.join(dir, 'data'),
      String(port),
      password,
    ],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => reject(new Error('PostgreSQL did not start in 60 s')),
      60_000,
    );
    child.stdout.on('data', d => {
      buffer += d;
      if (buffer.includes('\n')) {
        clearTimeout(timer);
        resolve(buffer.split('\n')[0]);
      }
    });
    child.once('exit', code =>
      reject(new Error(`PostgreSQL exited with ${code}`)),
    );
  });
  const ready = JSON.parse(line);
  if (!ready.ready) throw new Error(`PostgreSQL did not start: ${ready.error}`);
  child.removeAllListeners('exit');
  return {
    connection: {
      host: '127.0.0.1',
      port,
      user: 'postgres',
      password,
      database: 'postgres',
    },
    async stop() {
      const exited = new Promise(r => child.once('exit', r));
      child.stdin.end();
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs the kube-emulator CLI in its own process (the other core) until stop(). */
export async function startEmulatorFleet(args) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fleet-'));
  const kubeconfig = path.join(dir, 'kubeconfig.yaml');
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'packages', 'kube-emulator', 'bin', 'kube-emulator'),
      '--kubeconfig',
      kubeconfig,
      '--admin-port',
      'off',
      '--quiet',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const deadline = Date.now() + 300_000;
  while (!fs.existsSync(kubeconfig)) {
    if (child.exitCode !== null)
      throw new Error(`kube-emulator exited with ${child.exitCode}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        'kube-emulator did not write its kubeconfig within 300 s',
      );
    }
    await new Promise(r => setTimeout(r, 200));
  }
  // The file is written atomically once every cluster listens.
  return {
    kubeconfig,
    async stop() {
      const exited = new Promise(r =>
        child.exitCode !== null ? r() : child.once('exit', r),
      );
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(t);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const silentLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
