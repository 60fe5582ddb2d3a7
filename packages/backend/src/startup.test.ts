/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

jest.setTimeout(120_000);

const BACKEND = path.resolve(__dirname, '..');
const ROOT = path.resolve(BACKEND, '../..');

/** Runs the example backend from source (as `backstage-cli package start` does) until it exits. */
function runBackend(
  extraConfig: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; output: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backend-startup-'));
  const file = path.join(dir, 'app-config.test.yaml');
  fs.writeFileSync(file, extraConfig);
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      path.join(BACKEND, 'src', 'index.ts'),
      '--config',
      path.join(ROOT, 'app-config.yaml'),
      '--config',
      file,
    ],
    {
      cwd: BACKEND,
      env: { PATH: process.env.PATH, NODE_ENV: 'development', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', d => (output += String(d)));
  child.stderr.on('data', d => (output += String(d)));
  return new Promise(resolve => {
    // A backend that does not exit within the bound has ignored its failure.
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.once('exit', code => {
      clearTimeout(timer);
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ code, output });
    });
  });
}

// Nothing of the demo fleet starts, and no fixed port is taken.
const QUIET = `
backend:
  listen: { port: 0 }
multicluster:
  providers: { emulator: false }
  environments: { local: false }
`;

describe('the example backend', () => {
  it('exits non-zero, naming the key, when the multicluster config is invalid', async () => {
    const { code, output } = await runBackend(
      `${QUIET}  health: { intervalSeconds: -5 }\n`,
    );
    expect(code).toBe(1);
    expect(output).toMatch(
      /Backend failed to start: [\s\S]*multicluster\.health\.intervalSeconds/,
    );
  });

  it('exits non-zero, naming the variable, when a required secret is unset', async () => {
    const { code, output } = await runBackend(
      `${QUIET}archipelago:\n  requiredEnvironment: [BACKEND_SECRET, POSTGRES_PASSWORD]\n`,
      { BACKEND_SECRET: 'set' },
    );
    expect(code).toBe(1);
    expect(output).toMatch(
      /Backend failed to start: [\s\S]*environment variable POSTGRES_PASSWORD is not set/,
    );
    expect(output).not.toMatch(/BACKEND_SECRET is not set/);
  });
});
