/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { captureMulticlusterContributions } from '@archipelago/multicluster-node-test-utils';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { multiclusterModuleAzure } from './module';

const SUB = '00000000-0000-0000-0000-000000000001';

async function start(data: JsonObject) {
  const captured = captureMulticlusterContributions();
  const backend = await startTestBackend({
    extensionPoints: captured.extensionPoints,
    features: [
      multiclusterModuleAzure,
      mockServices.rootConfig.factory({ data }),
    ],
  });
  return { backend, ...captured };
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

  it('adds its drivers, their templates and the azure type mappings when its environments key is set', async () => {
    const { backend, drivers, templates, mappings } = await start({
      multicluster: {
        environments: {
          azure: {
            subscriptionId: '00000000-0000-0000-0000-000000000001',
            storage: { accountName: 'archistore' },
          },
        },
      },
    });
    const ids = drivers.map(d => d.id);
    expect(Object.values(templates).every(t => ids.includes(t.driver))).toBe(
      true,
    );
    expect(Object.keys(mappings)).toEqual(['azure']);
    expect(Object.keys(mappings.azure).sort()).toEqual([
      'dev-large',
      'dev-small',
      'production',
    ]);
    for (const mapping of Object.values(mappings.azure))
      for (const c of Object.values(mapping))
        expect(Object.keys(templates)).toContain(c.template);
    await backend.stop();
  });

  it('adds nothing without config', async () => {
    const { backend, providers, drivers, templates, mappings } = await start(
      {},
    );
    expect(providers).toEqual([]);
    expect(drivers).toEqual([]);
    expect(templates).toEqual({});
    expect(mappings).toEqual({});
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
