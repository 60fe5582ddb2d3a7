/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// `npm run bench [name-filter]`: runs every benchmark script in test/bench one
// after another (never in parallel: the machine has two cores) and prints the
// JSON line each one reports. Benchmarks are plain scripts, not timed tests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const scripts = fs
  .readdirSync(dir)
  .filter(f => f.endsWith('.mjs') && f !== 'run.mjs' && !f.startsWith('_'))
  .filter(f => !filter || f.includes(filter))
  .sort();

const results = [];
let failed = 0;
for (const script of scripts) {
  console.error(`\n== ${script}`);
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', path.join(dir, script)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      timeout: 20 * 60_000,
    },
  );
  process.stdout.write(run.stdout ?? '');
  if (run.status !== 0) {
    failed += 1;
    console.error(`${script} failed (exit ${run.status ?? run.signal})`);
  }
  for (const line of (run.stdout ?? '').split('\n')) {
    if (line.startsWith('{')) {
      try {
        results.push({ script, ...JSON.parse(line) });
      } catch {
        // not a result line
      }
    }
  }
  console.error(
    `== ${script}: ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
fs.mkdirSync(path.join(dir, 'results'), { recursive: true });
fs.writeFileSync(
  path.join(dir, 'results', 'latest.json'),
  JSON.stringify(results, null, 2),
);
console.error(
  `\n${
    scripts.length - failed
  } benchmarks ran, ${failed} failed; results in test/bench/results/latest.json`,
);
process.exit(failed ? 1 : 0);
