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
import { createAzureComponentDrivers } from './drivers';
import {
  AZURE_COMPONENT_TEMPLATES,
  AZURE_ENVIRONMENT_TYPE_MAPPINGS,
} from './drivers/templates';
import { AzureAksClusterProvider } from './AzureAksClusterProvider';

/**
 * Adds an AKS cluster provider to the multicluster inventory for each entry under
 * `multicluster.providers.azure`, and the Azure component drivers (network, AKS,
 * PostgreSQL flexible server, Blob) when `multicluster.environments.azure` is set.
 * @public
 */
export const multiclusterModuleAzure = createBackendModule({
  pluginId: 'multicluster',
  moduleId: 'azure',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        providers: multiclusterProvidersExtensionPoint,
        drivers: multiclusterDriversExtensionPoint,
      },
      async init({ config, logger, providers, drivers }) {
        // Validated here so that a bad config stops the backend at startup.
        const aks = AzureAksClusterProvider.fromConfig(config, { logger });
        if (aks.length) {
          providers.addClusterProvider(...aks);
          logger.info(
            `AKS discovery for ${aks.map(p => p.getProviderId()).join(', ')}`,
          );
        }
        // Component drivers for environments on Azure, with their templates and
        // type mappings; nothing without multicluster.environments.azure (then
        // the azure cloud is not offered).
        const componentDrivers = createAzureComponentDrivers(config);
        if (
          addCloudDrivers(drivers, {
            cloud: 'azure',
            drivers: componentDrivers,
            templates: AZURE_COMPONENT_TEMPLATES,
            mappings: AZURE_ENVIRONMENT_TYPE_MAPPINGS,
          })
        ) {
          logger.info(
            `Azure component drivers: ${componentDrivers
              .map(d => d.id)
              .join(', ')}`,
          );
        }
      },
    });
  },
});
