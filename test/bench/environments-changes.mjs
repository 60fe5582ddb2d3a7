/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Benchmark: changing environments that exist, through the environments
// service the REST routes call, with the real drivers.
//  - plan time: the dry run of `PUT /environments/:name` (dev-small ->
//    dev-large on local) and of a promotion (-> production on aws), repeated;
//  - update wall time: dev-small -> dev-large on local (the dedicated
//    PostgreSQL server replaces the shared one, the emulated cluster grows
//    from 1 to 3 nodes, connection details rewritten in the cluster), from the
//    request until the environment is ready at the new revision;
//  - promotion wall time: dev-small on local -> production on aws against
//    moto_server (VPC, EKS with a node group, RDS, S3), from the request until
//    the new environment is ready (moto answers at once; the drivers poll
//    every 0.25 s).
// The first dev-small create starts embedded PostgreSQL and is not measured.
// Prints one JSON line. Bounded: the whole run stops after 8 minutes.
//
//   node test/bench/environments-changes.mjs [--runs 3] [--plans 50]
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
  options: {
    runs: { type: 'string', default: '3' },
    plans: { type: 'string', default: '50' },
  },
});
const RUNS = Number(args.runs);
const PLANS = Number(args.plans);
const PLAN_GOAL_MS = 100;
const UPDATE_GOAL_MS = 20_000;
const PROMOTION_GOAL_MS = 30_000;

const watchdog = setTimeout(() => {
  console.error('environments-changes: gave up after 8 minutes');
  process.exit(2);
}, 8 * 60_000);
watchdog.unref();

const env = require(path.join(
  repoRoot,
  'plugins/multicluster-backend/src/environments/index.ts',
));
const local = require(path.join(
  repoRoot,
  'plugins/multicluster-backend-module-local/src/index.ts',
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
const OWNER = 'group:default/bench';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'archi-bench-chg-'));
fs.chmodSync(dataDir, 0o755); // embedded PostgreSQL runs as the postgres user when we are root
const db = knex({
  client: 'better-sqlite3',
  connection: { filename: ':memory:' },
  useNullAsDefault: true,
});
let moto;
let service;

const ms = v => Math.round(v * 10) / 10;
function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: ms(sorted[Math.floor(sorted.length / 2)]),
    p95: ms(
      sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))],
    ),
    max: ms(sorted[sorted.length - 1]),
  };
}

