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
import { multiclusterServiceRef } from '@archipelago/multicluster-node';
import { readMulticlusterLimits } from '@archipelago/multicluster-common';
import { createEnvironmentCreateAction } from './actions/environmentCreate';
import { createEnvironmentDestroyAction } from './actions/environmentDestroy';
import { createEnvironmentUpdateAction } from './actions/environmentUpdate';
import { createEnvironmentGetAction } from './actions/environmentGet';
import { createEnvironmentRegisterComponentAction } from './actions/environmentRegisterComponent';
import { createDeployAction } from './actions/deploy';
import { createWorkloadApplyAction } from './actions/workloadApply';
import { createWorkloadDeleteAction } from './actions/workloadDelete';

/**
 * Adds the `multicluster:*` actions to the scaffolder. They call the
 * multicluster plugin through `multiclusterServiceRef`, as the task's initiator.
 * @public
 */
export const scaffolderModuleMulticluster = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'multicluster',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        multicluster: multiclusterServiceRef,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
      },
      async init({
        scaffolder,
        multicluster,
        auth,
        permissions,
        config,
        catalog,
      }) {
        const options = {
          multicluster,
          auth,
          catalogNamespace:
            config.getOptionalString(
              'catalog.providers.multicluster.namespace',
            ) ?? 'default',
        };
        scaffolder.addActions(
          createEnvironmentCreateAction(options),
          createEnvironmentUpdateAction(options),
          createEnvironmentDestroyAction(options),
          createEnvironmentGetAction(options),
          createEnvironmentRegisterComponentAction({ catalog, config }),
          createDeployAction({
            multicluster,
            permissions,
            limits: readMulticlusterLimits(config),
          }),
          createWorkloadApplyAction({
            multicluster,
            auth,
            limits: readMulticlusterLimits(config),
          }),
          createWorkloadDeleteAction({ multicluster, auth }),
        );
      },
    });
  },
});
