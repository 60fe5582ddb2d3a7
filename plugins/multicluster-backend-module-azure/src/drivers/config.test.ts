/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ConfigReader } from '@backstage/config';
import { readAzureDriversConfig } from './config';
import { azureTags, resourceGroupOf } from './common';
import { createAzureComponentDrivers } from '.';

const read = (azure: unknown) =>
  readAzureDriversConfig(
    new ConfigReader({ multicluster: { environments: { azure } } } as any),
  );

describe('Azure drivers config', () => {
  it('is optional: no key, no drivers', () => {
    expect(createAzureComponentDrivers(new ConfigReader({}))).toEqual([]);
  });

  it.each([
    [{}, 'multicluster.environments.azure.subscriptionId: Required'],
    [
      { subscriptionId: 'abc' },
      'multicluster.environments.azure.subscriptionId: must be a subscription id',
    ],
    [
      {
        subscriptionId: '00000000-0000-0000-0000-000000000000',
        endpoint: 'http://arm.local',
      },
      'multicluster.environments.azure.endpoint: must be an https URL',
    ],
    [
      {
        subscriptionId: '00000000-0000-0000-0000-000000000000',
        storage: { accountName: 'Bad_Name' },
      },
      'multicluster.environments.azure.storage.accountName: must be a storage account name',
    ],
  ])('rejects %j naming the key', (azure, message) => {
    expect(() => read(azure)).toThrow(message);
  });

  it('creates the Blob driver only with a storage account', () => {
    const ids = (azure: Record<string, unknown>) =>
      createAzureComponentDrivers(
        new ConfigReader({ multicluster: { environments: { azure } } } as any),
      ).map(d => d.id);
    const base = {
      subscriptionId: '00000000-0000-0000-0000-000000000000',
      clientId: 'c',
      tenantId: 't',
      clientSecret: 's',
    };
    expect(ids(base)).toEqual([
      'azure-network',
      'azure-aks',
      'azure-postgres-flexible',
    ]);
    expect(
      ids({ ...base, storage: { accountName: 'archi', accountKey: 'a2V5' } }),
    ).toEqual([
      'azure-network',
      'azure-aks',
      'azure-postgres-flexible',
      'azure-blob-container',
    ]);
  });
});

describe('helpers', () => {
  it('finds the resource group of a resource id', () => {
    expect(
      resourceGroupOf(
        '/subscriptions/s/resourceGroups/rg-1/providers/Microsoft.Network/virtualNetworks/v',
      ),
    ).toBe('rg-1');
    expect(() => resourceGroupOf('/subscriptions/s')).toThrow(
      'is not an Azure resource id',
    );
  });

  it('makes tag names Azure accepts', () => {
    expect(azureTags({ 'archipelago.dev/environment': 'demo' }, 'r')).toEqual({
      'archipelago.dev_environment': 'demo',
      'archipelago.dev_resource': 'r',
    });
  });
});
