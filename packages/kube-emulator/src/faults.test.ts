/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { startCluster } from './cluster';
import type { EmulatedCluster } from './clusterTypes';
import { call } from './__testUtils__/http';
import { eventually, Kubectl } from './__testUtils__/kubectl';

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  }
  throw new Error('expected the request to fail');
}

// Real kubectl processes and servers: generous bounds for a loaded CI machine.
jest.setTimeout(30_000);

describe('faults look to clients like the real failures', () => {
  let cluster: EmulatedCluster;
  let kubectl: Kubectl;

  beforeAll(async () => {
    cluster = await startCluster({
      name: 'faulty',
      nodes: 3,
      podReadyDelayMs: 20,
    });
    kubectl = new Kubectl(cluster.kubeconfigYaml());
  });

  afterEach(async () => {
    await cluster.clearFaults();
  });

  afterAll(async () => {
    await cluster?.stop();
    kubectl?.cleanup();
  });

  it('starts healthy and can start with faults already set', async () => {
    expect(cluster.faults.get()).toMatchObject({
      refuse: false,
      hang: false,
      errorRate: 0,
      latencyMs: 0,
    });
    const slow = await startCluster({
      name: 'slow-start',
      nodes: 1,
      faults: { latencyMs: 150, failingReadyzChecks: ['etcd'] },
    });
    try {
      const started = Date.now();
      const readyz = await call(slow, '/readyz');
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(readyz.status).toBe(500);
    } finally {
      await slow.stop();
    }
  });

  it('adds latency with jitter', async () => {
    await cluster.setFaults({ latencyMs: 120, jitterMs: 60 });
    const started = Date.now();
    const res = await call(cluster, '/version', { token: cluster.adminToken });
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(115);
    expect(elapsed).toBeLessThan(2000);
  });

  it('refuses connections (ECONNREFUSED) and serves again on the same port', async () => {
    const port = cluster.port;
    await cluster.setFaults({ refuse: true });
    expect(await failure(call(cluster, '/readyz'))).toBe('ECONNREFUSED');
    const out = await kubectl.run(['get', 'nodes']);
    expect(out.stderr).toContain('connection refused');
    await cluster.setFaults({ refuse: false });
    expect(cluster.port).toBe(port);
    expect((await call(cluster, '/readyz')).text).toBe('ok');
  });

  it('accepts connections and never answers (the client times out)', async () => {
    await cluster.setFaults({ hang: true });
    const started = Date.now();
    expect(await failure(call(cluster, '/readyz', { timeoutMs: 300 }))).toBe(
      'TIMEOUT',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    const out = await kubectl.run(
      ['get', '--raw', '/readyz', '--request-timeout=1s'],
      { timeoutMs: 12_000 },
    );
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(
      /Client\.Timeout|context deadline exceeded|TLS handshake timeout|i\/o timeout/,
    );
  }, 15_000);

  it('answers a share of requests with 500 InternalError', async () => {
    await cluster.setFaults({ errorRate: 1 });
    const res = await call(cluster, '/api/v1/namespaces', {
      token: cluster.adminToken,
    });
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'InternalError',
      code: 500,
    });
    await cluster.setFaults({ errorRate: 0.5 });
    const statuses = await Promise.all(
      Array.from({ length: 60 }, () =>
        call(cluster, '/livez').then(r => r.status),
      ),
    );
    expect(statuses.filter(s => s === 500).length).toBeGreaterThan(5);
    expect(statuses.filter(s => s === 200).length).toBeGreaterThan(5);
  });

  it('fails readyz checks with the verbose per-check output of the real server', async () => {
    await cluster.setFaults({ failingReadyzChecks: ['etcd', 'informer-sync'] });
    const readyz = await call(cluster, '/readyz');
    expect(readyz.status).toBe(500);
    expect(readyz.text).toContain('[+]ping ok\n');
    expect(readyz.text).toContain('[-]etcd failed: reason withheld\n');
    expect(readyz.text).toContain('[-]informer-sync failed: reason withheld\n');
    expect(readyz.text.endsWith('readyz check failed\n')).toBe(true);
    expect((await call(cluster, '/readyz/etcd')).status).toBe(500);
    expect((await call(cluster, '/readyz/ping')).text).toBe('ok');
    expect(
      (await call(cluster, '/readyz?exclude=etcd&exclude=informer-sync'))
        .status,
    ).toBe(200);
    expect((await call(cluster, '/livez')).status).toBe(200);
    const out = await kubectl.run(['get', '--raw', '/readyz?verbose']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('InternalError');
  });

  it('turns nodes NotReady, and their pods unready', async () => {
    await kubectl.ok([
      'create',
      'deployment',
      'web',
      '--image=nginx:1.27',
      '--replicas=3',
    ]);
    await eventually(
      () =>
        cluster.store.get('deployments', 'web', 'default')?.status
          ?.readyReplicas === 3,
    );
    await cluster.setFaults({ nodesNotReady: 1 });
    const nodes = await kubectl.ok(['get', 'nodes']);
    expect(nodes).toMatch(/faulty-node-1\s+NotReady/);
    expect(nodes).toMatch(/faulty-node-2\s+Ready/);
    const node1 = cluster.store.get('nodes', 'faulty-node-1')!;
    expect(
      node1.status.conditions.find((c: any) => c.type === 'Ready'),
    ).toMatchObject({ status: 'False', reason: 'KubeletNotReady' });
    expect(node1.spec.taints).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: 'node.kubernetes.io/not-ready',
          effect: 'NoSchedule',
        }),
      ]),
    );
    await eventually(
      () =>
        cluster.store.get('deployments', 'web', 'default')?.status
          ?.readyReplicas === 2,
    );
    await cluster.setFaults({ nodesNotReady: true });
    expect(
      (await kubectl.ok(['get', 'nodes'])).match(/NotReady/g),
    ).toHaveLength(3);
    await cluster.clearFaults();
    await eventually(
      () =>
        cluster.store.get('deployments', 'web', 'default')?.status
          ?.readyReplicas === 3,
    );
  });

  it('revokes tokens with 401 Unauthorized', async () => {
    await cluster.setFaults({ revokedTokens: ['admin'] });
    const denied = await call(cluster, '/api/v1/pods', {
      token: cluster.adminToken,
    });
    expect(denied.status).toBe(401);
    expect(denied.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    expect(
      (await call(cluster, '/api/v1/pods', { token: cluster.readOnlyToken }))
        .status,
    ).toBe(200);
    await cluster.setFaults({ revokedTokens: [cluster.readOnlyToken] });
    expect(
      (await call(cluster, '/api/v1/pods', { token: cluster.readOnlyToken }))
        .status,
    ).toBe(401);
    expect(
      (await call(cluster, '/api/v1/pods', { token: cluster.adminToken }))
        .status,
    ).toBe(200);
  });

  it('serves an expired certificate: TLS verification fails', async () => {
    await cluster.setFaults({ expiredCert: true });
    expect(await failure(call(cluster, '/readyz'))).toBe('CERT_HAS_EXPIRED');
    const out = await kubectl.run(['get', 'nodes']);
    expect(out.stderr).toContain(
      'x509: certificate has expired or is not yet valid',
    );
    await cluster.setFaults({ expiredCert: false });
    expect((await call(cluster, '/readyz')).status).toBe(200);
  });

  it('rejects unknown faults with a message naming the field', async () => {
    await expect(cluster.setFaults({ errorRate: 2 })).rejects.toThrow(
      /Invalid faults: errorRate: Number must be less than or equal to 1/,
    );
    await expect(cluster.setFaults({ bogus: true } as any)).rejects.toThrow(
      /unknown option bogus/,
    );
  });

  it('stops and starts on the same port, keeping its objects', async () => {
    await kubectl.ok(['create', 'configmap', 'keep', '--from-literal=a=b']);
    const port = cluster.port;
    await cluster.stop();
    expect(cluster.running).toBe(false);
    expect(await failure(call(cluster, '/readyz'))).toBe('ECONNREFUSED');
    await cluster.start();
    expect(cluster.port).toBe(port);
    expect(
      await kubectl.ok([
        'get',
        'configmap',
        'keep',
        '-o',
        'jsonpath={.data.a}',
      ]),
    ).toBe('b');
  });
});
