/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ConfigReader } from '@backstage/config';
import { AKS_SERVER_SCOPE, readAzureConfig } from './config';

const SUB = '00000000-0000-0000-0000-00000000000A';
const read = (azure: unknown) =>
  readAzureConfig(
    new ConfigReader({ multicluster: { providers: { azure } } } as any),
  );

describe('readAzureConfig', () => {
  it('returns no entries without config', () => {
    expect(readAzureConfig(new ConfigReader({}))).toEqual([]);
  });

  it('normalises subscriptions and applies defaults', () => {
    expect(
      read({
        prod: {
          subscriptions: [
            SUB,
            { subscriptionId: SUB.replace('A', 'B'), resourceGroups: ['rg-1'] },
          ],
        },
      }),
    ).toEqual([
      {
        id: 'prod',
        subscriptions: [
          { subscriptionId: SUB.toLowerCase(), resourceGroups: undefined },
          {
            subscriptionId: SUB.replace('A', 'B').toLowerCase(),
            resourceGroups: ['rg-1'],
          },
        ],
        tenantId: undefined,
        clientId: undefined,
        clientSecret: undefined,
        authorityHost: undefined,
        endpoint: undefined,
        clusterAuth: 'auto',
        serverScope: AKS_SERVER_SCOPE,
        kubernetesPluginAuthProvider: 'azure',
        preferPrivateFqdn: false,
        maxRetries: 4,
        labels: {},
      },
    ]);
  });

  it.each([
    [
      { prod: { subscriptions: [] } },
      'multicluster.providers.azure.prod.subscriptions: list at least one subscription',
    ],
    [
      { prod: { subscriptions: ['my-sub'] } },
      'multicluster.providers.azure.prod.subscriptions[0].subscriptionId: must be a subscription id (a GUID)',
    ],
    [
      { prod: { subscriptions: [SUB, SUB.toLowerCase()] } },
      'multicluster.providers.azure.prod.subscriptions[1].subscriptionId: this subscription is listed twice',
    ],
    [
      {
        prod: { subscriptions: [{ subscriptionId: SUB, resourceGroups: [] }] },
      },
      'multicluster.providers.azure.prod.subscriptions[0].resourceGroups: list at least one resource group',
    ],
    [
      {
        prod: {
          subscriptions: [{ subscriptionId: SUB, resourceGroups: ['bad/rg'] }],
        },
      },
      'multicluster.providers.azure.prod.subscriptions[0].resourceGroups[0]: must be a resource group name',
    ],
    [
      { prod: { subscriptions: [SUB], clientSecret: 's' } },
      'multicluster.providers.azure.prod.clientSecret: needs tenantId and clientId',
    ],
    [
      { prod: { subscriptions: [SUB], clusterAuth: 'kubelogin' } },
      'multicluster.providers.azure.prod.clusterAuth: Invalid enum value',
    ],
    [
      { prod: { subscriptions: [SUB], kubernetesPluginAuthProvider: 'oidc' } },
      "multicluster.providers.azure.prod.kubernetesPluginAuthProvider: Invalid enum value. Expected 'azure' | 'aks'",
    ],
    [
      { prod: { subscriptions: [SUB], endpoint: 'management.azure.com' } },
      'multicluster.providers.azure.prod.endpoint: must be an http(s) URL',
    ],
    [
      {
        prod: {
          subscriptions: [SUB],
          clusterIdentities: { view: { clientId: SUB, clientSecret: 's' } },
        },
      },
      'multicluster.providers.azure.prod.clusterIdentities.view.tenantId: clientSecret needs tenantId',
    ],
    [
      {
        prod: {
          subscriptions: [SUB],
          clusterIdentities: { admin: { clientId: SUB } },
        },
      },
      "multicluster.providers.azure.prod.clusterIdentities: unknown key(s) 'admin'",
    ],
    [
      { prod: { subscriptions: [SUB], subscription: SUB } },
      "multicluster.providers.azure.prod: unknown key(s) 'subscription'",
    ],
  ])('rejects %j naming the key', (azure, message) => {
    expect(() => read(azure)).toThrow(message);
  });

  it('never echoes the client secret', () => {
    const secret = 'Q~very.secret~value';
    let message = '';
    try {
      read({
        prod: { subscriptions: [SUB], clientSecret: secret, clientId: secret },
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('multicluster.providers.azure.prod.clientId');
    expect(message).not.toContain(secret);
  });
});
