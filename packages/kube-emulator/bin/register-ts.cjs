/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Lets Node run this package's TypeScript sources with no build step, through the SWC transform
// that the Backstage CLI ships for `backstage-cli package start`.
'use strict';

const path = require('node:path');

try {
  require('@backstage/cli/config/nodeTransform.cjs');
} catch (error) {
  // @backstage/cli-node loads @swc/core as an optional peer dependency: when npm nests @swc/core
  // under @backstage/cli instead of hoisting it, register the same transform from there.
  const cliDir = path.dirname(require.resolve('@backstage/cli/package.json'));
  const load = id =>
    require(require.resolve(id, { paths: [cliDir, __dirname] }));
  let swc;
  let pirates;
  try {
    swc = load('@swc/core');
    pirates = load('pirates');
  } catch {
    throw error;
  }
  pirates.addHook(
    (code, filename) =>
      swc.transformSync(code, {
        filename,
        sourceMaps: 'inline',
        module: { type: 'commonjs', ignoreDynamic: true },
        jsc: { target: 'es2023', parser: { syntax: 'typescript' } },
      }).code,
    { extensions: ['.ts', '.cts'], ignoreNodeModules: true },
  );
}
