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
import { createAwsComponentDrivers } from './drivers';
import {
  AWS_COMPONENT_TEMPLATES,
  AWS_ENVIRONMENT_TYPE_MAPPINGS,
} from './drivers/templates';
import { AwsEksClusterProvider } from './eks/AwsEksClusterProvider';

/**
 * Adds an EKS cluster provider to the multicluster inventory for each account
 * under `multicluster.providers.aws`, and the AWS component drivers (VPC, EKS,
 * RDS PostgreSQL, S3) when `multicluster.environments.aws` is set.
 * @public
 */
export const multiclusterModuleAws = createBackendModule({
  pluginId: 'multicluster',
  moduleId: 'aws',
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
        const eks = AwsEksClusterProvider.fromConfig(config, { logger });
        if (eks.length) {
          providers.addClusterProvider(...eks);
          logger.info(
            `EKS discovery for ${eks.map(p => p.getProviderId()).join(', ')}`,
          );
        }
        // Component drivers for environments on AWS, with their templates and
        // type mappings; nothing without multicluster.environments.aws (then
        // the aws cloud is not offered).
        const componentDrivers = createAwsComponentDrivers(config);
        if (
          addCloudDrivers(drivers, {
            cloud: 'aws',
            drivers: componentDrivers,
            templates: AWS_COMPONENT_TEMPLATES,
            mappings: AWS_ENVIRONMENT_TYPE_MAPPINGS,
          })
        ) {
          logger.info(
            `AWS component drivers: ${componentDrivers
              .map(d => d.id)
              .join(', ')}`,
          );
        }
      },
    });
  },
});
