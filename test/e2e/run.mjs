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
const files = fs
  .readdirSync(dir)
  .filter(f => f.endsWith('.test.mjs'))
  .map(f => path.join(dir, f));

const portal = await startPortal();
let status = 1;
try {
  const result = spawnSync(
    process.execPath,
    ['--test', '--test-concurrency=1', ...files],
    {
      cwd: repoRoot,
      stdio: 'inherit',
      env: { ...process.env, ARCHIPELAGO_PORTAL_RUNNING: '1' },
    },
  );
  status = result.status ?? 1;
} finally {
  await stopPortal(portal);
}
process.exit(status);
