/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  readMulticlusterLimits,
  type WorkloadRequest,
} from '@archipelago/multicluster-common';
import type { WorkloadReconciler } from '@archipelago/multicluster-node';
import type { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { SecretBox } from '../environments/secrets/SecretBox';
import type { ClusterConnection } from '../inventory/ConnectionRegistry';
import { readWorkloadsConfig, type WorkloadsSettings } from './config';
import { WorkloadEngine } from './engine/WorkloadEngine';
import { createDeployConnector } from './reconciler/connections';
import { KubeWorkloadReconciler } from './reconciler/KubeWorkloadReconciler';
import { createScopeCheck } from './scope';
import { WorkloadsService } from './service';
import { WorkloadStore } from './store/WorkloadStore';
import { scheduleWorkloadsTask, WORKLOADS_TASK_ID } from './tasks';

export { WORKLOADS_TASK_ID } from './tasks';
export { addWorkloadRoutes, type WorkloadRoutesOptions } from './router';
export type { WorkloadsService } from './service';
export type { WorkloadsSettings } from './config';

/** The workloads engine wired into the plugin. */
export interface Workloads {
  settings: WorkloadsSettings;
  service: WorkloadsService;
  engine: WorkloadEngine;
  inScope: ReturnType<typeof createScopeCheck>;
  /** Creates the given workloads when absent (module seeds). */
  seed(workloads: WorkloadRequest[]): Promise<void>;
  close(): void;
}

/**
 * Builds the workloads engine: store, service, the reconciler (the built-in
 * one unless a module set another) and the scheduled rounds. Returns
 * undefined when `multicluster.workloads.enabled` is false.
 */
export async function createWorkloads(options: {
  config: Config;
  db: Knex;
  logger: LoggerService;
  scheduler: SchedulerService;
  /** Inventory rows by id (for the URL key of their connections). */
  lookup: (
    ids: string[],
  ) => Promise<
    Array<{ id: string; name: string; url: string; urlKey: string }>
  >;
  connectionFor: (urlKey: string) => Promise<ClusterConnection | undefined>;
  /** Triggers a scheduler task, ignoring "already running". */
  trigger: (id: string) => Promise<void>;
  /** A reconciler a module set through the extension point. */
  reconciler?: WorkloadReconciler;
}): Promise<Workloads | undefined> {
  const settings = readWorkloadsConfig(options.config);
  if (!settings.enabled) return undefined;
  const logger = options.logger;
  const secretKey = options.config.getOptionalString(
    'multicluster.environments.secretKey',
  );
  const box = secretKey ? new SecretBox(secretKey) : undefined;
  const store = new WorkloadStore(options.db);
  const inScope = createScopeCheck();
  const builtIn = options.reconciler
    ? undefined
    : new KubeWorkloadReconciler({
        connector: createDeployConnector({
          lookup: options.lookup,
          connectionFor: options.connectionFor,
          timeoutMs: settings.requestTimeoutSeconds * 1000,
        }),
        fieldManager: settings.fieldManager,
        concurrency: settings.concurrency,
        clusterTimeoutMs: settings.clusterTimeoutSeconds * 1000,
        requestTimeoutMs: settings.requestTimeoutSeconds * 1000,
      });
  const engine = new WorkloadEngine({
    db: options.db,
    store,
    reconciler: options.reconciler ?? builtIn!,
    box,
    settings,
    logger,
    inScope,
    runner: `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
  });
  // Never awaited: with some schedulers a trigger runs the whole round first.
  const onChange = () => {
    options
      .trigger(WORKLOADS_TASK_ID)
      .catch(error =>
        logger.warn(`Could not trigger a workloads round: ${error}`),
      );
  };
  const service = new WorkloadsService({
    db: options.db,
    store,
    box,
    settings,
    limits: readMulticlusterLimits(options.config),
    onChange,
    inScope,
  });
  await scheduleWorkloadsTask({
    scheduler: options.scheduler,
    engine,
    settings,
    logger,
  });
  return {
    settings,
    service,
    engine,
    inScope,
    async seed(workloads) {
      for (const request of workloads) {
        try {
          const prepared = await service.prepare(request);
          if (prepared.existing) continue;
          await service.create(prepared, { all: true }, 'module');
          logger.info(`Workload ${request.name} created from a module`);
        } catch (error) {
          logger.error(
            `Workload ${request.name} from a module was not created: ${
              (error as Error).message
            }`,
          );
        }
      }
    },
    close() {
      builtIn?.close();
    },
  };
}

/** Health transitions start a round at once. */
export function onHealthTransition(trigger: (id: string) => Promise<void>) {
  return () => {
    trigger(WORKLOADS_TASK_ID).catch(() => undefined);
  };
}
