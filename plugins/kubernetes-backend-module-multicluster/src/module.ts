/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  type KubernetesClustersSupplier,
  kubernetesClusterSupplierExtensionPoint,
  kubernetesServiceLocatorExtensionPoint,
} from '@backstage/plugin-kubernetes-node';
import { multiclusterServiceRef } from '@archipelago/multicluster-node';
import { MulticlusterClusterSupplier } from './MulticlusterClusterSupplier';
import { MulticlusterServiceLocator } from './MulticlusterServiceLocator';
import { readServiceLocatorOptions } from './serviceLocatorConfig';

/**
 * Feeds every cluster of the Archipelago inventory to Backstage's Kubernetes
 * plugin, next to the clusters of `kubernetes.clusterLocatorMethods`.
 * @public
 */
export const kubernetesModuleMulticluster = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'multicluster',
  register(reg) {
    reg.registerInit({
      deps: {
        clusterSupplier: kubernetesClusterSupplierExtensionPoint,
        serviceLocator: kubernetesServiceLocatorExtensionPoint,
        multicluster: multiclusterServiceRef,
        auth: coreServices.auth,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
      },
      async init({
        clusterSupplier,
        serviceLocator,
        multicluster,
        auth,
        logger,
        config,
      }) {
        const own = config.getOptionalConfig('kubernetes.multicluster');
        const refreshSeconds =
          own?.getOptionalNumber('refreshIntervalSeconds') ?? 30;
        if (
          !Number.isFinite(refreshSeconds) ||
          refreshSeconds < 1 ||
          refreshSeconds > 3600
        ) {
          throw new Error(
            'kubernetes.multicluster.refreshIntervalSeconds must be a number from 1 to 3600',
          );
        }
        const options = {
          skipUnhealthy: own?.getOptionalBoolean('skipUnhealthy') ?? true,
          refreshIntervalMs: refreshSeconds * 1000,
          skipMetricsLookupFor: own?.getOptionalStringArray(
            'skipMetricsLookupFor',
          ) ?? ['emulator'],
          selector: own?.getOptionalString('selector'),
        };
        const locatorOptions = readServiceLocatorOptions(own);
        let supplier: MulticlusterClusterSupplier | undefined;
        clusterSupplier.addClusterSupplier(async ({ getDefault }) => {
          let defaultSupplier: KubernetesClustersSupplier | undefined;
          if (config.has('kubernetes.clusterLocatorMethods')) {
            defaultSupplier = await getDefault();
          } else {
            logger.info(
              'No kubernetes.clusterLocatorMethods configured; supplying inventory clusters only',
            );
          }
          supplier = new MulticlusterClusterSupplier(
            { multicluster, auth, logger, defaultSupplier },
            options,
          );
          return supplier;
        });
        // Entity-scoped: an entity's tab asks its own clusters, not the whole inventory.
        if (locatorOptions) {
          serviceLocator.addServiceLocator(async () => {
            if (!supplier) {
              throw new Error(
                'kubernetes.multicluster.serviceLocator needs this module to supply the clusters',
              );
            }
            return new MulticlusterServiceLocator(
              { multicluster, supplier, logger },
              locatorOptions,
            );
          });
        }
      },
    });
  },
});
