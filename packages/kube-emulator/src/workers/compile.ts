/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

// A worker runs the light cluster's modules only. Loading them through a TypeScript transform
// in every worker costs each ~50 MB (the compiler itself); instead they are compiled once, here,
// to plain CommonJS in a private temporary folder, and every worker runs that.

type Transform = (code: string, filename: string) => string;

/** This package's folder (it has the sources: worker fleets run from them). */
export function packageRoot(): string {
  return dirname(require.resolve('@archipelago/kube-emulator/package.json'));
}

/** SWC's transform, from wherever the Backstage CLI (or this package) gets it. */
function loadTransform(): Transform {
  const candidates = [packageRoot()];
  try {
    candidates.unshift(dirname(require.resolve('@backstage/cli/package.json')));
  } catch {
    // the CLI is not installed: look next to this package only
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const swc = require(require.resolve('@swc/core', { paths: candidates }));
  return (code, filename) =>
    swc.transformSync(code, {
      filename,
      module: { type: 'commonjs', ignoreDynamic: true },
      jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    }).code;
}

function resolveSource(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      // try the next form
    }
  }
  throw new Error(`kube-emulator: cannot resolve ${spec} from ${from}`);
}

/**
 * Compiles `entry` (a .ts file of this package) and every module it requires from this package
 * into a new private folder (mode 0700); package imports are pinned to their resolved paths.
 * Returns the folder and the compiled entry's path.
 */
export function compileWorker(entry: string): { dir: string; main: string } {
  const transform = loadTransform();
  const srcRoot = join(packageRoot(), 'src');
  const dir = mkdtempSync(join(tmpdir(), 'kube-emulator-worker-'));
  const done = new Set<string>();
  const queue = [entry];
  const outOf = (file: string) =>
    join(dir, relative(srcRoot, file)).replace(/\.ts$/, '.js');
  while (queue.length) {
    const file = queue.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const out = outOf(file);
    mkdirSync(dirname(out), { recursive: true, mode: 0o700 });
    if (file.endsWith('.json')) {
      writeFileSync(out, readFileSync(file), { mode: 0o600 });
      continue;
    }
    const code = transform(readFileSync(file, 'utf8'), file).replace(
      /require\("([^"]+)"\)/g,
      (all, spec: string) => {
        if (spec.startsWith('node:')) return all;
        if (spec.startsWith('.')) {
          const target = resolveSource(file, spec);
          queue.push(target);
          let rel = relative(dirname(out), outOf(target));
          if (!rel.startsWith('.')) rel = `./${rel}`;
          return `require(${JSON.stringify(rel)})`;
        }
        // A dependency: pinned to the file this package resolves it to.
        return `require(${JSON.stringify(
          require.resolve(spec, { paths: [dirname(file)] }),
        )})`;
      },
    );
    writeFileSync(out, code, { mode: 0o600 });
  }
  const main = join(dir, 'main.js');
  writeFileSync(
    main,
    `require(${JSON.stringify(
      outOf(entry),
    )}).runWorker().catch(e => { process.stderr.write(String(e && e.stack || e) + '\\n'); process.exit(1); });\n`,
    { mode: 0o600 },
  );
  return { dir, main };
}
