/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import type {
  Environment,
  EnvironmentEvent,
  EnvironmentStatus,
  EnvironmentTypeInfo,
  ValidCreateEnvironmentRequest,
} from '@archipelago/multicluster-common';
import type { ComponentDriver } from '@archipelago/multicluster-node';
import type { Knex } from 'knex';
import { DriverRegistry, EnvironmentCatalog } from './catalog';
import {
  type EnvironmentsSettings,
  readEnvironmentsConfig,
} from './config/readEnvironmentsConfig';
import { createLocalDrivers } from './drivers';
import { EnvironmentClusterProvider } from './EnvironmentClusterProvider';
import { type CreateOutcome, EnvironmentEngine } from './engine';
import type { EnvironmentPlan } from './planner';
import { SecretBox } from './secrets';
import { toEnvironment, toEvent } from './serialize';
import { EnvironmentStore } from './store';

/** Scheduler task ids. */
export const ENVIRONMENTS_RESUME_TASK_ID = 'multicluster-environments-resume';
export const ENVIRONMENTS_TTL_TASK_ID = 'multicluster-environments-ttl';
export const ENVIRONMENTS_DRIFT_TASK_ID = 'multicluster-environments-drift';

export interface EnvironmentsServiceOptions {
  config: Config;
  /** The plugin's database; the environments migrations must have run. */
  database: Knex;
  logger: LoggerService;
  scheduler: SchedulerService;
  /** Drivers added through `multiclusterDriversExtensionPoint`. */
  drivers?: ComponentDriver[];
  /** Stops in-flight work and local processes at shutdown. */
  lifecycle?: LifecycleService;
  /** The inventory: asked to discover now when an environment's cluster appears or goes. */
  inventory?: { refresh(): Promise<void> };
  /** Leave out the built-in local drivers (tests). */
  builtinDrivers?: boolean;
  /** Start resuming and scheduling right away (default true). */
  autoStart?: boolean;
}

export interface EnvironmentListQuery {
  owner?: string;
  type?: string;
  cloud?: string;
  status?: EnvironmentStatus[];
  includeDestroyed?: boolean;
}

/** The environments engine, its REST-facing reads, and its inventory provider. */
export interface EnvironmentsService {
  readonly settings: EnvironmentsSettings;
  /** Add to the inventory's providers: lists the clusters environments created. */
  readonly clusterProvider: EnvironmentClusterProvider;
  readonly engine: EnvironmentEngine;
  listTypes(): EnvironmentTypeInfo[];
  plan(request: {
    type: string;
    cloud: string;
    inputs?: Record<string, unknown>;
  }): EnvironmentPlan;
  create(
    request: ValidCreateEnvironmentRequest,
    createdBy?: string,
  ): Promise<CreateOutcome & { view: Environment }>;
  get(name: string): Promise<Environment | undefined>;
  /** Every environment matching the query (permission filtering happens in the router). */
  list(query: EnvironmentListQuery): Promise<Environment[]>;
  events(
    name: string,
    options: { after?: number; limit: number },
  ): Promise<Array<EnvironmentEvent & { id: number }>>;
  destroy(name: string): Promise<Environment>;
  heal(name: string): Promise<Environment>;
  /** Attaches local drivers, resumes interrupted work and schedules the TTL and drift tasks. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Internal only, never routed: secret values behind references, for tests
   * and for code inside this backend that must hand a credential to a system.
   */
  readonly internal: {
    revealSecret(reference: string): Promise<string>;
    revealCapabilities(
      environment: string,
      component: string,
    ): Promise<Record<string, unknown>>;
  };
}

const MISSING_KEY =
  'multicluster.environments.secretKey is not set: environments can be listed and destroyed but not created, ' +
  'since nothing could encrypt their secrets at rest. Generate a key with: ' +
  `node -p "require('crypto').randomBytes(32).toString('base64')"`;

/**
 * Builds the environments service. Throws at startup on invalid config (the
 * message names the key), on a missing secret key, or when drivers conflict.
 */
