/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Shared helpers of the inventory benchmarks (not a benchmark itself: the leading `_`
// keeps run.mjs from running it). TypeScript sources load through the Backstage CLI's
// node transform, as packages/kube-emulator/bin does.
import { spawn } from 'node:child_process';
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

/**
 * Starts embedded PostgreSQL in a child process with the launcher the tests use
 * (the jest global setup of multicluster-node-test-utils).
 */
export async function startPostgres() {
  const lib = path.join(root, 'plugins/multicluster-node-test-utils/jest');
  const { default: setup } = await import(
    path.join(lib, 'postgresGlobalSetup.js')
  );
  const { default: teardown } = await import(
    path.join(lib, 'postgresGlobalTeardown.js')
  );
  const variable = 'BACKSTAGE_TEST_DATABASE_POSTGRES18_CONNECTION_STRING';
  delete process.env[variable];
  await setup();
  const url = new URL(process.env[variable]);
  return {
    connection: {
      host: url.hostname,
      port: Number(url.port),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: 'postgres',
    },
    stop: () => teardown(),
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
