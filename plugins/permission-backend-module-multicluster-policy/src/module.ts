/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { MulticlusterExamplePolicy } from './MulticlusterExamplePolicy';

/**
 * Installs {@link MulticlusterExamplePolicy} as the permission policy. Config:
 * `multicluster.examplePolicy.adminGroups` (default `group:default/admins`) and
 * `multicluster.examplePolicy.teamLabel` (default `team`).
 * @public
 */
export const permissionModuleMulticlusterPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'multicluster-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
        config: coreServices.rootConfig,
      },
      async init({ policy, userInfo, config }) {
        const adminGroups = config.getOptionalStringArray(
          'multicluster.examplePolicy.adminGroups',
        ) ?? ['group:default/admins'];
        const teamLabel =
          config.getOptionalString('multicluster.examplePolicy.teamLabel') ??
          'team';
        policy.setPolicy(
          new MulticlusterExamplePolicy({ userInfo, adminGroups, teamLabel }),
        );
      },
    });
  },
});
