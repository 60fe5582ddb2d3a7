/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { EmulatedCluster } from '@archipelago/kube-emulator';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The real kubectl against one emulated cluster (admin context), with a
 * private kubeconfig, HOME and cache. Bounded: 20 s per call.
 */
export class Kubectl {
  private readonly dir: string;
  private readonly kubeconfig: string;

  constructor(cluster: EmulatedCluster) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-workloads-kubectl-'));
    this.kubeconfig = path.join(this.dir, 'config');
    fs.writeFileSync(this.kubeconfig, cluster.kubeconfigYaml(), {
      mode: 0o600,
    });
  }

  run(
    args: string[],
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise(resolve => {
      execFile(
        'kubectl',
        [
          '--request-timeout=10s',
          `--cache-dir=${path.join(this.dir, 'cache')}`,
          ...args,
        ],
        {
          env: {
            PATH: process.env.PATH,
            HOME: this.dir,
            KUBECONFIG: this.kubeconfig,
          },
          timeout: 20_000,
        },
        (error, stdout, stderr) => {
          let code = 0;
          if (error) code = typeof error.code === 'number' ? error.code : 1;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
    });
  }

  async ok(args: string[]): Promise<string> {
    const r = await this.run(args);
    if (r.code !== 0)
      throw new Error(
        `kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`,
      );
    return r.stdout;
  }

  /** A Deployment as JSON, or undefined when kubectl finds none. */
  async deployment(
    namespace: string,
    name: string,
  ): Promise<Record<string, any> | undefined> {
    const r = await this.run([
      '-n',
      namespace,
      'get',
      'deployment',
      name,
      '-o',
      'json',
    ]);
    if (r.code !== 0) {
      if (/NotFound|not found/.test(r.stderr)) return undefined;
      throw new Error(`kubectl get deployment exited ${r.code}: ${r.stderr}`);
    }
    return JSON.parse(r.stdout);
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
