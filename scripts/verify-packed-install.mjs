/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// `npm run verify:packed-install`: proves the packages install into any
// Backstage app. It builds and packs every published package, makes a fresh
// app from Backstage's create-app template in a temporary folder outside this
// workspace, installs the tarballs there following the packages' READMEs,
// starts the app's backend (serving the built frontend), and checks
// `GET /api/multicluster/clusters` and an entity page with the entity cards
// in Debian's chromium. This workspace's node_modules is only read.
//
//   --keep              keep the temporary app (its path is printed)
//   --skip-build        pack what `dist/` already holds
//   --tarballs=DIR      install the tarballs in DIR instead of building and packing
//   --app=DIR           start and check an app installed and built by an earlier run

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const reuseTarballs = process.argv
  .slice(2)
  .find(a => a.startsWith('--tarballs='))
  ?.slice('--tarballs='.length);
// The create-app release of the Backstage version in backstage.json (1.55.0).
const CREATE_APP = '@backstage/create-app@0.9.2';
const started = Date.now();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'archipelago-packed-'));
const tarballs = reuseTarballs
  ? path.resolve(reuseTarballs)
  : path.join(work, 'tarballs');
// --app=DIR: an app this script installed and built before (kept with --keep
// or after a failure): only the backend start and the checks run again.
const reuseApp = process.argv
  .slice(2)
  .find(a => a.startsWith('--app='))
  ?.slice('--app='.length);
const appDir = reuseApp ? path.resolve(reuseApp) : path.join(work, 'app');
const cli = path.join(root, 'node_modules/.bin/backstage-cli');

function step(what) {
  const s = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`\n[packed-install +${s}s] ${what}`);
}

