/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { captureMulticlusterContributions } from '@archipelago/multicluster-node-test-utils';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { multiclusterModuleAws } from './module';

async function start(data: JsonObject) {
  const captured = captureMulticlusterContributions();
  const backend = await startTestBackend({
    extensionPoints: captured.extensionPoints,
    features: [
      multiclusterModuleAws,
      mockServices.rootConfig.factory({ data }),
    ],
  });
  return { backend, ...captured };
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

  it('adds its drivers, their templates and the aws type mappings when its environments key is set', async () => {
    const { backend, drivers, templates, mappings } = await start({
      multicluster: {
        environments: {
          aws: { region: 'eu-west-1' },
        },
      },
    });
    const ids = drivers.map(d => d.id);
    expect(Object.values(templates).every(t => ids.includes(t.driver))).toBe(
      true,
    );
    expect(Object.keys(mappings)).toEqual(['aws']);
    expect(Object.keys(mappings.aws).sort()).toEqual([
      'dev-large',
      'dev-small',
      'production',
    ]);
    for (const mapping of Object.values(mappings.aws))
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
        multicluster: { providers: { aws: { prod: { regions: ['mars-1'] } } } },
      }),
    ).rejects.toThrow('multicluster.providers.aws.prod.regions[0].name');
  });
});
