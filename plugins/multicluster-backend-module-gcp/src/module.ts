/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { multiclusterProvidersExtensionPoint } from '@archipelago/multicluster-node';
import { GcpGkeClusterProvider } from './GcpGkeClusterProvider';

/**
 * Adds a GKE cluster provider to the multicluster inventory for each entry under
 * `multicluster.providers.gcp`.
 * @public
 */
export const multiclusterModuleGcp = createBackendModule({
  pluginId: 'multicluster',
  moduleId: 'gcp',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        providers: multiclusterProvidersExtensionPoint,
      },
      async init({ config, logger, lifecycle, providers }) {
        // Validated here so that a bad config stops the backend at startup.
        const gke = GcpGkeClusterProvider.fromConfig(config, { logger });
        if (gke.length) {
          providers.addClusterProvider(...gke);
          logger.info(
            `GKE discovery for ${gke.map(p => p.getProviderId()).join(', ')}`,
          );
          lifecycle.addShutdownHook(async () => {
            await Promise.all(gke.map(p => p.close()));
          });
        }
      },
    });
  },
});
