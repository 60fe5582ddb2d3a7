/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { startWorkerFleet, WorkerFleet } from './fleet';
import { call, callAdmin } from '../__testUtils__/http';
import { eventually, Kubectl } from '../__testUtils__/kubectl';

// Worker processes, real kubectl: generous bounds for a loaded CI machine.
jest.setTimeout(60_000);

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  }
  throw new Error('expected the request to fail');
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('worker fleets of light clusters', () => {
  let fleet: WorkerFleet;
  let kubectl: Kubectl;

  beforeAll(async () => {
    fleet = await startWorkerFleet({
      clusters: 5,
      workers: 2,
      nodes: 2,
      nodeTemplate: { region: 'eu-west-1' },
      perCluster: i => (i === 5 ? { version: { gitVersion: 'v1.30.2' } } : {}),
    });
    kubectl = new Kubectl(fleet.kubeconfigYaml({ roles: ['probe'] }));
  });

  afterAll(async () => {
    await fleet?.stop();
    kubectl?.cleanup();
  });

  it('spreads the clusters over worker processes sharing one CA each', () => {
    expect(fleet.workers.map(w => w.clusters)).toEqual([3, 2]);
    expect(new Set(fleet.workers.map(w => w.pid)).size).toBe(2);
    expect(fleet.workers.every(w => w.pid !== process.pid)).toBe(true);
    expect(fleet.clusters.map(c => c.name)).toEqual([
      'emulator-1',
      'emulator-2',
      'emulator-3',
      'emulator-4',
      'emulator-5',
    ]);
    expect(new Set(fleet.clusters.map(c => c.port)).size).toBe(5);
    expect(new Set(fleet.clusters.map(c => c.caData)).size).toBe(2);
    expect(new X509Certificate(fleet.cluster(1).caData).ca).toBe(true);
    const c = fleet.cluster(1);
    expect(Object.keys(c.tokens).sort()).toEqual(['probe', 'view']);
    expect(() => fleet.kubeconfig({ role: 'admin' })).toThrow(
      'cluster emulator-1 has no token for the admin role',
    );
  });

  it('serves health, version, discovery and nodes to the real kubectl, nothing else', async () => {
    const nodes = await kubectl.ok([
      '--context',
      'emulator-2-probe',
      'get',
      'nodes',
      '-L',
      'topology.kubernetes.io/region',
    ]);
    expect(nodes).toMatch(
      /^emulator-2-node-1\s+Ready\s+<none>\s+\S+\s+v1\.31\.4\s+eu-west-1$/m,
    );
    expect(nodes).toMatch(/^emulator-2-node-2\s+Ready/m);
    const version = JSON.parse(
      await kubectl.ok(['--context', 'emulator-5', 'version', '-o', 'json']),
    );
    expect(version.serverVersion.gitVersion).toBe('v1.30.2');
    expect(
      await kubectl.ok([
        '--context',
        'emulator-1-probe',
        'get',
        '--raw',
        '/readyz?verbose',
      ]),
    ).toContain('readyz check passed');
    expect(
      await kubectl.ok(['--context', 'emulator-1', 'api-resources']),
    ).toMatch(/^deployments\s+deploy\s+apps\/v1/m);

    // The view token may list pods, but a light cluster has none to serve; the probe token may not.
    const viewPods = await kubectl.run([
      '--context',
      'emulator-1',
      'get',
      'pods',
    ]);
    expect(viewPods.stderr).toContain(
      'the server could not find the requested resource',
    );
    const probePods = await kubectl.run([
      '--context',
      'emulator-1-probe',
      'get',
      'pods',
    ]);
    expect(probePods.stderr).toContain(
      'pods is forbidden: User "archipelago-probe" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    const cordon = await kubectl.run([
      '--context',
      'emulator-1',
      'cordon',
      'emulator-1-node-1',
    ]);
    expect(cordon.stderr).toContain(
      'User "archipelago-view" cannot patch resource "nodes"',
    );
    expect(
      (
        await kubectl.run([
          '--context',
          'emulator-1-probe',
          'auth',
          'can-i',
          'list',
          'nodes',
        ])
      ).stdout,
    ).toBe('yes\n');
  });

  it('answers @kubernetes/client-node with the view identity', async () => {
    const config = new k8s.KubeConfig();
    config.loadFromString(fleet.kubeconfigYaml());
    config.setCurrentContext('emulator-3');
    const core = config.makeApiClient(k8s.CoreV1Api);
    const list = await core.listNode({
      labelSelector: 'kubernetes.io/hostname=emulator-3-node-2',
    });
    expect(list.items.map(n => n.metadata?.name)).toEqual([
      'emulator-3-node-2',
    ]);
    const node = await core.readNode({ name: 'emulator-3-node-1' });
    expect(node.status?.conditions?.find(c => c.type === 'Ready')?.status).toBe(
      'True',
    );
    const missing = await core.readNode({ name: 'nope' }).then(
      () => undefined,
      (e: any) => e,
    );
    expect(missing.code).toBe(404);
  });

  it('takes faults per cluster from the parent: latency, node readiness, errors, revoked tokens, refuse, hang, expired certificates', async () => {
    const c = fleet.cluster(4);
    const probe = { token: c.tokens.probe };
    await c.setFaults({ latencyMs: 150, nodesNotReady: 1 });
    expect(c.faults.get()).toMatchObject({ latencyMs: 150, nodesNotReady: 1 });
    let started = Date.now();
    const nodes = (await call(c, '/api/v1/nodes', probe)).json();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(
      nodes.items.map(
        (n: any) =>
          n.status.conditions.find((x: any) => x.type === 'Ready').status,
      ),
    ).toEqual(['False', 'True']);
    // Other clusters of the same worker are untouched.
    started = Date.now();
    expect((await call(fleet.cluster(5), '/readyz')).text).toBe('ok');
    expect(Date.now() - started).toBeLessThan(140);

    await c.setFaults({ latencyMs: 0, errorRate: 1 });
    expect((await call(c, '/version', probe)).json()).toMatchObject({
      reason: 'InternalError',
      code: 500,
    });
    await c.setFaults({
      errorRate: 0,
      failingReadyzChecks: ['etcd'],
      revokedTokens: ['probe'],
    });
    expect((await call(c, '/readyz')).status).toBe(500);
    expect((await call(c, '/version', probe)).status).toBe(401);
    expect((await call(c, '/version', { token: c.tokens.view })).status).toBe(
      200,
    );

    await c.setFaults({ refuse: true });
    expect(await failure(call(c, '/readyz'))).toBe('ECONNREFUSED');
    await c.setFaults({ refuse: false, hang: true });
    expect(await failure(call(c, '/readyz', { timeoutMs: 300 }))).toBe(
      'TIMEOUT',
    );
    await c.setFaults({ hang: false, expiredCert: true });
    expect(await failure(call(c, '/readyz'))).toBe('CERT_HAS_EXPIRED');
    await c.clearFaults();
    expect((await call(c, '/readyz')).text).toBe('ok');
    await expect(c.setFaults({ errorRate: 2 })).rejects.toThrow(
      'Invalid faults: errorRate: Number must be less than or equal to 1',
    );
  });

  it('stops and starts a cluster on the same port', async () => {
    const c = fleet.cluster(1);
    const port = c.port;
    await c.stop();
    expect(c.running).toBe(false);
    expect(await failure(call(c, '/readyz'))).toBe('ECONNREFUSED');
    await c.start();
    expect(c.running).toBe(true);
    expect(c.port).toBe(port);
    expect((await call(c, '/readyz')).text).toBe('ok');
  });

  it('is controlled through the admin endpoint with the admin token', async () => {
    const token = fleet.adminToken!;
    const admin = fleet.adminUrl!;
    expect((await callAdmin(`${admin}/clusters`)).status).toBe(401);
    const list = (await callAdmin(`${admin}/clusters`, { token })).json();
    expect(list.items).toHaveLength(5);
    expect(list.items[0]).toMatchObject({
      name: 'emulator-1',
      mode: 'light',
      running: true,
      nodes: 2,
      tokens: fleet.cluster(1).tokens,
    });
    const stopped = await callAdmin(`${admin}/clusters/emulator-2/stop`, {
      method: 'POST',
      token,
    });
    expect(stopped.json().running).toBe(false);
    expect(await failure(call(fleet.cluster(2), '/readyz'))).toBe(
      'ECONNREFUSED',
    );
    await callAdmin(`${admin}/clusters/emulator-2/start`, {
      method: 'POST',
      token,
    });
    const patched = await callAdmin(`${admin}/faults`, {
      method: 'PATCH',
      token,
      body: { failingReadyzChecks: ['etcd'] },
    });
    expect(patched.status).toBe(200);
    for (const c of fleet.clusters)
      expect((await call(c, '/readyz')).status).toBe(500);
    const bad = await callAdmin(`${admin}/clusters/emulator-1/faults`, {
      method: 'PATCH',
      token,
      body: { latencyMs: 'slow' },
    });
    expect(bad.status).toBe(400);
    await callAdmin(`${admin}/faults`, { method: 'DELETE', token });
    expect((await call(fleet.cluster(3), '/readyz')).text).toBe('ok');
  });

  it('reports worker memory, and no worker outlives stop()', async () => {
    const rss = await fleet.workerRss();
    expect(rss).toHaveLength(2);
    for (const r of rss) expect(r).toBeGreaterThan(10 * 1024 * 1024);
    const other = await startWorkerFleet({
      clusters: 2,
      workers: 2,
      adminPort: null,
      latencyMs: 100,
    });
    const pids = other.workers.map(w => w.pid);
    const started = Date.now();
    expect((await call(other.cluster(2), '/livez')).text).toBe('ok');
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    await other.stop();
    expect(pids.filter(alive)).toEqual([]);
    expect(await failure(call(other.cluster(1), '/livez'))).toBe(
      'ECONNREFUSED',
    );
  });

  it('rejects bad options naming the field', async () => {
    await expect(startWorkerFleet({ clusters: 0 })).rejects.toThrow(
      /clusters: Number must be greater than or equal to 1/,
    );
    await expect(startWorkerFleet({ clusters: 1, nodes: 500 })).rejects.toThrow(
      /nodes: Number must be less than or equal to 100/,
    );
    await expect(
      startWorkerFleet({ clusters: 1, podReadyDelayMs: 5 } as any),
    ).rejects.toThrow(/unknown option podReadyDelayMs/);
  });
});

