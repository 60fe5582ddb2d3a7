/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import multiclusterPlugin from '@archipelago/multicluster-backend';
import {
  captureMulticlusterContributions,
  multiclusterApi,
} from '@archipelago/multicluster-node-test-utils';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { multiclusterModuleLocal } from './module';

jest.setTimeout(60_000);

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'archi-local-module-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function capture(multicluster: JsonObject) {
  const captured = captureMulticlusterContributions({ workloads: true, dns: true });
  const backend = await startTestBackend({
    extensionPoints: captured.extensionPoints,
    features: [
      multiclusterModuleLocal,
      mockServices.rootConfig.factory({ data: { multicluster } }),
    ],
  });
  await backend.stop();
  return captured;
}

describe('multiclusterModuleLocal', () => {
  it('contributes nothing without config', async () => {
    const captured = await capture({});
    expect(captured.providers).toEqual([]);
    expect(captured.drivers).toEqual([]);
    expect(captured.templates).toEqual({});
    expect(captured.mappings).toEqual({});
    expect(captured.workloads).toEqual([]);
  });

  it('adds the example workloads of the emulated fleet', async () => {
    const captured = await capture({
      providers: {
        emulator: {
          clusters: 1,
          workloadsDirectory: path.resolve(
            __dirname,
            '../../../examples/workloads',
          ),
        },
      },
    });
    expect(captured.workloads.map(w => w.name)).toEqual([
      'catalog-web',
      'checkout',
    ]);
  });

  it.each([
    ['false', false],
    ['enabled: false', { enabled: false }],
  ])('stays off with local: %s', async (_what, local) => {
    const captured = await capture({
      environments: { local, dataDir },
      providers: { emulator: false },
    });
    expect(captured.drivers).toEqual([]);
    expect(captured.providers).toEqual([]);
  });

  it('adds the local drivers, their templates and the local type mappings', async () => {
    const captured = await capture({ environments: { local: true, dataDir } });
    expect(captured.drivers.map(d => d.id).sort()).toEqual([
      'emulator-cluster',
      'kubeconfig-cluster',
      'local-network',
      'postgres-database',
      's3-bucket',
    ]);
    expect(
      Object.values(captured.templates).every(t =>
        captured.drivers.some(d => d.id === t.driver),
      ),
    ).toBe(true);
    expect(Object.keys(captured.mappings)).toEqual(['local']);
    expect(Object.keys(captured.mappings.local).sort()).toEqual([
      'dev-large',
      'dev-small',
      'production',
    ]);
    expect(captured.providers).toEqual([]);
  });

  it('makes the data folder private to the backend user', async () => {
    const dir = path.join(dataDir, 'private');
    await mkdir(dir, { mode: 0o777 });
    await chmod(dir, 0o777);
    await capture({ environments: { local: true, dataDir: dir } });
    const root = process.getuid?.() === 0;
    // As root, embedded PostgreSQL's postgres user passes through (0711).
    expect((await stat(dir)).mode & 0o777).toBe(root ? 0o711 : 0o700);
  });

  it('adds the emulated fleet provider alone with providers.emulator', async () => {
    const captured = await capture({ providers: { emulator: true } });
    expect(captured.providers.map(p => p.getProviderId())).toEqual([
      'emulator',
    ]);
    expect(captured.drivers).toEqual([]);
  });

  it.each([
    [
      { environments: { local: { network: { pool: '10.0.0.0' } } } },
      'multicluster.environments.local.network.pool: must be an IPv4 CIDR',
    ],
    [
      { providers: { emulator: { clusters: 5000 } } },
      'multicluster.providers.emulator',
    ],
    [
      { environments: { local: { postgres: { host: 'db' } } } },
      'multicluster.environments.local.postgres.user',
    ],
    [
      { providers: { emulator: { adminToken: 'short' } } },
      'multicluster.providers.emulator.adminToken: must be at least 16 characters',
    ],
    [
      { limits: { emulatedClusterNodes: 51 }, environments: { local: true } },
      'multicluster.limits.emulatedClusterNodes: must be from 1 to 50',
    ],
  ])('refuses to start with %j, naming the key', async (config, message) => {
    await expect(capture(config as JsonObject)).rejects.toThrow(message);
  });
});

describe('the local module in the multicluster plugin', () => {
  async function environmentTypes(multicluster: JsonObject) {
    const backend = await startTestBackend({
      features: [
        multiclusterPlugin,
        multiclusterModuleLocal,
        mockServices.rootConfig.factory({ data: { multicluster } }),
      ],
    });
    try {
      const res = await multiclusterApi(backend.server).get(
        '/environment-types',
      );
      expect(res.status).toBe(200);
      return res.body.items.map((t: any) => [
        t.type,
        t.title,
        t.clouds.map((c: any) => c.cloud),
      ]);
    } finally {
      await backend.stop();
    }
  }

  it('offers dev-small, dev-large and production on local', async () => {
    expect(
      await environmentTypes({ environments: { local: true, dataDir } }),
    ).toEqual([
      ['dev-large', 'Development (large)', ['local']],
      ['dev-small', 'Development (small)', ['local']],
      ['production', 'Production', ['local']],
    ]);
  });

  it('offers no local environments when the local drivers are off', async () => {
    expect(
      await environmentTypes({ environments: { local: false, dataDir } }),
    ).toEqual([]);
  });
});
