/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  addCloudDrivers,
  multiclusterDriversExtensionPoint,
  multiclusterProvidersExtensionPoint,
} from '@archipelago/multicluster-node';
import { GcpGkeClusterProvider } from './GcpGkeClusterProvider';
import {
  GCP_COMPONENT_TEMPLATES,
  GCP_ENVIRONMENT_TYPE_MAPPINGS,
  createGcpComponentDriversFrom,
  readGcpDriversConfig,
} from './drivers';

/**
 * Adds a GKE cluster provider to the multicluster inventory for each entry under
 * `multicluster.providers.gcp`, and the `gcp` cloud of environments (VPC,
 * GKE, Cloud SQL for PostgreSQL, Cloud Storage; `production` mapped onto
 * them) when `multicluster.environments.gcp` is set.
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
        drivers: multiclusterDriversExtensionPoint,
      },
      async init({ config, logger, lifecycle, providers, drivers }) {
        // The gcp cloud of environments, when multicluster.environments.gcp is set.
        const settings = readGcpDriversConfig(config);
        if (settings) {
          const gcp = createGcpComponentDriversFrom(settings);
          addCloudDrivers(drivers, {
            cloud: 'gcp',
            drivers: gcp.drivers,
            templates: GCP_COMPONENT_TEMPLATES,
            mappings: GCP_ENVIRONMENT_TYPE_MAPPINGS,
          });
          logger.info(
            `GCP component drivers in project ${settings.projectId}, ${settings.region}`,
          );
          lifecycle.addShutdownHook(() => gcp.api.close());
        }
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
