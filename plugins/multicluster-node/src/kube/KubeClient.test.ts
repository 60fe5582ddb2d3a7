/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { type Fleet, startFleet } from '@archipelago/kube-emulator';
import { KubeApiError, KubeClient } from './KubeClient';

jest.setTimeout(30_000);

describe('KubeClient on emulated clusters', () => {
  let fleet: Fleet;
  const clients: KubeClient[] = [];
  const client = (
    i: number,
    extra: { token?: string; caData?: string; requestTimeoutMs?: number } = {},
  ) => {
    const c = fleet.cluster(i);
    const k = new KubeClient(
      {
        id: c.name,
        name: c.name,
        url: c.url,
        caData: extra.caData ?? c.caData,
        skipTLSVerify: false,
        token: extra.token ?? c.adminToken,
      },
      { requestTimeoutMs: extra.requestTimeoutMs ?? 5000 },
    );
    clients.push(k);
    return k;
  };
  const failure = async (p: Promise<unknown>): Promise<KubeApiError> => {
    try {
      await p;
    } catch (e) {
      expect(e).toBeInstanceOf(KubeApiError);
      return e as KubeApiError;
    }
    throw new Error('expected a failure');
  };

  beforeAll(async () => {
    fleet = await startFleet({ clusters: 3, nodes: 1, adminPort: null });
    await fleet.cluster(2).setFaults({ hang: true });
    await fleet.cluster(3).setFaults({ refuse: true });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await fleet?.stop();
  });

  it('finds resources by discovery, for core, grouped and cluster-scoped kinds', async () => {
    const k = client(1);
    await expect(k.resource('apps/v1', 'Deployment')).resolves.toEqual({
      base: '/apis/apps/v1',
      plural: 'deployments',
      namespaced: true,
    });
    await expect(k.resource('v1', 'Namespace')).resolves.toEqual({
      base: '/api/v1',
      plural: 'namespaces',
      namespaced: false,
    });
    await expect(k.path('v1', 'ConfigMap', 'shop', 'a b')).resolves.toEqual({
      path: '/api/v1/namespaces/shop/configmaps/a%20b',
      namespaced: true,
    });
    expect((await failure(k.resource('apps/v1', 'Widget'))).message).toBe(
      'the cluster has no kind Widget in apps/v1',
    );
    expect(
      (await failure(k.resource('example.com/v1', 'Widget'))).message,
    ).toBe('the cluster does not serve example.com/v1');
  });

  it('answers undefined for a missing object and the Status message for an error', async () => {
    const k = client(1);
    await expect(
      k.get('/api/v1/namespaces/nowhere/configmaps/x'),
    ).resolves.toBeUndefined();
    const e = await failure(
      k.request('POST', '/api/v1/namespaces', {
        body: { apiVersion: 'v1', kind: 'Namespace', metadata: {} },
      }),
    );
    expect(e.status).toBe(422);
    expect(e.message).toMatch(/^POST \/api\/v1\/namespaces: /);
    expect(e.unreachable).toBe(false);
  });

  it('times out a cluster that never answers', async () => {
    const started = Date.now();
    const e = await failure(
      client(2, { requestTimeoutMs: 300 }).request('GET', '/version'),
    );
    expect(e).toMatchObject({ transport: 'timeout', unreachable: true });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('tells a refused connection, a bad token and an unknown CA apart, without echoing the token', async () => {
    const refused = await failure(client(3).request('GET', '/version'));
    expect(refused).toMatchObject({
      transport: 'refused',
      unreachable: true,
      message: 'GET /version: connection refused',
    });
    const token = 'definitely-not-a-valid-token';
    const unauthorized = await failure(
      client(1, { token }).request('GET', '/api/v1/namespaces'),
    );
    expect(unauthorized).toMatchObject({ status: 401, unreachable: true });
    expect(unauthorized.message).not.toContain(token);
    const tls = await failure(
      client(1, { caData: fleet.cluster(2).caData }).request('GET', '/version'),
    );
    expect(tls).toMatchObject({ transport: 'tls', unreachable: true });
  });

  it('aborts on a signal', async () => {
    const controller = new AbortController();
    const pending = client(2, { requestTimeoutMs: 10_000 }).request(
      'GET',
      '/version',
      { signal: controller.signal },
    );
    controller.abort();
    expect(await failure(pending)).toMatchObject({
      transport: 'aborted',
      unreachable: false,
    });
  });
});
