/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// API reports (report*.api.md) and knip reports (knip-report.md) for every
// published package, the way the Backstage repository keeps them.
//
//   npm run build:api-reports            regenerate every report (idempotent)
//   npm run build:api-reports -- --ci    fail when a committed report is stale
//   ... --no-tsc                         reuse dist-types/ from a `tsc` just run
//
// `backstage-repo-tools api-reports --tsc` spawns `yarn tsc`, which this npm
// workspace does not have, so the declarations are emitted here instead.
// `--skipLibCheck false` (what repo-tools passes) reports errors inside
// node_modules' own .d.ts files; declaration output does not depend on it, so
// the repository's own compiler settings are used.

import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const ci = args.has('--ci');
const runTsc = !args.has('--no-tsc');

// The packages that are published; the example app and backend are not.
const packageDirs = [
  ...readdirSync(join(root, 'plugins'))
    .map(name => `plugins/${name}`)
    .filter(dir => existsSync(join(root, dir, 'package.json'))),
  'packages/kube-emulator',
].sort();

// Warnings that are artefacts of the npm workspace, not of the API:
// - ae-wrong-input-file-type: a workspace package's `types` points at its
//   `src/index.ts` (swapped for dist on `npm pack`), so one package's
//   declarations follow another's sources. The Backstage repository omits it
//   for the same reason.
const omitMessages = ['ae-wrong-input-file-type'];

// Packages whose reports may still list warnings (undocumented members).
// Remove a package from here once its report is clean; the check fails when
// a listed package's report changes all the same.
const allowWarnings = [];

const bin = name => join(root, 'node_modules', '.bin', name);

function run(command, commandArgs) {
  const started = Date.now();
  console.log(`$ ${[command, ...commandArgs].join(' ')}`);
  const result = spawnSync(bin(command), commandArgs, {
    cwd: root,
    stdio: 'inherit',
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`${command} failed after ${seconds}s`);
    process.exit(result.status ?? 1);
  }
  console.log(`${command} done in ${seconds}s`);
}

if (runTsc) {
  // A fresh emit, so declarations of deleted sources cannot linger.
  rmSync(join(root, 'dist-types'), { recursive: true, force: true });
  run('tsc', ['--incremental', 'false']);
}

run('backstage-repo-tools', [
  'api-reports',
  ...(ci ? ['--ci'] : []),
  '--validate-release-tags',
  '--omit-messages',
  omitMessages.join(','),
  ...(allowWarnings.length
    ? ['--allow-warnings', allowWarnings.join(',')]
    : []),
  ...packageDirs,
]);

run('backstage-repo-tools', [
  'knip-reports',
  ...(ci ? ['--ci'] : []),
  ...packageDirs,
]);
