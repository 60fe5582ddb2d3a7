/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { startFleet, type Fleet } from '@archipelago/kube-emulator';
import type { Cluster } from '@archipelago/multicluster-common';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { multiclusterPlugin } from '../plugin';

jest.setTimeout(120_000);

/**
 * Acceptance: an emulated fleet of 20 clusters with one hanging, one refusing,
 * one failing a readyz check, one with a revoked token and one with NotReady
 * nodes, discovered from a kubeconfig and probed through the real plugin.
 */
describe('inventory on an emulated fleet', () => {
  let fleet: Fleet;
  let dir: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const bodies: string[] = [];
  const logs: string[] = [];

  const get = async (url: string, expectStatus = 200) => {
    const res = await request(backend.server).get(`/api/multicluster${url}`);
    bodies.push(res.text);
    expect(res.status).toBe(expectStatus);
    return res.body;
  };
  const refresh = async () => {
    const res = await request(backend.server).post(
      '/api/multicluster/clusters/refresh',
    );
    bodies.push(res.text);
    expect(res.status).toBe(202);
  };
  const byName = async (): Promise<Record<string, Cluster>> => {
    const page = await get('/clusters?limit=500');
    return Object.fromEntries((page.items as Cluster[]).map(c => [c.name, c]));
  };

  beforeAll(async () => {
    const capture = (write: typeof process.stdout.write) =>
      ((chunk: any, ...rest: any[]) => {
        logs.push(String(chunk));
        return (write as any)(chunk, ...rest);
      }) as typeof process.stdout.write;
    jest
      .spyOn(process.stdout, 'write')
      .mockImplementation(capture(process.stdout.write.bind(process.stdout)));
    jest
      .spyOn(process.stderr, 'write')
      .mockImplementation(capture(process.stderr.write.bind(process.stderr)));

    fleet = await startFleet({
      clusters: 20,
      nodes: 3,
      adminPort: null,
      podReadyDelayMs: 0,
    });
    await fleet.cluster(1).setFaults({ hang: true });
    await fleet.cluster(2).setFaults({ refuse: true });
    await fleet.cluster(3).setFaults({ failingReadyzChecks: ['etcd'] });
    await fleet.cluster(4).setFaults({ revokedTokens: ['admin'] });
    await fleet.cluster(5).setFaults({ nodesNotReady: 1 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-fleet-'));
    const kubeconfig = path.join(dir, 'kubeconfig');
    await fleet.writeKubeconfig(kubeconfig);

    backend = await startTestBackend({
      features: [
        multiclusterPlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            multicluster: {
              // The environments engine shares the plugin and needs its key even when unused.
              environments: {
                secretKey: 'test-only-environments-key-0123456789abcdef',
                dataDir: path.join(os.tmpdir(), 'mc-test-environments'),
              },
              providers: {
                kubeconfig: [{ file: kubeconfig, labels: { fleet: 'test' } }],
              },
              health: {
                // Long enough for a loaded CI machine; the hanging cluster still times out.
                timeoutSeconds: 3,
                intervalSeconds: 3600,
                flapThreshold: 2,
                concurrency: 8,
              },
              discovery: { intervalSeconds: 3600 },
            },
          },
        }),
      ],
    });
    // One refresh: discovery, which triggers a probe round for the new clusters, then another round.
    await refresh();
  });

  afterAll(async () => {
    await backend?.stop();
    await fleet?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    jest.restoreAllMocks();
  });

  it('classifies every cluster', async () => {
    const clusters = await byName();
    expect(Object.keys(clusters)).toHaveLength(20);
    expect(clusters['emulator-1'].status).toMatchObject({
      health: 'unreachable',
      reason: expect.stringMatching(/^timeout/),
    });
    // A stopped cluster's port refuses connections — unless another process
    // on the machine has been given that free port meanwhile (it then fails
    // the TLS handshake): unreachable either way.
    expect(clusters['emulator-2'].status).toMatchObject({
      health: 'unreachable',
      reason: expect.stringMatching(/^(connection refused|network error)/),
    });
    expect(clusters['emulator-3'].status).toMatchObject({
      health: 'unhealthy',
      reason: 'readyz check failed: etcd',
    });
    expect(clusters['emulator-3'].status.checks).toContainEqual(
      expect.objectContaining({ name: 'etcd', ok: false }),
    );
    expect(clusters['emulator-4'].status).toMatchObject({
      health: 'unauthorized',
      reason: expect.stringMatching(/401/),
    });
    expect(clusters['emulator-5'].status).toMatchObject({
      health: 'degraded',
      reason: '1 of 3 nodes NotReady',
      nodes: { ready: 2, total: 3 },
    });
    for (let i = 6; i <= 20; i++) {
      const c = clusters[`emulator-${i}`];
      expect([c.name, c.status.health]).toEqual([`emulator-${i}`, 'healthy']);
      expect(c.status).toMatchObject({
        nodes: { ready: 3, total: 3 },
        version: expect.stringMatching(/^v1\./),
        stale: false,
      });
      expect(c.status.allocatable?.cpu).toBeGreaterThan(0);
      expect(c.labels).toEqual({ fleet: 'test' });
      expect(c.sources).toEqual([
        expect.objectContaining({ provider: 'kubeconfig', stale: false }),
      ]);
      expect(c.status.tlsVerificationDisabled).toBeUndefined();
    }
    const summary = await get('/summary');
    expect(summary).toMatchObject({
      totalClusters: 20,
      byHealth: {
        healthy: 15,
        degraded: 1,
        unhealthy: 1,
        unreachable: 2,
        unauthorized: 1,
        unknown: 0,
      },
    });
  });

  it('flips a stopped cluster to unreachable within two probe rounds while the others stay healthy', async () => {
    await fleet.cluster(7).stop();
    try {
      await refresh(); // round 1: observed unreachable, damped
      let clusters = await byName();
      expect(clusters['emulator-7'].status.health).toBe('healthy');
      await refresh(); // round 2: applied
      clusters = await byName();
      expect(clusters['emulator-7'].status).toMatchObject({
        health: 'unreachable',
        reason: expect.stringMatching(/^connection refused/),
      });
      const others = Array.from({ length: 15 }, (_, k) => k + 6).filter(
        i => i !== 7,
      );
      expect(others.map(i => clusters[`emulator-${i}`].status.health)).toEqual(
        others.map(() => 'healthy'),
      );
      const health = await get(`/clusters/${clusters['emulator-7'].id}/health`);
      expect(health.current.health).toBe('unreachable');
      expect(health.history.slice(0, 2).map((h: any) => h.health)).toEqual([
        'unreachable',
        'unreachable',
      ]);
      expect(health.history[2].health).toBe('healthy');
    } finally {
      await fleet.cluster(7).start();
    }
  });

  it('serves ETags and filters', async () => {
    const first = await request(backend.server).get(
      '/api/multicluster/clusters?health=healthy&limit=5',
    );
    bodies.push(first.text);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(5);
    expect(first.body.nextCursor).toBeDefined();
    const again = await request(backend.server)
      .get('/api/multicluster/clusters?health=healthy&limit=5')
      .set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
    const next = await get(
      `/clusters?health=healthy&limit=5&cursor=${encodeURIComponent(
        first.body.nextCursor,
      )}`,
    );
    expect(next.items.map((c: Cluster) => c.id)).not.toContain(
      first.body.items[0].id,
    );
    const bad = await get('/clusters?health=great', 400);
    expect(bad.error.message).toMatch(
      /^query parameter health.0 must be equal to one of the allowed values: healthy, degraded/,
    );
  });

  it('never returns a credential', async () => {
    const clusters = Object.values(await byName());
    for (const c of clusters) {
      await get(`/clusters/${c.id}`);
      await get(`/clusters/${c.id}/health`);
    }
    await get('/clusters/does-not-exist', 404);
    await get('/clusters?selector=in(', 400);
    const secrets = fleet.clusters.flatMap(c => [
      c.adminToken,
      c.readOnlyToken,
    ]);
    expect(secrets.length).toBe(40);
    const all = bodies.join('\n');
    expect(all.length).toBeGreaterThan(10_000);
    for (const secret of secrets) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/PRIVATE KEY|password|BEGIN CERTIFICATE/i);
    const logText = logs.join('');
    for (const secret of secrets) expect(logText).not.toContain(secret);
  });
});
