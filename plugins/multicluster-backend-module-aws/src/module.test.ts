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
import { multiclusterModuleAws } from './module';

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
      multiclusterModuleAws,
      mockServices.rootConfig.factory({ data }),
    ],
  });
  return { backend, providers, drivers };
}

describe('multiclusterModuleAws', () => {
  it('adds one EKS provider per configured account', async () => {
    const { backend, providers } = await start({
      multicluster: {
        providers: {
          aws: {
            prod: { regions: ['us-east-1', 'eu-west-1'] },
            tenant: {
              regions: ['us-east-1'],
              roleArn: 'arn:aws:iam::210987654321:role/reader',
            },
          },
        },
      },
    });
    expect(providers.map(p => p.getProviderId())).toEqual([
      'aws-eks:prod',
      'aws-eks:tenant',
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
        multicluster: { providers: { aws: { prod: { regions: ['mars-1'] } } } },
      }),
    ).rejects.toThrow('multicluster.providers.aws.prod.regions[0].name');
  });
});
