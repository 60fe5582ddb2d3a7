/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  type PermissionsService,
  type ServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import {
  type ClusterProvider,
  type ComponentDriver,
  multiclusterDriversExtensionPoint,
  multiclusterProvidersExtensionPoint,
} from '@archipelago/multicluster-node';
import type { Knex } from 'knex';
import { capturingLogger } from '../../environments/__testUtils__/fakes';
import { multiclusterPlugin } from '../../plugin';

/** A running backend with the real multicluster plugin. */
export interface PluginHandle {
  server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  stop(): Promise<void>;
  /** Every log line the backend wrote. */
  lines: string[];
}

/**
 * Starts the real `multicluster` plugin with startTestBackend: drivers and
 * providers come in through the public extension points, as a module adds
 * them; everything is spoken to over HTTP.
 */
export async function startMulticlusterPlugin(options: {
  config?: JsonObject;
  /** The plugin's database; SQLite in memory when absent. */
  knex?: Knex;
  drivers?: ComponentDriver[];
  providers?: ClusterProvider[];
  permissions?: PermissionsService;
  entities?: Entity[];
  features?: Array<ServiceFactory | ReturnType<typeof createBackendModule>>;
}): Promise<PluginHandle> {
  const lines: string[] = [];
  const extensions = createBackendModule({
    pluginId: 'multicluster',
    moduleId: 'test-extensions',
    register(reg) {
      reg.registerInit({
        deps: {
          drivers: multiclusterDriversExtensionPoint,
          providers: multiclusterProvidersExtensionPoint,
        },
        async init({ drivers, providers }) {
          if (options.drivers?.length)
            drivers.addComponentDriver(...options.drivers);
          if (options.providers?.length)
            providers.addClusterProvider(...options.providers);
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      multiclusterPlugin,
      extensions,
      catalogServiceMock.factory({ entities: options.entities ?? [] }),
      mockServices.rootConfig.factory({ data: options.config ?? {} }),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      createServiceFactory({
        service: coreServices.logger,
        deps: {},
        factory: () => capturingLogger(lines),
      }),
      ...(options.permissions
        ? [
            createServiceFactory({
              service: coreServices.permissions,
              deps: {},
              factory: () => options.permissions!,
            }),
          ]
        : []),
      ...(options.features ?? []),
    ],
  });
  return { server: backend.server, stop: () => backend.stop(), lines };
}
