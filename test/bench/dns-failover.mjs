/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Benchmark: the time from a cluster's failure (stopped through the emulator's admin
// endpoint) to a changed answer of the local DNS server (read with the real `dig`), against
// one probe round + one DNS round. It runs the local module's DNS acceptance test (the real
// plugin, the local DNS server, an emulated fleet of 3) with the probe round requested at the
// moment of the failure: in a portal the probe interval (`multicluster.health.intervalSeconds`)
// comes on top. Prints one JSON line.
//
//   node test/bench/dns-failover.mjs
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const out = path.join(
  fs.mkdtempSync(path.join(os.tmpdir(), 'dns-bench-')),
  'figure.json',
);
const run = spawnSync(
  'npx',
  [
    'backstage-cli',
    'repo',
    'test',
    '--watchAll=false',
    'plugins/multicluster-backend-module-local/src/dns/localDns.integration.test.ts',
  ],
  {
    cwd: root,
    env: { ...process.env, ARCHIPELAGO_DNS_BENCH_OUT: out, CI: 'true' },
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 10 * 60_000,
  },
);
if (run.status !== 0 || !fs.existsSync(out)) {
  console.error(`dns-failover: the acceptance run failed (exit ${run.status})`);
  process.exit(1);
}
const { failureToAnswerMs, dnsRoundMs } = JSON.parse(
  fs.readFileSync(out, 'utf8'),
);
fs.rmSync(path.dirname(out), { recursive: true, force: true });
console.log(
  JSON.stringify({
    bench: 'dns-failover',
    failureToAnswerMs,
    dnsRoundMs,
    note: 'probe round requested at the failure; a portal adds up to one probe interval',
  }),
);
