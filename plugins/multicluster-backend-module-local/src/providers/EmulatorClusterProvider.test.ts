/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import multiclusterPlugin from '@archipelago/multicluster-backend';
import {
  multiclusterApi,
  waitFor,
} from '@archipelago/multicluster-node-test-utils';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import localModule from '../index';
import { degradedIndex } from './EmulatorClusterProvider';

jest.setTimeout(60_000);

/**
 * A free port below the ephemeral range (which starts at 32768 on Linux), so
 * that no server of the test backend, listening on port 0, takes it first.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    const free = await new Promise<boolean>(resolve => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

describe('EmulatorClusterProvider', () => {
  it('picks the degraded cluster', () => {
    const names = ['emulator-1', 'emulator-2', 'emulator-3', 'emulator-4'];
    const base = {
      enabled: true,
      clusters: 4,
      nodesPerCluster: 1,
      basePort: 0,
      labels: {},
    };
    expect(degradedIndex({ ...base, degraded: true }, names)).toBe(3);
    expect(degradedIndex({ ...base, degraded: true }, names.slice(0, 2))).toBe(
      2,
    );
    expect(degradedIndex({ ...base, degraded: 'emulator-4' }, names)).toBe(4);
    expect(degradedIndex({ ...base, degraded: false }, names)).toBeUndefined();
  });

  it('feeds an emulated fleet with cloud and region labels to the inventory, its demo fault visible to the prober', async () => {
    const backend = await startTestBackend({
      features: [
        multiclusterPlugin,
        localModule,
        mockServices.rootConfig.factory({
          data: {
            multicluster: {
              providers: {
                emulator: {
                  clusters: 3,
                  nodesPerCluster: 1,
                  labels: { demo: 'yes' },
                },
              },
            },
          },
        }),
      ],
    });
    try {
      const api = multiclusterApi(backend.server);
      // Discovery, then a probe round, now.
      expect((await api.call('POST', '/clusters/refresh')).status).toBe(202);
      const clusters = await waitFor(
        async () => {
          const items = (await api.get('/clusters?sort=name')).body.items;
          return items?.length === 3 &&
            items.every((c: any) => c.status.lastProbeAt)
            ? items
            : undefined;
        },
        { what: 'three probed emulated clusters' },
      );
      expect(
        clusters.map((c: any) => [
          c.name,
          c.cloud,
          c.region,
          c.labels.cloud,
          c.labels.demo,
          c.distribution,
        ]),
      ).toEqual([
        ['emulator-1', 'aws', 'us-east-1', 'aws', 'yes', 'emulator'],
        ['emulator-2', 'azure', 'westeurope', 'azure', 'yes', 'emulator'],
        ['emulator-3', 'gcp', 'europe-west1', 'gcp', 'yes', 'emulator'],
      ]);
      expect(clusters[0].url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      // The degraded demo cluster really has a NotReady node, as the prober sees it.
      expect(clusters.map((c: any) => [c.name, c.status.health])).toEqual([
        ['emulator-1', 'healthy'],
        ['emulator-2', 'healthy'],
        ['emulator-3', 'degraded'],
      ]);
      expect(clusters[2].status.reason).toBe('1 of 2 nodes NotReady');
      // Rediscovery reuses the running fleet: the same URLs.
      expect((await api.call('POST', '/clusters/refresh')).status).toBe(202);
      expect(
        (await api.get('/clusters?sort=name')).body.items.map(
          (c: any) => c.url,
        ),
      ).toEqual(clusters.map((c: any) => c.url));
    } finally {
      await backend.stop();
    }
  });

  it('locks the admin endpoint with a generated token kept in the data folder', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'archi-emulator-'));
    const adminPort = await freePort();
    const backend = await startTestBackend({
      features: [
        multiclusterPlugin,
        localModule,
        mockServices.rootConfig.factory({
          data: {
            multicluster: {
              providers: { emulator: { clusters: 1, adminPort } },
              environments: { dataDir },
            },
          },
        }),
      ],
    });
    try {
      // Discovery starts the fleet.
      const api = multiclusterApi(backend.server);
      expect((await api.call('POST', '/clusters/refresh')).status).toBe(202);
      const file = path.join(dataDir, 'emulator', 'admin-token');
      const token = await waitFor(
        async () => (await readFile(file, 'utf8').catch(() => '')).trim(),
        { what: 'the generated admin token' },
      );
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const admin = `http://127.0.0.1:${adminPort}`;
      expect((await fetch(`${admin}/clusters`)).status).toBe(401);
      const listed = await fetch(`${admin}/clusters`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(listed.status).toBe(200);
      // A bodiless POST without the JSON type is what an HTML form sends: refused.
      expect(
        (
          await fetch(`${admin}/clusters/emulator-1/stop`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
          })
        ).status,
      ).toBe(415);
      // The inventory holds role tokens only: the admin token reaches no API server.
      const { items } = await listed.json();
      expect(JSON.stringify(await api.get('/clusters'))).not.toContain(
        items[0].tokens.admin,
      );
    } finally {
      await backend.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