function run(command, commandArgs, options = {}) {
  console.log(`$ ${command} ${commandArgs.join(' ')}`);
  const result = spawnSync(command, commandArgs, {
    stdio: 'inherit',
    ...options,
    env: { ...process.env, ...options.env },
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${commandArgs.join(' ')} exited with ${result.status}`,
    );
  }
}

const readJson = file => JSON.parse(fs.readFileSync(file, 'utf8'));
const writeJson = (file, value) =>
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

// ---------------------------------------------------------------------------
// 1. Build and pack every published package.

const published = ['plugins', 'packages']
  .flatMap(dir =>
    fs.readdirSync(path.join(root, dir)).map(name => path.join(dir, name)),
  )
  .filter(dir => fs.existsSync(path.join(root, dir, 'package.json')))
  .map(dir => ({ dir, pkg: readJson(path.join(root, dir, 'package.json')) }))
  .filter(({ pkg }) => !pkg.private);

let backend;
let browser;
let ok = false;
try {
  const appCli = path.join(appDir, 'node_modules/.bin/backstage-cli');
  if (!reuseApp) {
    if (!reuseTarballs && !args.has('--skip-build')) {
      step('declarations (tsc) for the packages’ type bundles');
      run(path.join(root, 'node_modules/.bin/tsc'), [], { cwd: root });
      for (const { dir } of published) {
        step(`build ${dir}`);
        run(cli, ['package', 'build'], { cwd: path.join(root, dir) });
      }
    }

    if (!reuseTarballs) {
      step(`pack ${published.length} packages`);
      fs.mkdirSync(tarballs);
      // `npm pack` runs each package's prepack (backstage-cli package prepack:
      // publishConfig applied) and postpack (package.json restored).
      run(
        'npm',
        [
          'pack',
          '--pack-destination',
          tarballs,
          ...published.flatMap(({ pkg }) => ['--workspace', pkg.name]),
        ],
        { cwd: root },
      );
    }
    const tarballOf = Object.fromEntries(
      published.map(({ pkg }) => {
        const file = `${pkg.name.replace(/^@/, '').replace('/', '-')}-${
          pkg.version
        }.tgz`;
        const full = path.join(tarballs, file);
        if (!fs.existsSync(full)) throw new Error(`npm pack made no ${file}`);
        return [pkg.name, `file:${full}`];
      }),
    );

    // -------------------------------------------------------------------------
    // 2. A fresh app from Backstage's template, outside this workspace.

    step(`create an app with ${CREATE_APP}`);
    // create-app checks `yarn -v` even with --skip-install; yarn classic from
    // the npm registry answers it. The install below uses npm.
    const bin = path.join(work, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(
      path.join(bin, 'yarn'),
      '#!/bin/sh\nexec npx -y yarn@1.22.22 "$@"\n',
      { mode: 0o755 },
    );
    run('npx', ['-y', CREATE_APP, '--skip-install', '--path', appDir], {
      cwd: work,
      env: {
        BACKSTAGE_APP_NAME: 'packed-app',
        PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      },
    });

    // The template is written for yarn; these are the npm equivalents, not
    // anything Archipelago needs.
    const rootPkgFile = path.join(appDir, 'package.json');
    const rootPkg = readJson(rootPkgFile);
    delete rootPkg.packageManager;
    rootPkg.overrides = {
      ...rootPkg.resolutions,
      // 12.x fetches its binary from GitHub at install; 13.x ships prebuilds.
      'better-sqlite3': '^13.2.0',
      // npm would otherwise hoist the React 17 a CLI dependency (ink) asks for.
      react: '^18.3.1',
      'react-dom': '^18.3.1',
    };
    delete rootPkg.resolutions;
    writeJson(rootPkgFile, rootPkg);
    fs.rmSync(path.join(appDir, 'yarn.lock'), { force: true });
    // Backstage's frontend packages declare peer ranges npm's strict resolver
    // rejects (Material UI 4 and React 18).
    fs.writeFileSync(path.join(appDir, '.npmrc'), 'legacy-peer-deps=true\n');
    const backendPkgFile = path.join(appDir, 'packages/backend/package.json');
    const backendPkg = readJson(backendPkgFile);
    backendPkg.dependencies.app = '*'; // yarn's `link:../app`
    writeJson(backendPkgFile, backendPkg);

    // create-app seeds yarn.lock from GitHub so that an app gets one Backstage
    // release; without it the `^` ranges float to later releases that do not
    // fit together (a newer signals backend needs a newer backend-defaults).
    // npm's equivalent: pin @backstage/* to the release this workspace is on
    // (its lockfile), and the template's other @backstage ranges to their floor.
    const lock = readJson(path.join(root, 'package-lock.json'));
    const release = {};
    for (const [key, value] of Object.entries(lock.packages)) {
      const m = key.match(/^node_modules\/(@backstage\/[^/]+)$/);
      if (m) release[m[1]] = value.version;
    }
    for (const file of [
      rootPkgFile,
      backendPkgFile,
      path.join(appDir, 'packages/app/package.json'),
    ]) {
      const pkg = readJson(file);
      for (const field of ['dependencies', 'devDependencies']) {
        for (const [name, range] of Object.entries(pkg[field] ?? {})) {
          if (!name.startsWith('@backstage/')) continue;
          pkg[field][name] = release[name] ?? range.replace(/^[\^~]/, '');
        }
      }
      if (file === rootPkgFile) Object.assign(pkg.overrides, release);
      writeJson(file, pkg);
    }

    // -------------------------------------------------------------------------
    // 3. Install following the READMEs. `npm install --workspace X <name>`
    // would fetch from the registry; the tarballs stand in for it, and
    // `overrides` make the packages' dependencies on each other resolve to the
    // tarballs too, as they would to the registry's copies.

    step('install the tarballs as the READMEs say');
    const addDeps = (file, names) => {
      const pkg = readJson(file);
      for (const name of names) pkg.dependencies[name] = tarballOf[name];
      writeJson(file, pkg);
    };
    // plugins/multicluster/README.md: `npm install --workspace app @archipelago/multicluster`
    addDeps(path.join(appDir, 'packages/app/package.json'), [
      '@archipelago/multicluster',
    ]);
    // plugins/multicluster-backend/README.md and every module's README: each
    // says `npm install --workspace packages/backend <it>` and
    // `backend.add(import('<it>'))`.
    const backendPackages = [
      '@archipelago/multicluster-backend',
      '@archipelago/catalog-backend-module-multicluster',
      '@archipelago/kubernetes-backend-module-multicluster',
      '@archipelago/scaffolder-backend-module-multicluster',
      '@archipelago/multicluster-backend-module-local',
      '@archipelago/multicluster-backend-module-aws',
      '@archipelago/multicluster-backend-module-azure',
      '@archipelago/multicluster-backend-module-gcp',
      '@archipelago/permission-backend-module-multicluster-policy',
    ];
    // multicluster-node and multicluster-common READMEs: installed into a
    // package that uses them directly; the backend stands in for one here.
    const libraries = [
      '@archipelago/multicluster-node',
      '@archipelago/multicluster-common',
    ];
    addDeps(backendPkgFile, [...backendPackages, ...libraries]);
    const withOverrides = readJson(rootPkgFile);
    Object.assign(withOverrides.overrides, tarballOf);
    writeJson(rootPkgFile, withOverrides);

    const indexFile = path.join(appDir, 'packages/backend/src/index.ts');
    const index = fs.readFileSync(indexFile, 'utf8');
    const adds = backendPackages
      .map(name => `backend.add(import('${name}'));`)
      .join('\n');
    // permission-backend-module-multicluster-policy/README.md: a backend has
    // one policy, so the template's allow-all module goes.
    const allowAll =
      /backend\.add\(\s*import\('@backstage\/plugin-permission-backend-module-allow-all-policy'\),?\s*\);/;
    if (!allowAll.test(index)) {
      throw new Error(`the template's ${indexFile} has no allow-all policy`);
    }
    fs.writeFileSync(
      indexFile,
      index
        .replace(allowAll, '')
        .replace('backend.start();', `${adds}\n\nbackend.start();`),
    );
    // The frontend: the template's app has `app.packages: all`, so the
    // installed package is discovered (plugins/multicluster/README.md).

    step('npm install in the app');
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: appDir,
    });

    step('build the frontend');
    run(appCli, ['package', 'build'], {
      cwd: path.join(appDir, 'packages/app'),
      env: { NODE_OPTIONS: '--max-old-space-size=4096' },
    });
  }

  // -------------------------------------------------------------------------
  // 4. Config: one static cluster (nothing listens there, so it is
  // `unreachable` — real health), an entity that selects it, and a static
  // token for this script's REST call.

  // Picked only now: a port free before the long install may be taken by then.
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const token = `packed-${Math.random().toString(36).slice(2)}`;
  const entitiesFile = path.join(appDir, 'packed-entities.yaml');
  fs.writeFileSync(
    entitiesFile,
    `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: packed-service
  annotations:
    archipelago.dev/cluster-selector: packed=yes
    archipelago.dev/environment: packed-env
spec:
  type: service
  lifecycle: experimental
  owner: guests
`,
  );
  fs.writeFileSync(
    path.join(appDir, 'app-config.packed.yaml'),
    `app:
  baseUrl: ${baseUrl}
backend:
  baseUrl: ${baseUrl}
  listen:
    port: ${port}
  cors:
    origin: ${baseUrl}
  auth:
    externalAccess:
      - type: static
        options:
          token: ${token}
          subject: packed-install-check
catalog:
  locations:
    - type: file
      target: ${entitiesFile}
permission:
  enabled: true
multicluster:
  # The example policy's admins: the template's guest user, so that the
  # entity page shows the cluster to the signed-in guest.
  examplePolicy:
    adminGroups: [user:development/guest]
  providers:
    config:
      - name: packed-1
        url: https://127.0.0.1:9
        labels:
          packed: 'yes'
`,
  );

  step('start the backend (it serves the built frontend)');
  const log = fs.openSync(path.join(work, 'backend.log'), 'w');
  backend = spawn(
    appCli,
    [
      'package',
      'start',
      '--config',
      '../../app-config.yaml',
      '--config',
      '../../app-config.packed.yaml',
    ],
    {
      cwd: path.join(appDir, 'packages/backend'),
      stdio: ['ignore', log, log],
      detached: true,
      env: { ...process.env, NODE_ENV: 'development' },
    },
  );

  // -------------------------------------------------------------------------
  // 5. The checks.

  step(`GET ${baseUrl}/api/multicluster/clusters`);
  let clusters;
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    if (backend.exitCode !== null) {
      throw new Error(
        `the backend exited (${backend.exitCode}); see ${work}/backend.log`,
      );
    }
    try {
      const res = await fetch(`${baseUrl}/api/multicluster/clusters`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(5000),
      });
      if (res.ok) {
        clusters = await res.json();
        if (clusters.items?.some(c => c.name === 'packed-1')) break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no cluster packed-1 from /api/multicluster/clusters within 5 minutes (last: ${JSON.stringify(
          clusters,
        )})`,
      );
    }
    await sleep(2000);
  }
  console.log(
    `clusters: ${clusters.items
      .map(c => `${c.name} (${c.status?.health})`)
      .join(', ')}`,
  );

  step('the entity page with the cards');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(60_000);
  const entityUrl = `${baseUrl}/catalog/default/component/packed-service`;
  const cardTitle = page.getByText('Cluster health', { exact: true }).first();
  const enter = page.getByRole('button', { name: /enter/i });
  const cardDeadline = Date.now() + 3 * 60_000;
  for (;;) {
    try {
      await page.goto(entityUrl);
      // The template's sign-in page (guest) shows on a fresh load.
      await cardTitle.or(enter).waitFor({ timeout: 30_000 });
      if (await enter.isVisible()) await enter.click();
      await cardTitle.waitFor({ timeout: 30_000 });
      await page
        .getByRole('listitem', { name: 'Cluster packed-1' })
        .waitFor({ timeout: 30_000 });
      break;
    } catch (error) {
      // The catalog ingests the entity on its first processing round.
      if (Date.now() > cardDeadline) {
        await page.screenshot({
          path: path.join(work, 'entity-page.png'),
          fullPage: true,
        });
        throw error;
      }
      await sleep(5000);
    }
  }
  // The other two entity cards: a component gets the workloads card, the
  // environment annotation the capabilities card (its environment does not
  // exist, which the card says).
  for (const title of [
    'Workloads across clusters',
    'Environment capabilities',
  ]) {
    await page.getByText(title, { exact: true }).first().waitFor();
    console.log(`card: ${title}`);
  }
  const row = await page
    .getByRole('listitem', { name: 'Cluster packed-1' })
    .innerText();
  console.log(`card row: ${row.replace(/\s+/g, ' ')}`);
  await page.screenshot({
    path: path.join(work, 'entity-page.png'),
    fullPage: true,
  });
  ok = true;
} finally {
  await browser?.close().catch(() => {});
  if (backend?.pid && backend.exitCode === null) {
    try {
      process.kill(-backend.pid, 'SIGTERM');
    } catch {
      // gone already
    }
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (ok) {
    console.log(`\npacked install: OK in ${seconds}s`);
    if (args.has('--keep')) console.log(`app kept at ${appDir}`);
    else fs.rmSync(work, { recursive: true, force: true });
  } else {
    console.log(`\npacked install: FAILED after ${seconds}s; files in ${work}`);
    process.exitCode = 1;
  }
}