export async function createEnvironmentsService(
  options: EnvironmentsServiceOptions,
): Promise<EnvironmentsService> {
  const { logger, database } = options;
  const cfg = readEnvironmentsConfig(options.config);
  const secretKey = options.config.getOptionalString(
    'multicluster.environments.secretKey',
  );
  if (!secretKey) logger.warn(MISSING_KEY);
  const secrets = secretKey ? new SecretBox(secretKey) : undefined;
  const store = new EnvironmentStore(database);
  const builtin =
    options.builtinDrivers === false
      ? []
      : createLocalDrivers({
          settings: cfg.settings,
          database,
          logger: logger.child({ drivers: 'local' }),
        });
  const registry = new DriverRegistry([...builtin, ...(options.drivers ?? [])]);
  const catalog = EnvironmentCatalog.build(cfg, registry);
  const engine = new EnvironmentEngine({
    store,
    catalog,
    secrets,
    logger,
    settings: {
      resourcePrefix: cfg.settings.resourcePrefix,
      leaseSeconds: cfg.settings.leaseSeconds,
      componentTimeoutMinutes: cfg.settings.componentTimeoutMinutes,
      defaultTtlMinutes: cfg.settings.ttl.defaultMinutes,
    },
    onClustersChanged: options.inventory
      ? () => options.inventory!.refresh()
      : undefined,
  });
  const clusterProvider = new EnvironmentClusterProvider(store, engine);

  const view = async (name: string): Promise<Environment | undefined> => {
    const record = await store.get(name);
    return record
      ? toEnvironment(record, await store.getComponents(name))
      : undefined;
  };
  const mustView = async (name: string) => {
    const v = await view(name);
    if (!v) throw new NotFoundError(`No environment named ${name}`);
    return v;
  };

  let started = false;
  let stopped = false;
  const service: EnvironmentsService = {
    settings: cfg.settings,
    clusterProvider,
    engine,
    listTypes: () => catalog.listTypes(),
    plan: request => engine.plan(request),
    async create(request, createdBy) {
      const outcome = await engine.create(request, createdBy);
      return { ...outcome, view: await mustView(request.name) };
    },
    get: view,
    async list(query) {
      const out: Environment[] = [];
      let after: string | undefined;
      // Bounded: environments are counted in hundreds, pages of 500.
      for (let page = 0; page < 100; page++) {
        const { items, nextAfter } = await store.list({
          owners: query.owner ? [query.owner] : undefined,
          statuses: query.status,
          type: query.type,
          cloud: query.cloud,
          includeDestroyed: query.includeDestroyed ?? false,
          limit: 500,
          after,
        });
        const components = await store.getComponentsOf(items.map(i => i.name));
        for (const r of items)
          out.push(toEnvironment(r, components.get(r.name) ?? []));
        if (!nextAfter) break;
        after = nextAfter;
      }
      return out;
    },
    async events(name, opts) {
      if (!(await store.get(name)))
        throw new NotFoundError(`No environment named ${name}`);
      return (await store.listEvents(name, opts)).map(toEvent);
    },
    async destroy(name) {
      await engine.destroy(name);
      return mustView(name);
    },
    async heal(name) {
      await engine.heal(name);
      return mustView(name);
    },
    async start() {
      if (started) return;
      started = true;
      // Local processes first (clusters, databases), then the work that needs them.
      await engine.attachAll();
      await engine.resumeAll();
      await options.scheduler.scheduleTask({
        id: ENVIRONMENTS_RESUME_TASK_ID,
        // Every replica looks for work whose lease expired; the lease makes one win.
        scope: 'local',
        frequency: { seconds: cfg.settings.leaseSeconds },
        timeout: { seconds: 60 },
        initialDelay: { seconds: cfg.settings.leaseSeconds },
        fn: async () => {
          await engine.resumeAll();
        },
      });
      await options.scheduler.scheduleTask({
        id: ENVIRONMENTS_TTL_TASK_ID,
        scope: 'global',
        frequency: { seconds: cfg.settings.ttl.checkIntervalSeconds },
        timeout: { seconds: 300 },
        initialDelay: {
          seconds: Math.min(30, cfg.settings.ttl.checkIntervalSeconds),
        },
        fn: async () => {
          const destroyed = await engine.sweepExpired();
          if (destroyed.length)
            logger.info(`TTL expired, destroying: ${destroyed.join(', ')}`);
        },
      });
      if (cfg.settings.drift.enabled) {
        await options.scheduler.scheduleTask({
          id: ENVIRONMENTS_DRIFT_TASK_ID,
          scope: 'global',
          frequency: { seconds: cfg.settings.drift.intervalSeconds },
          timeout: { seconds: 600 },
          initialDelay: {
            seconds: Math.min(60, cfg.settings.drift.intervalSeconds),
          },
          fn: async () => {
            const drifted = await engine.checkDrift();
            if (drifted.length) {
              logger.warn(
                `Drift found: ${drifted
                  .map(d => `${d.environment}/${d.component}`)
                  .join(', ')}`,
              );
            }
          },
        });
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await engine.shutdown();
      await Promise.all(
        registry
          .all()
          .map(d =>
            d
              .shutdown?.()
              .catch(error =>
                logger.warn(
                  `Driver ${d.id} did not shut down cleanly: ${
                    (error as Error).message
                  }`,
                ),
              ),
          ),
      );
    },
    internal: {
      revealSecret: ref => engine.revealSecret(ref),
      revealCapabilities: (env, comp) => engine.revealCapabilities(env, comp),
    },
  };

  options.lifecycle?.addShutdownHook(() => service.stop());
  if (options.autoStart !== false) {
    if (options.lifecycle) {
      // After the whole backend is up: attaching may restart local clusters and databases.
      options.lifecycle.addStartupHook(() => {
        service
          .start()
          .catch(error =>
            logger.error(
              `Environments failed to start: ${(error as Error).message}`,
            ),
          );
      });
    } else {
      await service.start();
    }
  }
  return service;
}
