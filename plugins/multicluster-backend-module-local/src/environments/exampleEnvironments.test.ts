/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import multiclusterPlugin from '@archipelago/multicluster-backend';
import {
  FAKE_SECRET_KEY,
  capturingLoggerFactory,
  catalogWithOwners,
  multiclusterApi,
  waitFor,
} from '@archipelago/multicluster-node-test-utils';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import localModule from '../index';

jest.setTimeout(180_000);

describe('example environments of the local cloud', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'archi-examples-'));
    await chmod(dataDir, 0o755);
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('are created at startup through the plugin API, and a bad one is logged, not fatal', async () => {
    const lines: string[] = [];
    const backend = await startTestBackend({
      features: [
        multiclusterPlugin,
        localModule,
        mockServices.rootConfig.factory({
          data: {
            multicluster: {
              environments: {
                secretKey: FAKE_SECRET_KEY,
                dataDir,
                drift: { enabled: false },
                local: {
                  exampleEnvironments: [
                    {
                      name: 'demo-dev',
                      type: 'dev-small',
                      owner: 'group:default/platform-team',
                    },
                    {
                      name: 'demo-bad',
                      type: 'no-such-type',
                      owner: 'group:default/platform-team',
                    },
                  ],
                },
              },
            },
          },
        }),
        capturingLoggerFactory(lines),
        // Environments are owned by catalog entities.
        catalogWithOwners(['group:default/platform-team']),
      ],
    });
    try {
      const api = multiclusterApi(backend.server);
      const ready = await waitFor(
        async () => {
          const { status, body } = await api.get('/environments/demo-dev');
          return status === 200 && body.status === 'ready' ? body : undefined;
        },
        { what: 'the example environment demo-dev ready', timeoutMs: 150_000 },
      );
      expect(ready).toMatchObject({
        name: 'demo-dev',
        type: 'dev-small',
        cloud: 'local',
        owner: 'group:default/platform-team',
      });
      await waitFor(
        async () =>
          lines.some(l =>
            l.includes('Could not create the example environment demo-bad'),
          ) || undefined,
        { what: 'the bad example logged' },
      );
      expect((await api.get('/environments/demo-bad')).status).toBe(404);
    } finally {
      await backend.stop();
    }
  });
});
