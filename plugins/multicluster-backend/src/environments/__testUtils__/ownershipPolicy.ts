/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type AuthService,
  coreServices,
  createServiceFactory,
  type UserInfoService,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE } from '@archipelago/multicluster-common';
import {
  createMulticlusterEnvironmentConditionalDecision,
  multiclusterEnvironmentConditions,
} from '@archipelago/multicluster-node';
import {
  AuthorizeResult,
  isResourcePermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';

/**
 * A policy that decides environments by ownership, as a portal's would:
 * admins are allowed everything; everyone else may read, change, destroy and
 * reveal the secrets of the environments their user or one of their groups
 * owns (IS_OWNER with their ownership refs), and do everything else.
 */
export class OwnershipTestPolicy implements PermissionPolicy {
  constructor(
    private readonly userInfo: UserInfoService,
    private readonly admins: string[],
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) return { result: AuthorizeResult.DENY };
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    if (ownershipEntityRefs.some(r => this.admins.includes(r)))
      return { result: AuthorizeResult.ALLOW };
    if (
      isResourcePermission(
        request.permission,
        MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE,
      )
    ) {
      if (!ownershipEntityRefs.length) return { result: AuthorizeResult.DENY };
      return createMulticlusterEnvironmentConditionalDecision(
        request.permission,
        multiclusterEnvironmentConditions.isOwner({
          claims: ownershipEntityRefs,
        }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

/**
 * The mock auth service, except that a token issued on a user's behalf
 * carries the calling plugin as its actor, as the real auth service's do: the
 * permission backend accepts resource permissions without a resource only
 * from a plugin acting for a user, so conditional decisions reach the plugin.
 */
export const actorAwareAuthFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const inner = mockServices.auth({ pluginId: plugin.getId() });
    return {
      authenticate: (token, options) => inner.authenticate(token, options),
      getNoneCredentials: () => inner.getNoneCredentials(),
      getOwnServiceCredentials: () => inner.getOwnServiceCredentials(),
      isPrincipal: inner.isPrincipal.bind(inner) as AuthService['isPrincipal'],
      getLimitedUserToken: credentials =>
        inner.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => inner.listPublicServiceKeys(),
      async getPluginRequestToken(options) {
        const principal = options.onBehalfOf.principal as {
          type: string;
          userEntityRef?: string;
        };
        if (principal.type === 'user' && principal.userEntityRef) {
          return {
            token: mockCredentials.user.token(principal.userEntityRef, {
              actor: { subject: `plugin:${plugin.getId()}` },
            }),
          };
        }
        return inner.getPluginRequestToken(options);
      },
    };
  },
});
