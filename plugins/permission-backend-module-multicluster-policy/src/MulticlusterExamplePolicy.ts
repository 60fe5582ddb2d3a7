/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { UserInfoService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  multiclusterClusterReadPermission,
  multiclusterClusterRefreshPermission,
} from '@archipelago/multicluster-common';
import {
  createMulticlusterClusterConditionalDecision,
  multiclusterClusterConditions,
} from '@archipelago/multicluster-node';
import {
  AuthorizeResult,
  isPermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';

/** Options of {@link MulticlusterExamplePolicy}. @public */
export interface MulticlusterExamplePolicyOptions {
  /** Resolves the user's ownership entity refs (their groups). */
  userInfo: UserInfoService;
  /** Groups (entity refs) that see every cluster and may trigger refreshes. */
  adminGroups: string[];
  /** Cluster label naming the owning team; matched against the user's group names. */
  teamLabel: string;
}

/**
 * An example policy: admins see every cluster and may refresh; everyone else
 * sees the clusters whose `team` label names one of their groups, and cannot
 * refresh. Every other permission is allowed, as the allow-all policy does.
 * @public
 */
export class MulticlusterExamplePolicy implements PermissionPolicy {
  constructor(private readonly options: MulticlusterExamplePolicyOptions) {}

  /** Decides one permission request; see the class description. */
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const isRead = isPermission(
      request.permission,
      multiclusterClusterReadPermission,
    );
    const isRefresh = isPermission(
      request.permission,
      multiclusterClusterRefreshPermission,
    );
    if (!isRead && !isRefresh) return { result: AuthorizeResult.ALLOW };
    if (!user) return { result: AuthorizeResult.DENY };

    const { ownershipEntityRefs } = await this.options.userInfo.getUserInfo(
      user.credentials,
    );
    const admins = new Set(
      this.options.adminGroups.map(r => r.toLocaleLowerCase('en-US')),
    );
    if (
      ownershipEntityRefs.some(r => admins.has(r.toLocaleLowerCase('en-US')))
    ) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (isRefresh) return { result: AuthorizeResult.DENY };

    const groups = ownershipEntityRefs
      .map(ref => parseEntityRef(ref))
      .filter(ref => ref.kind.toLocaleLowerCase('en-US') === 'group')
      .map(ref => ref.name);
    const [first, ...rest] = groups.map(name =>
      multiclusterClusterConditions.hasLabel({
        key: this.options.teamLabel,
        value: name,
      }),
    );
    if (!first) return { result: AuthorizeResult.DENY };
    return createMulticlusterClusterConditionalDecision(
      multiclusterClusterReadPermission,
      {
        anyOf: [first, ...rest],
      },
    );
  }
}
