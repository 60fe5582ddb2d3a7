/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  CreateClusterCommand,
  DeleteClusterCommand,
  EKSClient,
} from '@aws-sdk/client-eks';
import multiclusterPlugin from '@archipelago/multicluster-backend';
import type { Cluster } from '@archipelago/multicluster-common';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  type Moto,
  startLoopbackEndpointProxy,
  startMoto,
} from '../__testUtils__/moto';
import { multiclusterModuleAws } from '../module';
import { setTimeout as sleep } from 'node:timers/promises';

jest.setTimeout(120_000);

const KEYS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const ACCOUNT = '123456789012';

/**
 * The multicluster backend plugin with this module, discovering EKS clusters in
 * moto, as an app would run them; checked through the REST API.
 */
describe('multicluster backend with the aws module against moto', () => {
  let moto: Moto;
  let proxy: Awaited<ReturnType<typeof startLoopbackEndpointProxy>>;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let dir: string;
  const bodies: string[] = [];

  const eks = (region: string) =>
    new EKSClient({
      region,
      endpoint: moto.endpoint,
      credentials: { ...KEYS },
    });

  const listClusters = async (): Promise<Cluster[]> => {
    const res = await request(backend.server).get(
      '/api/multicluster/clusters?cloud=aws&limit=100',
    );
    bodies.push(res.text);
    expect(res.status).toBe(200);
    return res.body.items;
  };

  /** Refreshes and polls (bounded) until the inventory shows `count` clusters. */
  const waitForClusters = async (count: number): Promise<Cluster[]> => {
    const res = await request(backend.server).post(
      '/api/multicluster/clusters/refresh',
    );
    expect(res.status).toBe(202);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const items = await listClusters();
      if (items.length === count) return items;
      if (Date.now() > deadline) {
        throw new Error(
          `expected ${count} clusters, have ${items
            .map(c => c.name)
            .join(', ')}`,
        );
      }
      await sleep(250);
    }
  };

  beforeAll(async () => {
    moto = await startMoto();
    proxy = await startLoopbackEndpointProxy(moto.endpoint);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-aws-'));
    await eks('us-east-1').send(
      new CreateClusterCommand({
        name: 'payments',
        roleArn: `arn:aws:iam::${ACCOUNT}:role/eks`,
        resourcesVpcConfig: { subnetIds: [] },
        tags: { team: 'payments' },
      }),
    );
    await eks('eu-west-1').send(
      new CreateClusterCommand({
        name: 'search',
        roleArn: `arn:aws:iam::${ACCOUNT}:role/eks`,
        resourcesVpcConfig: { subnetIds: [] },
        tags: { team: 'search' },
      }),
    );

    backend = await startTestBackend({
      features: [
        multiclusterPlugin,
        multiclusterModuleAws,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            multicluster: {
              environments: {
                secretKey: 'test-only-environments-key-0123456789abcdef',
                dataDir: path.join(dir, 'environments'),
              },
              providers: {
                aws: {
                  moto: {
                    regions: ['us-east-1', 'eu-west-1'],
                    ...KEYS,
                    endpoints: { eks: proxy.endpoint, sts: moto.endpoint },
                  },
                },
              },
              health: { timeoutSeconds: 1, intervalSeconds: 3600 },
              discovery: { intervalSeconds: 3600 },
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await proxy?.close();
    await moto?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists the EKS clusters with cloud, region, distribution and provider state', async () => {
    const items = await waitForClusters(2);
    const byName = Object.fromEntries(items.map(c => [c.name, c]));
    expect(byName.payments).toMatchObject({
      cloud: 'aws',
      region: 'us-east-1',
      distribution: 'eks',
      labels: expect.objectContaining({
        team: 'payments',
        'archipelago.dev/aws-account': ACCOUNT,
      }),
      sources: [
        expect.objectContaining({
          provider: 'aws-eks:moto',
          sourceId: `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/payments`,
        }),
      ],
      status: expect.objectContaining({ providerState: 'active' }),
    });
    expect(byName.search).toMatchObject({
      cloud: 'aws',
      region: 'eu-west-1',
      distribution: 'eks',
      status: expect.objectContaining({ providerState: 'active' }),
    });
  });

  it('drops a cluster deleted in AWS on the next round', async () => {
    await eks('eu-west-1').send(new DeleteClusterCommand({ name: 'search' }));
    const items = await waitForClusters(1);
    expect(items.map(c => c.name)).toEqual(['payments']);
  });

  it('never puts credentials in a response', () => {
    const all = bodies.join('\n');
    expect(all).not.toContain(KEYS.secretAccessKey);
    expect(all).not.toContain('k8s-aws-v1.');
    expect(all).not.toContain('X-Amz-Signature');
  });
});
