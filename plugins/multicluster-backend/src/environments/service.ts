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
import {
  type CapabilityValue,
  type Environment,
  type EnvironmentChangePlan,
  type EnvironmentEvent,
  type EnvironmentRevision,
  type EnvironmentStatus,
  type EnvironmentTypeInfo,
  type PromotionInputs,
  type RevealedSecret,
  type UpdateEnvironmentRequest,
  type ValidCreateEnvironmentRequest,
  secretCapabilities,
} from '@archipelago/multicluster-common';
import { InputError } from '@backstage/errors';
import { estimateCost } from './cost';
import { literalInputs } from './catalog';
import { promotionInputs } from './changes/promotion';
import { secretReference } from './secrets/SecretBox';
import type { ComponentDriver } from '@archipelago/multicluster-node';
import type { Knex } from 'knex';
import type { EnvironmentContributions } from './contributions';
import { DriverRegistry, EnvironmentCatalog } from './catalog';
import {
  type EnvironmentsSettings,
  readEnvironmentsConfig,
} from './config/readEnvironmentsConfig';
import { EnvironmentClusterProvider } from './EnvironmentClusterProvider';
import type { ExpiryNotifier } from './expiry';
import { ConnectionDetails } from './connection/ConnectionDetails';
import { type CreateOutcome, EnvironmentEngine } from './engine';
import type { EnvironmentPlan } from './stagePlanner';
import { SecretBox } from './secrets/SecretBox';
import { toEnvironment, toEvent } from './serialize';
import { EnvironmentStore } from './store/EnvironmentStore';

export {
  ENVIRONMENTS_DRIFT_TASK_ID,
  ENVIRONMENTS_RESUME_TASK_ID,
  ENVIRONMENTS_TTL_TASK_ID,
} from './tasks';

