/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real kubectl with a private kubeconfig, HOME and cache directory, so no test reads
 * or writes the user's ~/.kube. Bounded by `timeoutMs` (the process is killed after it).
 */
export class Kubectl {
  readonly dir: string;
  readonly kubeconfig: string;

  constructor(kubeconfigYaml: string) {
    this.dir = mkdtempSync(join(tmpdir(), 'kube-emulator-kubectl-'));
    this.kubeconfig = join(this.dir, 'config');
    writeFileSync(this.kubeconfig, kubeconfigYaml, { mode: 0o600 });
  }

  file(name: string, content: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, content);
    return path;
  }

  run(
    args: string[],
    options: { input?: string; timeoutMs?: number } = {},
  ): Promise<KubectlResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        'kubectl',
        [
          '--request-timeout=20s',
          `--cache-dir=${join(this.dir, 'cache')}`,
          ...args,
        ],
        {
          env: {
            PATH: process.env.PATH,
            HOME: this.dir,
            KUBECONFIG: this.kubeconfig,
          },
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', d => (stdout += d));
      child.stderr.on('data', d => (stderr += d));
      const timer = setTimeout(
        () => child.kill('SIGKILL'),
        options.timeoutMs ?? 30_000,
      );
      child.on('error', e => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', code => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      child.stdin.end(options.input ?? '');
    });
  }

  /** Runs kubectl and fails with its output when it exits non-zero. */
  async ok(
    args: string[],
    options?: { input?: string; timeoutMs?: number },
  ): Promise<string> {
    const r = await this.run(args, options);
    if (r.code !== 0) {
      throw new Error(
        `kubectl ${args.join(' ')} exited ${r.code}\nstdout: ${
          r.stdout
        }\nstderr: ${r.stderr}`,
      );
    }
    return r.stdout;
  }

  cleanup() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Polls `check` until it returns a truthy value, at most `timeoutMs`. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `condition not met within ${timeoutMs} ms${last ? `: ${last}` : ''}`,
      );
    }
    await new Promise(r => setTimeout(r, intervalMs));
  }
}
