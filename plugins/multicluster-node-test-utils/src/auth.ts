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
 * Backstage's mock auth service, except that a token a plugin obtains on
 * behalf of a user names that plugin as the user principal's `actor`, as the
 * real auth service's on-behalf-of tokens do. Routes that serve plugins
 * acting for users (the multicluster plugin's `/internal/connections` with
 * the deploy role) can then be tested through `startTestBackend`.
 * @public
 */
export function actorAwareMockAuthFactory() {
  return createServiceFactory({
    service: coreServices.auth,
    deps: { plugin: coreServices.pluginMetadata },
    factory({ plugin }): AuthService {
      const auth = mockServices.auth({ pluginId: plugin.getId() });
      const getPluginRequestToken: AuthService['getPluginRequestToken'] =
        async options => {
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
          return auth.getPluginRequestToken(options);
        };
      return {
        authenticate: (token, options) => auth.authenticate(token, options),
        isPrincipal: auth.isPrincipal.bind(auth) as AuthService['isPrincipal'],
        getNoneCredentials: () => auth.getNoneCredentials(),
        getOwnServiceCredentials: () => auth.getOwnServiceCredentials(),
        getPluginRequestToken,
        getLimitedUserToken: credentials =>
          auth.getLimitedUserToken(credentials),
        listPublicServiceKeys: () => auth.listPublicServiceKeys(),
      };
    },
  });
}
