/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

/**
 * Backstage's mock auth service for `pluginId`, except that a token it
 * obtains on behalf of a user names the plugin as the user principal's
 * `actor`, as the real auth service's on-behalf-of tokens do. Routes that
 * serve plugins acting for users (the multicluster plugin's
 * `/internal/connections` with the deploy role) can then be tested.
 * @public
 */
export function actorAwareMockAuth(options: { pluginId: string }): AuthService {
  const auth = mockServices.auth({ pluginId: options.pluginId });
  const getPluginRequestToken: AuthService['getPluginRequestToken'] =
    async request => {
      const principal = request.onBehalfOf.principal as {
        type: string;
        userEntityRef?: string;
      };
      if (principal.type === 'user' && principal.userEntityRef) {
        return {
          token: mockCredentials.user.token(principal.userEntityRef, {
            actor: { subject: `plugin:${options.pluginId}` },
          }),
        };
      }
      return auth.getPluginRequestToken(request);
    };
  return {
    authenticate: (token, authOptions) => auth.authenticate(token, authOptions),
    isPrincipal: auth.isPrincipal.bind(auth) as AuthService['isPrincipal'],
    getNoneCredentials: () => auth.getNoneCredentials(),
    getOwnServiceCredentials: () => auth.getOwnServiceCredentials(),
    getPluginRequestToken,
    getLimitedUserToken: credentials => auth.getLimitedUserToken(credentials),
    listPublicServiceKeys: () => auth.listPublicServiceKeys(),
  };
}

/**
 * A service factory of {@link actorAwareMockAuth} for every plugin of a
 * `startTestBackend`.
 * @public
 */
export function actorAwareMockAuthFactory() {
  return createServiceFactory({
    service: coreServices.auth,
    deps: { plugin: coreServices.pluginMetadata },
    factory: ({ plugin }) => actorAwareMockAuth({ pluginId: plugin.getId() }),
  });
}
