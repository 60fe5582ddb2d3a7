/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createEnvironmentCreateAction } from './actions/environmentCreate';
import { createEnvironmentDestroyAction } from './actions/environmentDestroy';
import { createEnvironmentGetAction } from './actions/environmentGet';
import { createEnvironmentRegisterComponentAction } from './actions/environmentRegisterComponent';
import { createDeployAction } from './actions/deploy';

/**
 * Adds the `multicluster:*` actions to the scaffolder. They call the
 * multicluster plugin's REST API with tokens from the auth service.
 * @public
 */
export const scaffolderModuleMulticluster = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'multicluster',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, discovery, auth, config, catalog }) {
        const options = { discovery, auth };
        scaffolder.addActions(
          createEnvironmentCreateAction(options),
          createEnvironmentDestroyAction(options),
          createEnvironmentGetAction(options),
          createEnvironmentRegisterComponentAction({ catalog, config }),
          createDeployAction({ auth, discovery }),
        );
      },
    });
  },
});
