/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Benchmark: dev-small on the local cloud with the real built-in drivers (an
// emulated cluster, a database on embedded PostgreSQL, a bucket on the
// in-process S3 store, a local network), create -> ready and destroy, wall
// time. The first create is "cold" (it starts embedded PostgreSQL and the S3
// store); the next runs are warm. Goal: create -> ready under 10 s.
// Prints one JSON line. Bounded: the whole run stops after 5 minutes.
//
//   node test/bench/environments-local.mjs [--runs 3]
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const require = createRequire(path.join(repoRoot, 'package.json'));
// The packages are TypeScript sources: load them through Backstage's node transform.
require('@backstage/cli/config/nodeTransform.cjs');

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '3' } },
});
const RUNS = Number(args.runs);
const GOAL_MS = 10_000;

const watchdog = setTimeout(() => {
  console.error('environments-local: gave up after 5 minutes');
  process.exit(2);
}, 5 * 60_000);
watchdog.unref();

const env = require(path.join(
  repoRoot,
  'plugins/multicluster-backend/src/environments/index.ts',
));
const local = require(path.join(
  repoRoot,
  'plugins/multicluster-backend-module-local/src/index.ts',
));
const { ConfigReader } = require('@backstage/config');
const { resolvePackagePath } = require('@backstage/backend-plugin-api');
const {
  createEnvironmentRequestSchema,
} = require('@archipelago/multicluster-common');
const knex = require('knex');

const quiet = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child: () => quiet,
};
const SECRET_KEY = 'benchmark-only-key-0123456789abcdef0123456789';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'archi-bench-env-'));
fs.chmodSync(dataDir, 0o755); // embedded PostgreSQL runs as the postgres user when we are root
const db = knex({
  client: 'better-sqlite3',
  connection: { filename: ':memory:' },
  useNullAsDefault: true,
});

async function main() {
  await db.migrate.latest({
    directory: resolvePackagePath(
      '@archipelago/multicluster-backend',
      'migrations',
    ),
  });
  const rootConfig = new ConfigReader({
    multicluster: {
      environments: { secretKey: SECRET_KEY, dataDir, local: true },
    },
  });
  // What the local module contributes through the drivers extension point.
  const config = env.readEnvironmentsConfig(rootConfig, {
    templates: local.LOCAL_COMPONENT_TEMPLATES,
    mappings: Object.fromEntries(
      Object.entries(local.LOCAL_ENVIRONMENT_TYPE_MAPPINGS).map(
        ([type, mapping]) => [type, { local: mapping }],
      ),
    ),
  });
  const drivers = local.createLocalDrivers({
    settings: local.readLocalDriversConfig(rootConfig),
    database: db,
    logger: quiet,
  });
  const store = new env.EnvironmentStore(db);
  const engine = new env.EnvironmentEngine({
    store,
    catalog: env.EnvironmentCatalog.build(
      config,
      new env.DriverRegistry(drivers),
    ),
    secrets: new env.SecretBox(SECRET_KEY),
    logger: quiet,
    settings: {
      resourcePrefix: 'bench',
      leaseSeconds: 30,
      componentTimeoutMinutes: 5,
    },
  });

  async function settle(name) {
    for (let i = 0; i < 6000; i++) {
      await engine.idle();
      const record = await store.get(name);
      if (record && ['ready', 'failed', 'destroyed'].includes(record.status))
        return record;
      await new Promise(r => setTimeout(r, 10));
    }
    throw new Error(`${name} did not settle`);
  }

  const creates = [];
  const destroys = [];
  for (let run = 0; run < RUNS + 1; run++) {
    const name = `bench-${run}`;
    let t = performance.now();
    await engine.create(
      createEnvironmentRequestSchema.parse({
        name,
        type: 'dev-small',
        cloud: 'local',
        owner: 'group:default/bench',
      }),
    );
    const ready = await settle(name);
    if (ready.status !== 'ready')
      throw new Error(`${name}: ${ready.status}: ${ready.reason}`);
    creates.push(performance.now() - t);
    t = performance.now();
    await engine.destroy(name);
    const gone = await settle(name);
    if (gone.status !== 'destroyed')
      throw new Error(`${name}: ${gone.status}: ${gone.reason}`);
    destroys.push(performance.now() - t);
  }
  await engine.shutdown();
  await Promise.all(drivers.map(d => d.shutdown?.()));

  const warm = creates.slice(1).sort((a, b) => a - b);
  const warmDestroys = destroys.slice(1).sort((a, b) => a - b);
  const ms = v => Math.round(v);
  const result = {
    benchmark: 'environments-local-dev-small',
    runs: RUNS,
    coldCreateMs: ms(creates[0]),
    createMedianMs: ms(warm[Math.floor(warm.length / 2)]),
    createMaxMs: ms(warm[warm.length - 1]),
    coldDestroyMs: ms(destroys[0]),
    destroyMedianMs: ms(warmDestroys[Math.floor(warmDestroys.length / 2)]),
    destroyMaxMs: ms(warmDestroys[warmDestroys.length - 1]),
    goalMs: GOAL_MS,
    pass: Math.max(...creates) < GOAL_MS,
  };
  console.log(JSON.stringify(result));
}

main()
  .catch(error => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await db.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
    clearTimeout(watchdog);
  });
