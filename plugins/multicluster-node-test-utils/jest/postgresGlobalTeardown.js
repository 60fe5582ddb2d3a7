/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Jest global teardown: stops the embedded PostgreSQL of postgresGlobalSetup.js
// (only in the run that started it) and removes its data.
const fs = require('node:fs');

module.exports = async function postgresGlobalTeardown() {
  const started = globalThis.__archipelagoTestPostgres;
  if (!started) return;
  globalThis.__archipelagoTestPostgres = undefined;
  delete process.env.BACKSTAGE_TEST_DATABASE_POSTGRES18_CONNECTION_STRING;
  const { child, dir } = started;
  if (child.exitCode === null) {
    const exited = new Promise(resolve => child.once('exit', resolve));
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  fs.rmSync(dir, { recursive: true, force: true });
};
