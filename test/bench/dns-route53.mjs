/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Benchmark: Route53 API calls per DNS round with 100 clusters, against
// moto_server. One workload name answered by 100 clusters (weighted, each with
// its health check) is published, then applied again unchanged, then with one
// cluster gone, then with it back. Every HTTP request the provider makes is
// counted by SDK middleware (after the retry step: retries count). Prints one
// JSON line: calls per round by operation, change batches, wall time.
// Bounded: the whole run stops after 5 minutes.
//
//   node test/bench/dns-route53.mjs [--clusters 100]
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
  options: { clusters: { type: 'string', default: '100' } },
});
const CLUSTERS = Number(args.clusters);

const watchdog = setTimeout(() => {
  console.error('dns-route53: gave up after 5 minutes');
  process.exit(2);
}, 5 * 60_000);
watchdog.unref();

const aws = path.join(repoRoot, 'plugins/multicluster-backend-module-aws/src');
const { startMoto } = require(path.join(aws, '__testUtils__/moto.ts'));
const {
  clusterAnswer,
  countingClientFactory,
  createZone,
  directClient,
  dnsZone,
  route53Config,
} = require(path.join(aws, 'dns/__testUtils__/route53.ts'));
const { Route53DnsProvider } = require(path.join(
  aws,
  'dns/Route53DnsProvider.ts',
));

/** A quiet logger that keeps warnings and errors for the report. */
const problems = [];
const logger = {
  info() {},
  debug() {},
  warn: message => problems.push(message),
  error: message => problems.push(message),
  child() {
    return logger;
  },
};

const moto = await startMoto();
try {
  const zoneId = await createZone(directClient(moto.endpoint), 'example.com');
  const counts = new Map();
  const provider = Route53DnsProvider.fromConfig(
    route53Config(moto.endpoint, [
      { name: 'example.com', hostedZoneId: zoneId },
    ]),
    {
      logger,
      syncPollMs: 100,
      createClient: countingClientFactory(counts),
    },
  );
  const answers = Array.from({ length: CLUSTERS }, (_, i) =>
    clusterAnswer(i, undefined, { geography: undefined, weight: 10 }),
  );
  const name = list => ({
    hostname: 'shop.example.com',
    policy: 'weighted',
    ttl: 60,
    workload: 'shop',
    answers: list,
  });

  const rounds = {};
  const round = async (label, list) => {
    counts.clear();
    const started = performance.now();
    const result = await provider.apply(dnsZone('example.com'), [name(list)], {
      ownerId: 'bench',
    });
    const calls = Object.fromEntries([...counts.entries()].sort());
    rounds[label] = {
      calls: Object.values(calls).reduce((a, b) => a + b, 0),
      byOperation: calls,
      changeBatches: calls.ChangeResourceRecordSets ?? 0,
      recordChanges: result.changes.length,
      ms: Math.round(performance.now() - started),
    };
  };
  await round('first', answers);
  await round('unchanged', answers);
  await round('oneClusterLeaves', answers.slice(1));
  await round('itComesBack', answers);

  console.log(
    JSON.stringify({
      bench: 'dns-route53',
      clusters: CLUSTERS,
      rounds,
      problems,
    }),
  );
} finally {
  await moto.stop();
}