describe('the CLI with --workers', () => {
  it('serves light clusters from worker processes until SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-emulator-cli-workers-'));
    const kubeconfig = join(dir, 'kubeconfig.yaml');
    const bin = resolve(__dirname, '..', '..', 'bin', 'kube-emulator');
    const child = spawn(
      process.execPath,
      [
        bin,
        '--clusters',
        '3',
        '--workers',
        '2',
        '--kubeconfig',
        kubeconfig,
        '--admin-port',
        'off',
        '--roles',
        'probe',
        '--latency-ms',
        '5',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (out += d));
    const exited = new Promise<number | null>(r =>
      child.on('exit', code => r(code)),
    );
    try {
      await eventually(() => out.includes('Press Ctrl+C'), 30_000).catch(e => {
        throw new Error(`${e.message}\n${out}`);
      });
      expect(out).toContain('kube-emulator: 3 clusters listening on 127.0.0.1');
      const kubectl = new Kubectl(readFileSync(kubeconfig, 'utf8'));
      try {
        expect(
          await kubectl.ok([
            '--context',
            'emulator-3',
            'get',
            'nodes',
            '-o',
            'name',
          ]),
        ).toContain('node/emulator-3-node-1');
        expect(
          await kubectl.ok([
            '--context',
            'emulator-3-probe',
            'get',
            '--raw',
            '/livez',
          ]),
        ).toBe('ok');
      } finally {
        kubectl.cleanup();
      }
    } finally {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
    expect(await exited).toBe(0);
  });

  it('refuses flags that light clusters cannot honour', async () => {
    const bin = resolve(__dirname, '..', '..', 'bin', 'kube-emulator');
    const run = spawn(
      process.execPath,
      [bin, '--workers', '2', '--roles', 'deploy'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    run.stderr.on('data', d => (out += d));
    const code = await new Promise(r => run.on('exit', r));
    expect(code).toBe(2);
    expect(out).toContain(
      '--roles: light clusters (--workers) have only the view and probe roles',
    );
  });
});
