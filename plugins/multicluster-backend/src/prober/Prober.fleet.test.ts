/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startFleet, type Fleet } from '@archipelago/kube-emulator';
import { mockServices } from '@backstage/backend-test-utils';
import type { ClusterConnection } from '../inventory/ConnectionRegistry';
import type { ProbeTarget } from '../inventory/types';
import { KubeHttpClient } from './kubeHttp';
import { probeClusters } from './Prober';

jest.setTimeout(60_000);

/**
 * Rounds over real emulated API servers (HTTPS): one TLS handshake per cluster
 * and round, and a reconnect resumes the cached session.
 */
describe('probeClusters against emulated clusters', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({ clusters: 4, nodes: 2, adminPort: null });
    await fleet.cluster(4).setFaults({ refuse: true });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  const closed = async (http: KubeHttpClient) => {
    for (let i = 0; i < 100 && http.stats().open > 0; i++) await sleep(20);
  };

  it('makes one connection per answering cluster, closes it after the probe and resumes its session', async () => {
    const http = new KubeHttpClient();
    const targets: ProbeTarget[] = fleet.clusters.map(c => ({
      id: c.name,
      urlKey: c.url,
      name: c.name,
      url: c.url,
      skipTLSVerify: false,
      health: 'unknown',
    }));
    const connections = new Map<string, ClusterConnection>(
      fleet.clusters.map(c => [
        c.url,
        {
          provider: 'test',
          sourceId: c.name,
          url: c.url,
          caData: c.caData,
          skipTLSVerify: false,
          credentials: async () => ({ type: 'bearer', token: c.tokens.probe }),
        },
      ]),
    );
    const round = () =>
      probeClusters(
        { http, logger: mockServices.logger.mock() },
        targets,
        t => connections.get(t.urlKey),
        { timeoutMs: 5000, concurrency: 2, maxConcurrency: 8 },
      );
    try {
      const first = await round();
      expect(
        Object.fromEntries(first.map(o => [o.id, o.classification.health])),
      ).toEqual({
        'emulator-1': 'healthy',
        'emulator-2': 'healthy',
        'emulator-3': 'healthy',
        'emulator-4': 'unreachable',
      });
      expect(first[0]).toMatchObject({
        version: expect.stringMatching(/^v1\./),
        nodes: { ready: 2, total: 2 },
      });
      // readyz, /version and the node list over one socket per cluster, closed once done
      // (a destroyed socket leaves its agent on its 'close' event, a tick later).
      await closed(http);
      expect(http.stats()).toEqual({ connections: 3, resumed: 0, open: 0 });

      const second = await round();
      expect(
        second.filter(o => o.classification.health === 'healthy'),
      ).toHaveLength(3);
      await closed(http);
      expect(http.stats()).toEqual({ connections: 6, resumed: 3, open: 0 });
    } finally {
      http.close();
    }
  });
});
