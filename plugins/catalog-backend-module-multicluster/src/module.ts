/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import {
  multiclusterServiceRef,
  readModuleConfig,
} from '@archipelago/multicluster-node';
import { ingestionConfigSchema } from './config';
import { MulticlusterEntityProvider } from './MulticlusterEntityProvider';

/**
 * Publishes the Archipelago cluster inventory as catalog `Resource` entities.
 * @public
 */
export const catalogModuleMulticluster = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'multicluster',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        multicluster: multiclusterServiceRef,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ catalog, config, multicluster, auth, logger, scheduler }) {
        const own = config.getOptionalConfig('catalog.providers.multicluster');
        const schedule = own?.has('schedule')
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
              own.getConfig('schedule'),
            )
          : {
              frequency: { minutes: 1 },
              timeout: { minutes: 5 },
              initialDelay: { seconds: 15 },
            };
        const namespace = own?.getOptionalString('namespace') ?? 'default';
        if (
          !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace) ||
          namespace.length > 63
        ) {
          throw new Error(
            'catalog.providers.multicluster.namespace must be a DNS label (lower-case letters, digits, -)',
          );
        }
        const ingestion =
          readModuleConfig(
            config,
            'catalog.providers.multicluster.ingestion',
            ingestionConfigSchema,
          ) ?? ingestionConfigSchema.parse({});
        catalog.addEntityProvider(
          new MulticlusterEntityProvider(
            {
              multicluster,
              auth,
              logger,
              taskRunner: scheduler.createScheduledTaskRunner({
                ...schedule,
                scope: 'global',
              }),
            },
            {
              defaultOwner:
                own?.getOptionalString('defaultOwner') ??
                'group:default/platform',
              teamLabel: own?.getOptionalString('teamLabel') ?? 'team',
              namespace,
              system: own?.getOptionalString('system'),
              selector: own?.getOptionalString('selector'),
              batchSize: ingestion.batchSize,
              maxNewPerRound: ingestion.maxNewPerRound,
            },
          ),
        );
      },
    });
  },
});
