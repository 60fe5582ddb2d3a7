/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Repository-level promises, run by `npm test` after the package tests:
// the shipped configs validate against every package's config schema, and
// every workspace package is documented and wired the Backstage way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'node_modules/.bin/backstage-cli');

function configCheck(...files) {
  return spawnSync(
    cli,
    ['config:check', '--strict', ...files.flatMap(f => ['--config', f])],
    {
      cwd: root,
      encoding: 'utf8',
      // Production config reads secrets from the environment.
      env: {
        ...process.env,
        APP_BASE_URL: 'http://localhost:7007',
        BACKEND_SECRET: 'x'.repeat(32),
        POSTGRES_HOST: 'localhost',
        POSTGRES_PORT: '5432',
        POSTGRES_USER: 'backstage',
        POSTGRES_PASSWORD: 'not-a-real-password',
        ARCHIPELAGO_ENVIRONMENTS_SECRET_KEY: 'y'.repeat(40),
        AUTH_GITHUB_CLIENT_ID: 'github-client-id',
        AUTH_GITHUB_CLIENT_SECRET: 'github-client-secret',
      },
      timeout: 120_000,
    },
  );
}

test('app-config.yaml validates against every config schema', () => {
  const run = configCheck('app-config.yaml');
  assert.equal(run.status, 0, run.stderr + run.stdout);
});

test('app-config.yaml + app-config.production.yaml validate', () => {
  const run = configCheck('app-config.yaml', 'app-config.production.yaml');
  assert.equal(run.status, 0, run.stderr + run.stdout);
});

test('a config with a wrong type is refused, naming the key', () => {
  const bad = path.join(
    fs.mkdtempSync(path.join(root, 'node_modules/.cache-')),
    'bad.yaml',
  );
  fs.writeFileSync(
    bad,
    'multicluster:\n  health:\n    intervalSeconds: soon\n',
  );
  const run = configCheck('app-config.yaml', bad);
  fs.rmSync(path.dirname(bad), { recursive: true, force: true });
  assert.notEqual(run.status, 0);
  assert.match(
    run.stderr + run.stdout,
    /multicluster\/health\/intervalSeconds/,
  );
});

const workspaces = ['packages', 'plugins'].flatMap(dir =>
  fs
    .readdirSync(path.join(root, dir))
    .map(name => path.join(dir, name))
    .filter(p => fs.existsSync(path.join(root, p, 'package.json'))),
);

test('every workspace package has a README, lint config and a Backstage role', () => {
  for (const ws of workspaces) {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(root, ws, 'package.json'), 'utf8'),
    );
    assert.ok(pkg.backstage?.role, `${ws}: backstage.role`);
    assert.ok(
      fs.existsSync(path.join(root, ws, '.eslintrc.js')),
      `${ws}: .eslintrc.js`,
    );
    if (pkg.private) continue;
    assert.ok(
      fs.existsSync(path.join(root, ws, 'README.md')),
      `${ws}: README.md`,
    );
    assert.equal(pkg.license, 'Apache-2.0', `${ws}: license`);
    if (pkg.configSchema) {
      assert.ok(
        fs.existsSync(path.join(root, ws, pkg.configSchema)),
        `${ws}: ${pkg.configSchema}`,
      );
    }
  }
});

test('the README quick start names the commands CI runs', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const ci = fs.readFileSync(path.join(root, '.ci/run'), 'utf8');
  for (const command of ['npm ci', 'npm start', 'npm test']) {
    assert.ok(readme.includes(command), `README mentions ${command}`);
  }
  for (const command of ['npm ci', 'npm test', 'npm run test:e2e']) {
    assert.ok(ci.includes(command), `.ci/run runs ${command}`);
  }
  const pkg = JSON.parse(
    fs.readFileSync(path.join(root, 'package.json'), 'utf8'),
  );
  assert.deepEqual(pkg.engines, { node: '22 || 24' });
});
