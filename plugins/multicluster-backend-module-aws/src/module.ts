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
  multiclusterDnsProvidersExtensionPoint,
  multiclusterDriversExtensionPoint,
  multiclusterProvidersExtensionPoint,
} from '@archipelago/multicluster-node';
import { createAwsComponentDrivers } from './drivers';
import {
  AWS_COMPONENT_TEMPLATES,
  AWS_ENVIRONMENT_TYPE_MAPPINGS,
} from './drivers/templates';
import { AwsEksClusterProvider } from './eks/AwsEksClusterProvider';
import { Route53DnsProvider } from './dns/Route53DnsProvider';

/**
 * Adds an EKS cluster provider to the multicluster inventory for each account
 * under `multicluster.providers.aws`, and the AWS component drivers (VPC, EKS,
 * RDS PostgreSQL, S3) when `multicluster.environments.aws` is set, and the
 * Route53 DNS provider for the `route53` zones of `multicluster.dns.zones`.
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
        dns: multiclusterDnsProvidersExtensionPoint,
      },
      async init({ config, logger, providers, drivers, dns }) {
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
        // Route53 zones; validated here too (unknown account, bad hosted
        // zone id), so a bad zone stops the backend at startup.
        const route53 = Route53DnsProvider.fromConfig(config, { logger });
        dns.addDnsProvider(route53);
        if (route53.zoneNames().length) {
          logger.info(`Route53 DNS for ${route53.zoneNames().join(', ')}`);
        }
      },
    });
  },
});