export interface EnvironmentsServiceOptions {
  config: Config;
  /** The plugin's database; the environments migrations must have run. */
  database: Knex;
  logger: LoggerService;
  scheduler: SchedulerService;
  /** Drivers added through `multiclusterDriversExtensionPoint`. */
  drivers?: ComponentDriver[];
  /** Templates and type mappings added through the same extension point. */
  contributions?: Pick<EnvironmentContributions, 'templates' | 'mappings'>;
  /** Stops in-flight work and local processes at shutdown. */
  lifecycle?: LifecycleService;
  /** The inventory: asked to discover now when an environment's cluster appears or goes. */
  inventory?: { refresh(): Promise<void> };
  /** Start resuming and scheduling right away (default true). */
  autoStart?: boolean;
  /** Backstage notifications for expiry warnings (the notifications plugin's service). */
  notifier?: ExpiryNotifier;
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
    options?: { promotedFrom?: string },
  ): Promise<CreateOutcome & { view: Environment }>;
  get(name: string): Promise<Environment | undefined>;
  /** Every environment matching the query (permission filtering happens in the router). */
  list(query: EnvironmentListQuery): Promise<Environment[]>;
  events(
    name: string,
    options: { after?: number; limit: number },
  ): Promise<Array<EnvironmentEvent & { id: number }>>;
  destroy(name: string): Promise<Environment>;
  /** Recreates drifted components, then updates what reads them (through a change). */
  heal(name: string, by?: string): Promise<Environment>;
  /** The plan of `PUT /environments/:name`; throws naming what a driver refuses. */
  planUpdate(
    name: string,
    request: UpdateEnvironmentRequest,
  ): Promise<EnvironmentChangePlan>;
  /** Plans and starts an update; answers at once, the runner applies it. */
  update(
    name: string,
    request: UpdateEnvironmentRequest,
    by?: string,
  ): Promise<Environment>;
  planRollback(name: string, revision: number): Promise<EnvironmentChangePlan>;
  /** The plan of a heal (which components are recreated, which dependants change). */
  planHeal(name: string): Promise<EnvironmentChangePlan>;
  rollback(name: string, revision: number, by?: string): Promise<Environment>;
  /** Extends the TTL within `ttl.maxMinutes` from now. */
  extend(name: string, ttlMinutes: number, by?: string): Promise<Environment>;
  /** Revisions, newest first. */
  revisions(name: string): Promise<EnvironmentRevision[]>;
  /**
   * What a promotion to `type` on `cloud` carries over from the environment,
   * and the create request it amounts to (owner, name and TTL are the caller's).
   */
  promotion(
    name: string,
    target: { type: string; cloud: string },
  ): Promise<PromotionInputs>;
  /** One secret capability in clear. Callers check `multicluster.environment.secret.read` first. */
  revealSecret(
    name: string,
    component: string,
    capability: string,
  ): Promise<RevealedSecret>;
  /** Attaches drivers that run local processes, resumes interrupted work and schedules the periodic tasks. */
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
  const cfg = readEnvironmentsConfig(options.config, options.contributions);
  const secretKey = options.config.getOptionalString(
    'multicluster.environments.secretKey',
  );
  if (!secretKey) logger.warn(MISSING_KEY);
  const secrets = secretKey ? new SecretBox(secretKey) : undefined;
  const store = new EnvironmentStore(database);
  const registry = new DriverRegistry(options.drivers ?? []);
  const catalog = EnvironmentCatalog.build(cfg, registry);
  const currency = cfg.settings.currency;
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
      revisionsKept: cfg.settings.revisions.keep,
    },
    onClustersChanged: options.inventory
      ? () => options.inventory!.refresh()
      : undefined,
    changes: { currency, maxTtlMinutes: cfg.settings.ttl.maxMinutes },
    quotas: cfg.settings.quotas,
  });
  engine.setConnectionDetails(
    new ConnectionDetails({
      store,
      engine,
      events: engine.events,
      settings: cfg.settings.connectionDetails,
    }),
  );
  const clusterProvider = new EnvironmentClusterProvider(store, engine);

  const view = async (name: string): Promise<Environment | undefined> => {
    const record = await store.get(name);
    return record
      ? toEnvironment(record, await store.getComponents(name), currency)
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
    plan: request => {
      const plan = engine.plan(request);
      return { ...plan, cost: estimateCost(plan.components, currency) };
    },
    async create(request, createdBy, more) {
      const outcome = await engine.create(request, createdBy);
      if (outcome.created && more?.promotedFrom) {
        const source = await store.get(more.promotedFrom);
        await store.events.add(request.name, {
          level: 'info',
          message: `Promoted from ${more.promotedFrom} (${source?.type} on ${source?.cloud}, revision ${source?.revision})`,
        });
        await store.events.add(more.promotedFrom, {
          level: 'info',
          message: `Promoted to ${request.name} (${request.type} on ${
            request.cloud
          })${createdBy ? ` by ${createdBy}` : ''}`,
        });
      }
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
          out.push(toEnvironment(r, components.get(r.name) ?? [], currency));
        if (!nextAfter) break;
        after = nextAfter;
      }
      return out;
    },
    async events(name, opts) {
      if (!(await store.get(name)))
        throw new NotFoundError(`No environment named ${name}`);
      return (await store.events.list(name, opts)).map(toEvent);
    },
    async destroy(name) {
      await engine.destroy(name);
      return mustView(name);
    },
    async heal(name, by) {
      await engine.heal(name, by);
      return mustView(name);
    },
    async planUpdate(name, request) {
      return (await engine.changes.planUpdate(name, request)).plan;
    },
    async update(name, request, by) {
      engine.secrets.require();
      await engine.changes.start(
        await engine.changes.planUpdate(name, request),
        by,
      );
      return mustView(name);
    },
    async planHeal(name) {
      return (await engine.changes.planHeal(name)).plan;
    },
    async planRollback(name, revision) {
      return (await engine.changes.planRollback(name, revision)).plan;
    },
    async rollback(name, revision, by) {
      engine.secrets.require();
      await engine.changes.start(
        await engine.changes.planRollback(name, revision),
        by,
      );
      return mustView(name);
    },
    async extend(name, ttlMinutes, by) {
      await engine.changes.extend(name, ttlMinutes, by);
      return mustView(name);
    },
    async revisions(name) {
      const env = await store.get(name);
      if (!env) throw new NotFoundError(`No environment named ${name}`);
      return (await store.revisions.list(name)).map(r => ({
        revision: r.revision,
        operation: r.operation,
        status: r.status,
        current: r.revision === env.revision,
        ...(r.restores !== undefined ? { restores: r.restores } : {}),
        type: r.type,
        cloud: r.cloud,
        inputs: r.inputs,
        ...(r.ttlMinutes !== undefined ? { ttlMinutes: r.ttlMinutes } : {}),
        createdAt: new Date(r.createdAt).toISOString(),
        ...(r.createdBy ? { createdBy: r.createdBy } : {}),
        ...(r.reason ? { reason: r.reason } : {}),
        components: r.components.map(c => {
          const capabilities: Record<string, CapabilityValue> = {};
          for (const [k, v] of Object.entries(c.capabilities)) {
            if (!secretCapabilities[c.kind].includes(k))
              capabilities[k] = v as CapabilityValue;
          }
          if (Object.keys(c.capabilities).length) {
            for (const k of secretCapabilities[c.kind])
              capabilities[k] = {
                secretRef: secretReference(name, c.key, k),
              };
          }
          return { ...c, capabilities };
        }),
        cost: estimateCost(r.plan.components, currency),
      }));
    },
    async promotion(name, target) {
      const env = await store.get(name);
      if (!env || env.status === 'destroyed')
        throw new NotFoundError(`No environment named ${name}`);
      const plan = engine.plan({ type: target.type, cloud: target.cloud });
      return promotionInputs(
        env.inputs,
        plan.components,
        (driver, inputs) =>
          catalog.driver(driver).validateInputs?.(literalInputs(inputs)),
        `${target.type}/${target.cloud}`,
      );
    },
    async revealSecret(name, component, capability) {
      const env = await store.get(name);
      if (!env || env.status === 'destroyed')
        throw new NotFoundError(`No environment named ${name}`);
      const c = (await store.getComponents(name)).find(
        x => x.key === component,
      );
      if (!c) {
        throw new NotFoundError(
          `Environment ${name} has no component ${component}`,
        );
      }
      const secret = secretCapabilities[c.kind];
      if (!secret.includes(capability)) {
        throw new InputError(
          `capability: ${capability} is not a secret capability of ${c.kind} component ${component}; ` +
            `secret capabilities: ${secret.join(', ') || 'none'}`,
        );
      }
      if (c.status !== 'ready' && c.status !== 'drifted') {
        throw new NotFoundError(
          `Component ${component} of ${name} is ${c.status}; it has no ${capability}`,
        );
      }
      const value = await engine.revealSecret(
        secretReference(name, component, capability),
      );
      return { environment: name, component, capability, value };
    },
    async start() {
      if (started) return;
      started = true;
      // Local processes first (clusters, databases), then the work that needs them.
      await engine.attachAll();
      await engine.resumeAll();
      await engine.tasks.schedule(options.scheduler, {
        leaseSeconds: cfg.settings.leaseSeconds,
        ttl: cfg.settings.ttl,
        drift: cfg.settings.drift,
        logger,
        notifier: options.notifier,
      });
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
