/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// `npm run test:e2e`: starts the example portal once, runs every
// test/e2e/*.test.mjs against it with node's test runner, then stops it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, startPortal, stopPortal } from './portal.mjs';

const dir = path.join(repoRoot, 'test/e2e');
// `npm run test:e2e -- newcomer` runs only the files whose names contain an argument.
const only = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter(f => f.endsWith('.test.mjs'))
  .filter(f => only.length === 0 || only.some(o => f.includes(o)))
  .map(f => path.join(dir, f));

const startedAt = Date.now();
const portal = await startPortal();
// Figure: from `npm start` to both halves answering (the catalog page loads).
console.log(
  `# npm start to the catalog answering: ${(
    (Date.now() - startedAt) /
    1000
  ).toFixed(1)} s`,
);
let status = 1;
try {
  const result = spawnSync(
    process.execPath,
    ['--test', '--test-concurrency=1', ...files],
    {
      cwd: repoRoot,
      stdio: 'inherit',
      env: {
        ...process.env,
        ARCHIPELAGO_PORTAL_RUNNING: '1',
        ARCHIPELAGO_PORTAL_STARTED_AT: String(startedAt),
      },
    },
  );
  status = result.status ?? 1;
} finally {
  await stopPortal(portal);
}
process.exit(status);
