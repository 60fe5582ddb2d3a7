/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  BlobServiceClient,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import multiclusterPlugin from '@archipelago/multicluster-backend';
import {
  FAKE_SECRET_KEY,
  catalogWithOwners,
  createMulticlusterTestModule,
  multiclusterApi,
} from '@archipelago/multicluster-node-test-utils';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  AZURITE_ACCOUNT,
  AZURITE_KEY,
  startAzurite,
} from './__testUtils__/azurite';
import { FakeArmResources } from './__testUtils__/fakeArmResources';
import { azureDriversConfig } from './config';
import {
  AZURE_COMPONENT_TEMPLATES,
  AZURE_ENVIRONMENT_TYPE_MAPPINGS,
} from './templates';
import { createAzureComponentDriversFrom } from '.';

jest.setTimeout(120_000);

const SUBSCRIPTION = '00000000-0000-0000-0000-0000000000aa';

/**
 * production on azure: ARM against a fake (resource groups, VNets, AKS,
 * PostgreSQL flexible servers) and Blob against Azurite, driven by the real
 * multicluster plugin over its REST API. The drivers, with this module's
 * templates and mappings, join the plugin through the drivers extension point
 * as the module adds them, with a fake ARM credential and CA the module's
 * config cannot express.
 */
describe('production on azure (fake ARM, Azurite)', () => {
  let arm: FakeArmResources;
  let azurite: Awaited<ReturnType<typeof startAzurite>>;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let api: ReturnType<typeof multiclusterApi>;
  let blobs: BlobServiceClient;

  beforeAll(async () => {
    arm = new FakeArmResources();
    await arm.start();
    azurite = await startAzurite();
    blobs = new BlobServiceClient(
      azurite.blobEndpoint,
      new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY),
    );
    const drivers = createAzureComponentDriversFrom(
      azureDriversConfig({
        subscriptionId: SUBSCRIPTION,
        location: 'westeurope',
        endpoint: arm.endpoint,
        storage: {
          accountName: AZURITE_ACCOUNT,
          accountKey: AZURITE_KEY,
          blobEndpoint: azurite.blobEndpoint,
        },
      }),
      {
        credential: {
          getToken: async () => ({
            token: 'fake-arm-token',
            expiresOnTimestamp: Date.now() + 3600_000,
          }),
        },
        clientOptions: {
          tlsOptions: { ca: arm.caPem },
          retryOptions: { maxRetries: 0 },
        },
      },
    );
    backend = await startTestBackend({
      features: [
        multiclusterPlugin,
        createMulticlusterTestModule({
          moduleId: 'azure',
          drivers,
          templates: AZURE_COMPONENT_TEMPLATES,
          mappings: { azure: AZURE_ENVIRONMENT_TYPE_MAPPINGS },
        }),
        catalogWithOwners(['group:default/platform']),
        mockServices.rootConfig.factory({
          data: {
            multicluster: {
              environments: {
                secretKey: FAKE_SECRET_KEY,
                leaseSeconds: 5,
                componentTimeoutMinutes: 1,
              },
            },
          },
        }),
      ],
    });
    api = multiclusterApi(backend.server);
  });

  afterAll(async () => {
    await backend?.stop();
    await azurite?.stop();
    await arm?.stop();
  });

  const request = (name: string) => ({
    name,
    type: 'production',
    cloud: 'azure',
    owner: 'group:default/platform',
  });

  const settle = (name: string) => api.settled(name, { timeoutMs: 30_000 });

  const containers = async () => {
    const names: string[] = [];
    for await (const c of blobs.listContainers()) names.push(c.name);
    return names;
  };

  it('creates the resource group, VNet, AKS, PostgreSQL and the container; destroy removes them', async () => {
    expect((await api.createEnvironment(request('prod'))).status).toBe(201);
    const env = await settle('prod');
    expect([env.status, env.reason]).toEqual(['ready', undefined]);
    const caps = Object.fromEntries(
      env.components.map((c: any) => [c.key, c.capabilities]),
    );
    const group = `/subscriptions/${SUBSCRIPTION}/resourceGroups/archi-prod-network`;
    expect(caps.network).toEqual({
      network_id: `${group}/providers/Microsoft.Network/virtualNetworks/archi-prod-network-vnet`,
      subnet_ids: ['workload-1', 'workload-2', 'workload-3', 'postgres'].map(
        s =>
          `${group}/providers/Microsoft.Network/virtualNetworks/archi-prod-network-vnet/subnets/${s}`,
      ),
      region: 'westeurope',
    });
    expect(caps.kubernetes).toEqual({
      endpoint: expect.stringMatching(
        /^https:\/\/archi-prod-kubernetes-[0-9a-f]{8}\.hcp\.westeurope\.azmk8s\.io$/,
      ),
      cluster_id: 'archi-prod-kubernetes',
      version: '1.31.2',
    });
    expect(caps.database).toEqual({
      host: 'archi-prod-database.postgres.database.azure.com',
      port: 5432,
      database: 'archi_prod_database',
      master_username: 'archi_admin',
      master_password: {
        secretRef: 'multicluster:environment/prod/database/master_password',
      },
    });
    expect(caps.objectStore).toEqual({
      bucket_url: `${azurite.blobEndpoint}/archi-prod-objectstore`,
      bucket: 'archi-prod-objectstore',
      region: 'westeurope',
    });
    const subnets = caps.network.subnet_ids as string[];
    const server = arm.resources.get(
      `${group}/providers/Microsoft.DBforPostgreSQL/flexibleServers/archi-prod-database`.toLowerCase(),
    )!;
    // Production: zone-redundant HA, private access on the delegated subnet.
    expect(server.properties).toMatchObject({
      highAvailability: { mode: 'ZoneRedundant' },
      network: {
        delegatedSubnetResourceId: subnets[3],
        publicNetworkAccess: 'Disabled',
      },
    });
    const cluster = arm.resources.get(
      `${group}/providers/Microsoft.ContainerService/managedClusters/archi-prod-kubernetes`.toLowerCase(),
    )!;
    expect((cluster.properties.agentPoolProfiles as any[])[0]).toMatchObject({
      count: 6,
      vnetSubnetID: subnets[0],
    });
    expect(arm.list().length).toBe(5);

    const blob = blobs
      .getContainerClient('archi-prod-objectstore')
      .getBlockBlobClient('hello.txt');
    await blob.upload('hello', 5);
    expect((await blob.downloadToBuffer()).toString()).toBe('hello');

    expect((await api.destroyEnvironment('prod')).status).toBe(202);
    expect((await settle('prod')).status).toBe('destroyed');
    expect(arm.list()).toEqual([]);
    expect(await containers()).toEqual([]);
  });

  it('rolls back when the PostgreSQL server cannot be created, leaving nothing', async () => {
    arm.faults.push({
      method: 'PUT',
      path: /flexibleServers\/[^/]+$/i,
      status: 409,
      code: 'SubscriptionNotRegistered',
      message:
        'Injected: the subscription is not registered for Microsoft.DBforPostgreSQL',
    });
    try {
      expect((await api.createEnvironment(request('prod-fail'))).status).toBe(
        201,
      );
      const env = await settle('prod-fail');
      expect(env.status).toBe('failed');
      expect(env.reason).toContain(
        'component database (azure-postgres-flexible) failed',
      );
      expect(env.reason).toContain(
        'Injected: the subscription is not registered for Microsoft.DBforPostgreSQL',
      );
      expect(env.reason).toContain('everything created was rolled back');
      expect(arm.list()).toEqual([]);
      expect(await containers()).toEqual([]);
    } finally {
      arm.faults.splice(0);
    }
  });
});
