/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { captureMulticlusterContributions } from '@archipelago/multicluster-node-test-utils';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { multiclusterModuleAws } from './module';

async function start(data: JsonObject) {
  const captured = captureMulticlusterContributions({ dns: true });
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

  it('adds the Route53 DNS provider for the route53 zones', async () => {
    const { backend, dnsProviders } = await start({
      multicluster: {
        providers: { aws: { prod: { regions: ['us-east-1'] } } },
        dns: {
          zones: [
            { name: 'example.test', provider: 'local' },
            {
              name: 'example.com',
              provider: 'route53',
              account: 'prod',
              hostedZoneId: '/hostedzone/Z0123456789ABC',
            },
          ],
        },
      },
    });
    expect(dnsProviders!.map(p => [p.type, p.policies])).toEqual([
      ['route53', ['geolocation', 'failover', 'weighted', 'latency']],
    ]);
    await backend.stop();
  });

  it.each([
    [
      {
        name: 'example.com',
        provider: 'route53',
        account: 'nope',
        hostedZoneId: 'Z1',
      },
      "multicluster.dns.zones[0].account: unknown account 'nope'; configured under multicluster.providers.aws: prod",
    ],
    [
      { name: 'example.com', provider: 'route53', account: 'prod' },
      'multicluster.dns.zones[0].hostedZoneId: the Route53 hosted zone id, e.g. Z0123456789ABC',
    ],
    [
      {
        name: 'example.com',
        provider: 'route53',
        account: 'prod',
        hostedZoneId: 'z-lower',
      },
      'multicluster.dns.zones[0].hostedZoneId: must be a Route53 hosted zone id such as Z0123456789ABC',
    ],
  ])(
    'refuses a bad route53 zone, naming the key: %j',
    async (zone, message) => {
      await expect(
        start({
          multicluster: {
            providers: { aws: { prod: { regions: ['us-east-1'] } } },
            dns: { zones: [zone] },
          },
        }),
      ).rejects.toThrow(message);
    },
  );

  it('refuses to start with invalid config, naming the key', async () => {
    await expect(
      start({
        multicluster: { providers: { aws: { prod: { regions: ['mars-1'] } } } },
      }),
    ).rejects.toThrow('multicluster.providers.aws.prod.regions[0].name');
  });
});
