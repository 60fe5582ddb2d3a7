/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import multiclusterPlugin from '@archipelago/multicluster-backend';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import type { AddressInfo } from 'node:net';
import {
  multiclusterClusterReadPermission,
  multiclusterClusterRefreshPermission,
} from '@archipelago/multicluster-common';
import { kubernetesProxyPermission } from '@backstage/plugin-kubernetes-common';
import policyModule from './index';

jest.setTimeout(60_000);

const OWNERSHIP: Record<string, string[]> = {
  'user:default/root': ['user:default/root', 'group:default/platform'],
  'user:default/alice': ['user:default/alice', 'group:default/payments'],
};

/**
 * The policy module installed in a real permission backend, with the real
 * multicluster plugin registering its permissions and rules.
 */
describe('the multicluster policy module in a backend', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let permissionBase: string;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        permissionPlugin,
        policyModule,
        multiclusterPlugin,
        permissionsServiceFactory,
        mockServices.userInfo.mock({
          getUserInfo: async credentials => {
            const ref = (credentials.principal as { userEntityRef: string })
              .userEntityRef;
            return {
              userEntityRef: ref,
              ownershipEntityRefs: OWNERSHIP[ref] ?? [ref],
            };
          },
        }).factory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            multicluster: {
              examplePolicy: { adminGroups: ['group:default/platform'] },
            },
          },
        }),
      ],
    });
    const root = `http://127.0.0.1:${
      (backend.server.address() as AddressInfo).port
    }/api`;
    permissionBase = `${root}/permission`;
  });

  afterAll(async () => {
    await backend?.stop();
  });

  /** Asks the permission backend, as a browser would, with the user's token. */
  async function authorize(
    user: string,
    items: Array<{ permission: unknown; resourceRef?: string }>,
    via?: 'plugin',
  ): Promise<any[]> {
    const res = await fetch(`${permissionBase}/authorize`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${mockCredentials.user.token(
          user,
          via ? { actor: { subject: 'plugin:multicluster' } } : undefined,
        )}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        items: items.map((item, i) => ({ id: String(i), ...item })),
      }),
    });
    expect(res.status).toBe(200);
    const results = (await res.json()).items;
    return via ? results : results.map((i: { result: string }) => i.result);
  }

  it('keeps the Kubernetes proxy for admins', async () => {
    const proxy = { permission: kubernetesProxyPermission };
    expect(await authorize('user:default/root', [proxy])).toEqual(['ALLOW']);
    expect(await authorize('user:default/alice', [proxy])).toEqual(['DENY']);
  });

  it('lets admins refresh, and no one else', async () => {
    const refresh = { permission: multiclusterClusterRefreshPermission };
    expect(await authorize('user:default/root', [refresh])).toEqual(['ALLOW']);
    expect(await authorize('user:default/alice', [refresh])).toEqual(['DENY']);
  });

  it('gives a team member a label condition on reads and the admin everything', async () => {
    // As the multicluster plugin asks on the user's behalf for list filters.
    const read = { permission: multiclusterClusterReadPermission };
    const alice = await authorize('user:default/alice', [read], 'plugin');
    expect(alice).toEqual([
      expect.objectContaining({
        result: 'CONDITIONAL',
        pluginId: 'multicluster',
        resourceType: 'multicluster-cluster',
      }),
    ]);
    expect(JSON.stringify(alice[0].conditions)).toContain(
      '"params":{"key":"team","value":"payments"}',
    );
    expect(await authorize('user:default/root', [read], 'plugin')).toEqual([
      expect.objectContaining({ result: 'ALLOW' }),
    ]);
  });
});
