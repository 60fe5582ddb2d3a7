/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Benchmark: production on aws (VPC over three zones, EKS with a node group,
// multi-AZ RDS PostgreSQL, a versioned S3 bucket) against moto_server,
// create -> ready and destroy, wall time. moto answers at once, so this
// measures the engine, the drivers' API calls and their status polling
// (every 0.25 s here). Goal: create -> ready under 20 s. Prints one JSON line.
// Bounded: the whole run stops after 5 minutes.
//
//   node test/bench/environments-aws.mjs [--runs 3]
import { createRequire } from 'node:module';
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
const GOAL_MS = 20_000;

const watchdog = setTimeout(() => {
  console.error('environments-aws: gave up after 5 minutes');
  process.exit(2);
}, 5 * 60_000);
watchdog.unref();

const env = require(path.join(
  repoRoot,
  'plugins/multicluster-backend/src/environments/index.ts',
));
const aws = require(path.join(
  repoRoot,
  'plugins/multicluster-backend-module-aws/src/drivers/index.ts',
));
const awsTemplates = require(path.join(
  repoRoot,
  'plugins/multicluster-backend-module-aws/src/drivers/templates.ts',
));
const { startMoto } = require(path.join(
  repoRoot,
  'plugins/multicluster-backend-module-aws/src/__testUtils__/moto.ts',
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
const db = knex({
  client: 'better-sqlite3',
  connection: { filename: ':memory:' },
  useNullAsDefault: true,
});
let moto;

async function main() {
  moto = await startMoto();
  await db.migrate.latest({
    directory: resolvePackagePath(
      '@archipelago/multicluster-backend',
      'migrations',
    ),
  });
  const config = env.readEnvironmentsConfig(
    new ConfigReader({
      multicluster: { environments: { secretKey: SECRET_KEY } },
    }),
    // What the AWS module contributes through the drivers extension point.
    {
      templates: awsTemplates.AWS_COMPONENT_TEMPLATES,
      mappings: Object.fromEntries(
        Object.entries(awsTemplates.AWS_ENVIRONMENT_TYPE_MAPPINGS).map(
          ([type, mapping]) => [type, { aws: mapping }],
        ),
      ),
    },
  );
  const drivers = aws.createAwsComponentDriversFrom(
    aws.awsDriversConfig({
      region: 'eu-west-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      clusterRoleArn: 'arn:aws:iam::123456789012:role/eks-cluster',
      nodeRoleArn: 'arn:aws:iam::123456789012:role/eks-node',
      pollIntervalSeconds: 0.25,
    }),
  );
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
  for (let run = 0; run < RUNS; run++) {
    const name = `prod-${run}`;
    let t = performance.now();
    await engine.create(
      createEnvironmentRequestSchema.parse({
        name,
        type: 'production',
        cloud: 'aws',
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

  const sorted = a => [...a].sort((x, y) => x - y);
  const c = sorted(creates);
  const d = sorted(destroys);
  const result = {
    benchmark: 'environments-aws-production-moto',
    runs: RUNS,
    createMedianMs: Math.round(c[Math.floor(c.length / 2)]),
    createMaxMs: Math.round(c[c.length - 1]),
    destroyMedianMs: Math.round(d[Math.floor(d.length / 2)]),
    destroyMaxMs: Math.round(d[d.length - 1]),
    pollIntervalMs: 250,
    goalMs: GOAL_MS,
    pass: c[c.length - 1] < GOAL_MS,
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
    await moto?.stop();
    clearTimeout(watchdog);
  });
