/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  capturingLoggerFactory,
  createMulticlusterTestModule,
} from '@archipelago/multicluster-node-test-utils';
import type { ComponentDriver } from '@archipelago/multicluster-node';
import {
  coreServices,
  createServiceFactory,
  type PermissionsService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import type { Knex } from 'knex';
import { multiclusterPlugin } from '../../plugin';

/** The real plugin started in a test backend, with what the tests look at. */
export interface TestBackendHandle {
  server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  stop(): Promise<void>;
  /** Every log line the backend wrote. */
  lines: string[];
  /** How often the inventory ran a discovery round. */
  refreshes: () => number;
}

/**
 * Starts the real multicluster plugin on `knex` with `multicluster.environments`
 * set to `environments`, and a module that adds `drivers` through the drivers
 * extension point, the way any module does.
 */
export async function startEnvironmentsBackend(options: {
  knex: Knex;
  environments: Record<string, unknown>;
  drivers?: ComponentDriver[];
  permissions?: PermissionsService;
  lines?: string[];
  /** Ignored: the plugin has no built-in drivers (the local ones are a module). */
  builtinDrivers?: boolean;
}): Promise<TestBackendHandle> {
  const lines = options.lines ?? [];
  let discoveries = 0;
  const backend = await startTestBackend({
    features: [
      multiclusterPlugin,
      createMulticlusterTestModule({
        drivers: options.drivers,
        // Counts discovery rounds: environments ask the inventory to look when a cluster appears.
        providers: [
          {
            getProviderId: () => 'discovery-counter',
            discover: async () => {
              discoveries++;
              return { clusters: [], complete: true };
            },
          },
        ],
      }),
      mockServices.rootConfig.factory({
        data: {
          multicluster: { environments: options.environments as JsonObject },
        },
      }),
      mockServices.database.factory({ knex: options.knex }),
      capturingLoggerFactory(lines),
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
    lines,
    refreshes: () => discoveries,
  };
}
