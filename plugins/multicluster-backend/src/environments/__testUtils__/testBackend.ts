/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import type { ComponentDriver } from '@archipelago/multicluster-node';
import type { JsonObject } from '@backstage/types';
import type { Knex } from 'knex';
import { createEnvironmentsRouter } from '../router';
import {
  createEnvironmentsService,
  type EnvironmentsService,
} from '../service';
import { capturingLogger } from './fakes';

export interface TestBackendHandle {
  server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  stop(): Promise<void>;
  service: EnvironmentsService;
  /** Every log line the backend wrote. */
  lines: string[];
  /** How often the inventory was asked to discover. */
  refreshes: () => number;
}

/**
 * A backend with a small `multicluster` plugin that wires the environments
 * service and router the way WIRING.md tells the real plugin to.
 */
export async function startEnvironmentsBackend(options: {
  knex: Knex;
  environments: Record<string, unknown>;
  drivers?: ComponentDriver[];
  builtinDrivers?: boolean;
  permissions?: PermissionsService;
  lines?: string[];
}): Promise<TestBackendHandle> {
  const lines = options.lines ?? [];
  let service: EnvironmentsService | undefined;
  let refreshes = 0;
  const plugin = createBackendPlugin({
    pluginId: 'multicluster',
    register(env) {
      env.registerInit({
        deps: {
          config: coreServices.rootConfig,
          database: coreServices.database,
          logger: coreServices.logger,
          scheduler: coreServices.scheduler,
          lifecycle: coreServices.lifecycle,
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
          permissions: coreServices.permissions,
          permissionsRegistry: coreServices.permissionsRegistry,
          auditor: coreServices.auditor,
        },
        async init(deps) {
          const knex = await deps.database.getClient();
          await knex.migrate.latest({
            directory: resolvePackagePath(
              '@archipelago/multicluster-backend',
              'migrations',
            ),
          });
          service = await createEnvironmentsService({
            config: deps.config,
            database: knex,
            logger: deps.logger,
            scheduler: deps.scheduler,
            lifecycle: deps.lifecycle,
            drivers: options.drivers,
            builtinDrivers: options.builtinDrivers,
            inventory: {
              refresh: async () => {
                refreshes++;
              },
            },
          });
          deps.httpRouter.use(
            createEnvironmentsRouter(service, {
              permissions: deps.permissions,
              httpAuth: deps.httpAuth,
              permissionsRegistry: deps.permissionsRegistry,
              auditor: deps.auditor,
            }),
          );
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      plugin,
      mockServices.rootConfig.factory({
        data: {
          multicluster: { environments: options.environments as JsonObject },
        },
      }),
      mockServices.database.factory({ knex: options.knex }),
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
    ],
  });
  return {
    server: backend.server,
    stop: () => backend.stop(),
    service: service!,
    lines,
    refreshes: () => refreshes,
  };
}
