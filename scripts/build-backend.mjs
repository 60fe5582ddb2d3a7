#!/usr/bin/env node
/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// `npm run build:backend`: builds the example backend and the app it serves, with npm
// only, into packages/backend/dist/
//   skeleton.tar.gz  root package.json, package-lock.json, .npmrc and the package.json of
//                    every workspace the backend needs (enough for a production install)
//   bundle.tar.gz    the same workspaces built: plugins' dist/, the app's static files
// Then, unless --bundle-only, installs the bundle for production into --out (default
// dist-backend/) with scripts/install-backend-bundle.sh, the same step the Dockerfile runs.
//
// Why not `backstage-cli package build` alone: for a backend it builds bundled packages
// (the app) with `yarn run build` and copies `yarn.lock` into the bundle, and this
// repository has neither yarn nor yarn.lock. This script runs the same steps with the
// CLI's own packer (createDistWorkspace, productionPack, the rollup packager), building
// the app with `npm run build` and shipping npm's lockfile instead.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const backendDir = path.join(root, 'packages', 'backend');
const { values: args } = parseArgs({
  options: {
    'bundle-only': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(root, 'dist-backend') },
    config: { type: 'string', multiple: true, default: [] },
  },
});

// The packer lives in the CLI's build module; resolve it from @backstage/cli as the CLI does.
const cliRequire = createRequire(
  createRequire(path.join(root, 'package.json')).resolve(
    '@backstage/cli/package.json',
  ),
);
const buildModuleDir = path.dirname(
  cliRequire.resolve('@backstage/cli-module-build/package.json'),
);
const fromBuildModule = p =>
  createRequire(path.join(buildModuleDir, 'package.json'))(
    path.join(buildModuleDir, 'dist', p),
  );
const { createDistWorkspace } = fromBuildModule(
  'lib/packager/createDistWorkspace.cjs.js',
);
const { buildPackage } = fromBuildModule('lib/builder/packager.cjs.js');
const { Output } = fromBuildModule('lib/builder/types.cjs.js');
const { PackageGraph } = cliRequire('@backstage/cli-node');

const started = Date.now();
const step = text =>
  console.log(
    `[build:backend +${((Date.now() - started) / 1000).toFixed(0)}s] ${text}`,
  );
const run = (cmd, cmdArgs, cwd = root) =>
  execFileSync(cmd, cmdArgs, { cwd, stdio: 'inherit', env: process.env });

// The CLI resolves the workspace from the working directory, as under `npm run`.
process.chdir(backendDir);
const backendPkg = JSON.parse(
  fs.readFileSync(path.join(backendDir, 'package.json'), 'utf8'),
);
const bundled = (await PackageGraph.listTargetPackages()).filter(
  p => p.packageJson.bundled,
);

step(
  `building the frontend (${bundled.map(p => p.packageJson.name).join(', ')})`,
);
for (const app of bundled) {
  const configArgs = args.config.flatMap(c => [
    '--config',
    path.resolve(root, c),
  ]);
  run('npm', [
    'run',
    'build',
    '--workspace',
    app.packageJson.name,
    '--',
    ...configArgs,
  ]);
}

step('building the backend');
await buildPackage({
  targetDir: backendDir,
  packageJson: backendPkg,
  outputs: new Set([Output.cjs]),
  minify: false,
  workspacePackages: await PackageGraph.listTargetPackages(),
});

step('building and packing the workspaces it depends on');
const workspace = fs.mkdtempSync(
  path.join(os.tmpdir(), 'archipelago-backend-'),
);
try {
  const { targets } = await createDistWorkspace([backendPkg.name], {
    targetDir: workspace,
    buildDependencies: true,
    // Built above: the backend itself, and the app with npm (the CLI would call yarn).
    buildExcludes: [backendPkg.name, ...bundled.map(p => p.packageJson.name)],
    // npm's lockfile instead of yarn.lock; the configuration and the example entities and
    // templates the catalog loads (paths relative to packages/backend, as in development).
    files: [
      'package.json',
      'package-lock.json',
      '.npmrc',
      'app-config.yaml',
      'app-config.production.yaml',
      'examples',
    ],
  });

  // A production install resolves dependencies only: devDependencies name workspaces
  // (test utilities, the emulator) that are not part of the bundle.
  const manifests = [
    'package.json',
    ...targets.map(t => path.join(path.relative(root, t.dir), 'package.json')),
  ].sort();
  for (const rel of manifests) {
    const file = path.join(workspace, rel);
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    delete pkg.devDependencies;
    if (rel === 'package.json') delete pkg.scripts;
    fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  }

  const distDir = path.join(backendDir, 'dist');
  fs.rmSync(distDir, { recursive: true, force: true });
  fs.mkdirSync(distDir, { recursive: true });
  const tar = (name, entries) =>
    run(
      'tar',
      ['-czf', path.join(distDir, name), '--owner=0', '--group=0', ...entries],
      workspace,
    );
  tar('skeleton.tar.gz', [...manifests, 'package-lock.json', '.npmrc']);
  tar('bundle.tar.gz', fs.readdirSync(workspace));
  step(`wrote ${path.relative(root, distDir)}/{skeleton,bundle}.tar.gz`);
} finally {
  fs.rmSync(workspace, { recursive: true, force: true });
}

if (!args['bundle-only']) {
  step(
    `installing the bundle for production into ${
      path.relative(root, path.resolve(args.out)) || '.'
    }`,
  );
  run('sh', [
    path.join(root, 'scripts', 'install-backend-bundle.sh'),
    path.join(backendDir, 'dist'),
    path.resolve(args.out),
  ]);
}
step('done');
