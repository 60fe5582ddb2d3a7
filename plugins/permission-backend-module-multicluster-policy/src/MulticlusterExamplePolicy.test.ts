/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  multiclusterClusterReadPermission,
  multiclusterClusterRefreshPermission,
  multiclusterEnvironmentCreatePermission,
} from '@archipelago/multicluster-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { MulticlusterExamplePolicy } from './MulticlusterExamplePolicy';

const OWNERSHIP: Record<string, string[]> = {
  'user:default/root': ['user:default/root', 'group:default/admins'],
  'user:default/alice': [
    'user:default/alice',
    'group:default/payments',
    'group:default/search',
  ],
  'user:default/loner': ['user:default/loner'],
};

const policy = new MulticlusterExamplePolicy({
  adminGroups: ['group:default/Admins'],
  teamLabel: 'team',
  userInfo: mockServices.userInfo.mock({
    getUserInfo: async credentials => {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return { userEntityRef: ref, ownershipEntityRefs: OWNERSHIP[ref] };
    },
  }),
});

const as = (ref: string) => ({
  identity: {
    type: 'user' as const,
    userEntityRef: ref,
    ownershipEntityRefs: [],
  },
  credentials: mockCredentials.user(ref),
  info: { userEntityRef: ref, ownershipEntityRefs: OWNERSHIP[ref] },
  token: 'unused',
});

describe('MulticlusterExamplePolicy', () => {
  it('allows what is not a cluster permission, as allow-all does', async () => {
    expect(
      await policy.handle(
        { permission: multiclusterEnvironmentCreatePermission },
        as('user:default/loner') as any,
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('denies cluster permissions without a user', async () => {
    expect(
      await policy.handle({ permission: multiclusterClusterReadPermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it('lets admins (case-insensitively) read and refresh everything', async () => {
    for (const permission of [
      multiclusterClusterReadPermission,
      multiclusterClusterRefreshPermission,
    ]) {
      expect(
        await policy.handle({ permission }, as('user:default/root') as any),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    }
  });

  it('lets others read the clusters labelled with one of their groups, and not refresh', async () => {
    expect(
      await policy.handle(
        { permission: multiclusterClusterReadPermission },
        as('user:default/alice') as any,
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'multicluster',
      resourceType: 'multicluster-cluster',
      conditions: {
        anyOf: [
          {
            rule: 'HAS_LABEL',
            resourceType: 'multicluster-cluster',
            params: { key: 'team', value: 'payments' },
          },
          {
            rule: 'HAS_LABEL',
            resourceType: 'multicluster-cluster',
            params: { key: 'team', value: 'search' },
          },
        ],
      },
    });
    expect(
      await policy.handle(
        { permission: multiclusterClusterRefreshPermission },
        as('user:default/alice') as any,
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it('denies reading to a user in no group', async () => {
    expect(
      await policy.handle(
        { permission: multiclusterClusterReadPermission },
        as('user:default/loner') as any,
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
  });
});
