/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { ConfigReader } from '@backstage/config';
import {
  type ClusterProvider,
  type ComponentDriver,
  multiclusterDriversExtensionPoint,
  multiclusterProvidersExtensionPoint,
} from '@archipelago/multicluster-node';
import { multiclusterModuleAzure } from './module';

const SUB = '00000000-0000-0000-0000-000000000001';

type JsonObject = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;

async function start(data: JsonObject) {
  const providers: ClusterProvider[] = [];
  const drivers: ComponentDriver[] = [];
  const backend = await startTestBackend({
    extensionPoints: [
      [
        multiclusterDriversExtensionPoint,
        {
          addComponentDriver: (...d: ComponentDriver[]) => drivers.push(...d),
        },
      ],
      [
        multiclusterProvidersExtensionPoint,
        {
          addClusterProvider: (...p: ClusterProvider[]) => providers.push(...p),
        },
      ],
    ],
    features: [
      multiclusterModuleAzure,
      mockServices.rootConfig.factory({ data }),
    ],
  });
  return { backend, providers, drivers };
}

describe('multiclusterModuleAzure', () => {
  it('adds one AKS provider per configured entry', async () => {
    const { backend, providers } = await start({
      multicluster: {
        providers: {
          azure: {
            prod: { subscriptions: [SUB] },
            gov: { subscriptions: [SUB] },
          },
        },
      },
    });
    expect(providers.map(p => p.getProviderId())).toEqual([
      'azure-aks:prod',
      'azure-aks:gov',
    ]);
    await backend.stop();
  });

  it('adds nothing without config', async () => {
    const { backend, providers, drivers } = await start({});
    expect(providers).toEqual([]);
    expect(drivers).toEqual([]);
    await backend.stop();
  });

  it('refuses to start with invalid config, naming the key', async () => {
    await expect(
      start({
        multicluster: {
          providers: { azure: { prod: { subscriptions: ['nope'] } } },
        },
      }),
    ).rejects.toThrow(
      'multicluster.providers.azure.prod.subscriptions[0].subscriptionId',
    );
  });
});