async function main() {
  moto = await startMoto();
  await db.migrate.latest({
    directory: resolvePackagePath(
      '@archipelago/multicluster-backend',
      'migrations',
    ),
  });
  const rootConfig = new ConfigReader({
    multicluster: {
      environments: {
        secretKey: SECRET_KEY,
        dataDir,
        local: true,
        resourcePrefix: 'bench',
        leaseSeconds: 30,
        componentTimeoutMinutes: 5,
        drift: { enabled: false },
        quotas: {
          environmentsPerOwner: 100,
          dedicatedDatabaseServersPerOwner: 100,
        },
      },
    },
  });
  // What the local and AWS modules contribute through the drivers extension point.
  const mappings = {};
  for (const [cloud, byType] of [
    ['local', local.LOCAL_ENVIRONMENT_TYPE_MAPPINGS],
    ['aws', awsTemplates.AWS_ENVIRONMENT_TYPE_MAPPINGS],
  ]) {
    for (const [type, mapping] of Object.entries(byType)) {
      mappings[type] = { ...mappings[type], [cloud]: mapping };
    }
  }
  const drivers = [
    ...local.createLocalDrivers({
      settings: local.readLocalDriversConfig(rootConfig),
      database: db,
      logger: quiet,
    }),
    ...aws.createAwsComponentDriversFrom(
      aws.awsDriversConfig({
        region: 'eu-west-1',
        endpoint: moto.endpoint,
        credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
        clusterRoleArn: 'arn:aws:iam::123456789012:role/eks-cluster',
        nodeRoleArn: 'arn:aws:iam::123456789012:role/eks-node',
        pollIntervalSeconds: 0.25,
      }),
    ),
  ];
  service = await env.createEnvironmentsService({
    config: rootConfig,
    database: db,
    logger: quiet,
    drivers,
    contributions: {
      templates: {
        ...local.LOCAL_COMPONENT_TEMPLATES,
        ...awsTemplates.AWS_COMPONENT_TEMPLATES,
      },
      mappings,
    },
    autoStart: false,
  });
  const engine = service.engine;
  const store = new env.EnvironmentStore(db);

  async function settle(name, want) {
    for (let i = 0; i < 30_000; i++) {
      await engine.idle();
      const view = await service.get(name);
      if (view && want(view)) return view;
      if (view && view.status === 'failed')
        throw new Error(`${name} failed: ${view.reason ?? ''}`);
      await new Promise(r => setTimeout(r, 10));
    }
    throw new Error(`${name} did not settle`);
  }
  const ready = name => settle(name, v => v.status === 'ready');

  async function createDevSmall(name) {
    await service.create(
      createEnvironmentRequestSchema.parse({
        name,
        type: 'dev-small',
        cloud: 'local',
        owner: OWNER,
      }),
    );
    return ready(name);
  }

  // Warm-up: starts embedded PostgreSQL, the S3 store and the emulator.
  await createDevSmall('warmup');

  // Plan time, on a ready dev-small environment.
  const planUpdate = [];
  let plan;
  for (let i = 0; i < PLANS; i++) {
    const t = performance.now();
    plan = await service.planUpdate('warmup', { type: 'dev-large' });
    planUpdate.push(performance.now() - t);
  }
  const planPromotion = [];
  const target = { type: 'production', cloud: 'aws' };
  for (let i = 0; i < PLANS; i++) {
    const t = performance.now();
    const { carried } = await service.promotion('warmup', target);
    service.plan({ ...target, inputs: carried });
    planPromotion.push(performance.now() - t);
  }
  const actions = Object.fromEntries(
    plan.components.map(c => [c.key, c.action]),
  );
  const nodes = plan.components
    .find(c => c.key === 'kubernetes')
    .inputs.find(i => i.name === 'nodes');
  if (
    actions.database !== 'replace' ||
    actions.kubernetes !== 'update' ||
    nodes?.from !== 1 ||
    nodes?.to !== 3
  ) {
    throw new Error(`unexpected dev-large plan: ${JSON.stringify(actions)}`);
  }

  // Update wall time: dev-small -> dev-large.
  const updates = [];
  const promotions = [];
  for (let run = 0; run < RUNS; run++) {
    const name = `chg-${run}`;
    const before = await createDevSmall(name);
    let t = performance.now();
    await service.update(name, { type: 'dev-large' });
    const after = await settle(
      name,
      v => v.status === 'ready' && v.revision === before.revision + 1,
    );
    updates.push(performance.now() - t);
    if (after.type !== 'dev-large')
      throw new Error(`${name}: still ${after.type}`);
    const kube = (await store.getComponents(name)).find(
      c => c.key === 'kubernetes',
    );
    if (kube.inputs.nodes !== 3)
      throw new Error(`${name}: ${kube.inputs.nodes} nodes, expected 3`);

    // Promotion: dev-small -> production on aws (from a fresh dev-small).
    const source = `src-${run}`;
    await createDevSmall(source);
    const prod = `prod-${run}`;
    t = performance.now();
    const { carried } = await service.promotion(source, target);
    await service.create(
      createEnvironmentRequestSchema.parse({
        name: prod,
        ...target,
        owner: OWNER,
        inputs: carried,
      }),
      undefined,
      { promotedFrom: source },
    );
    await ready(prod);
    promotions.push(performance.now() - t);

    for (const gone of [name, source, prod]) {
      await service.destroy(gone);
      await settle(gone, v => v.status === 'destroyed');
    }
  }
  await service.destroy('warmup');
  await settle('warmup', v => v.status === 'destroyed');

  const plans = { update: stats(planUpdate), promotion: stats(planPromotion) };
  const update = stats(updates);
  const promotion = stats(promotions);
  const result = {
    benchmark: 'environments-changes',
    runs: RUNS,
    plans: PLANS,
    planUpdateMedianMs: plans.update.median,
    planUpdateP95Ms: plans.update.p95,
    planPromotionMedianMs: plans.promotion.median,
    planPromotionP95Ms: plans.promotion.p95,
    devSmallToDevLargePlan: actions,
    updateDevSmallToDevLargeMedianMs: update.median,
    updateDevSmallToDevLargeMaxMs: update.max,
    promoteLocalToAwsMedianMs: promotion.median,
    promoteLocalToAwsMaxMs: promotion.max,
    goalsMs: {
      plan: PLAN_GOAL_MS,
      update: UPDATE_GOAL_MS,
      promotion: PROMOTION_GOAL_MS,
    },
    pass:
      plans.update.p95 < PLAN_GOAL_MS &&
      plans.promotion.p95 < PLAN_GOAL_MS &&
      update.max < UPDATE_GOAL_MS &&
      promotion.max < PROMOTION_GOAL_MS,
  };
  console.log(JSON.stringify(result));
}

main()
  .catch(error => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await service?.stop().catch(() => {});
    await db.destroy();
    await moto?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    clearTimeout(watchdog);
  });
