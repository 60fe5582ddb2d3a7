/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createBackendPlugin,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  type ClusterProvider,
  type ComponentDriver,
  multiclusterDriversExtensionPoint,
  multiclusterProvidersExtensionPoint,
  multiclusterServiceRef,
} from '@archipelago/multicluster-node';
import {
  MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
  multiclusterClusterReadPermission,
  multiclusterClusterRefreshPermission,
} from '@archipelago/multicluster-common';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import {
  catalogProviderConfig,
  emulatorProviderConfig,
  readMulticlusterConfig,
} from './config';
import { ConnectionRegistry } from './inventory/ConnectionRegistry';
import { InventoryDiscovery } from './inventory/Discovery';
import { InventoryStore } from './inventory/InventoryStore';
import {
  multiclusterClusterResourceRef,
  multiclusterClusterRules,
} from './permissions/rules';
import { KubeHttpClient } from './prober/kubeHttp';
import { probeClusters, versionEvery } from './prober/Prober';
import { CatalogClusterProvider } from './providers/CatalogClusterProvider';
import { ConfigClusterProvider } from './providers/ConfigClusterProvider';
import { EmulatorClusterProvider } from './providers/EmulatorClusterProvider';
import { KubeconfigClusterProvider } from './providers/KubeconfigClusterProvider';
import { createRouter } from './service/router';
import { registerMulticlusterActions } from './actions/multiclusterActions';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { createEnvironmentsService } from './environments';

/** Scheduler task ids (global scope: one replica runs each round). */
export const DISCOVERY_TASK_ID = 'multicluster-discovery';
export const PROBE_TASK_ID = 'multicluster-probe';

/** Applies the knex migrations of this plugin. */
export async function migrateInventory(db: import('knex').Knex): Promise<void> {
  await db.migrate.latest({
    directory: resolvePackagePath(
      '@archipelago/multicluster-backend',
      'migrations',
    ),
  });
}

/**
 * The multicluster backend plugin: the cluster inventory (discovery, merge,
 * health probing, persistence) and its REST API at /api/multicluster.
 * @public
 */
export const multiclusterPlugin = createBackendPlugin({
  pluginId: 'multicluster',
  register(env) {
    const extraProviders: ClusterProvider[] = [];
    let initialised = false;
    env.registerExtensionPoint(multiclusterProvidersExtensionPoint, {
      addClusterProvider(...providers) {
        if (initialised) {
          throw new Error(
            'Cluster providers must be added before the multicluster plugin starts',
          );
        }
        extraProviders.push(...providers);
      },
    });
    const extraDrivers: ComponentDriver[] = [];
    env.registerExtensionPoint(multiclusterDriversExtensionPoint, {
      addComponentDriver(...drivers) {
        if (initialised) {
          throw new Error(
            'Component drivers must be added before the multicluster plugin starts',
          );
        }
        extraDrivers.push(...drivers);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        multicluster: multiclusterServiceRef,
      },
      async init(deps) {
        initialised = true;
        const { logger } = deps;
        // Validated first: a bad key fails startup with a message naming it.
        const cfg = readMulticlusterConfig(deps.config);

        const db = await deps.database.getClient();
        if (!deps.database.migrations?.skip) {
          await migrateInventory(db);
        }
        const store = new InventoryStore(db);
        const trigger = async (id: string) => {
          try {
            await deps.scheduler.triggerTask(id);
          } catch (error) {
            // Already running (the round will pick up the change) or not scheduled yet.
            if (
              !(error instanceof ConflictError) &&
              !(error instanceof NotFoundError)
            ) {
              const name = (error as Error)?.name;
              if (name !== 'ConflictError' && name !== 'NotFoundError')
                throw error;
            }
          }
        };
        const environments = await createEnvironmentsService({
          config: deps.config,
          database: db,
          logger: logger.child({ component: 'environments' }),
          scheduler: deps.scheduler,
          lifecycle: deps.lifecycle,
          drivers: extraDrivers,
          inventory: { refresh: () => trigger(DISCOVERY_TASK_ID) },
        });

        // Built-in providers first: on a conflict, the first provider names a cluster.
        const providers: ClusterProvider[] = [];
        if (cfg.providers.config.length)
          providers.push(new ConfigClusterProvider(cfg.providers.config));
        if (cfg.providers.kubeconfig.length) {
          providers.push(
            new KubeconfigClusterProvider(
              cfg.providers.kubeconfig,
              logger.child({ provider: 'kubeconfig' }),
            ),
          );
        }
        const catalogCfg = catalogProviderConfig(cfg);
        if (catalogCfg) {
          providers.push(
            new CatalogClusterProvider({
              catalog: deps.catalog,
              auth: deps.auth,
              config: catalogCfg,
            }),
          );
        }
        const emulatorCfg = emulatorProviderConfig(cfg);
        let emulator: EmulatorClusterProvider | undefined;
        if (emulatorCfg) {
          emulator = new EmulatorClusterProvider(
            emulatorCfg,
            logger.child({ provider: 'emulator' }),
          );
          providers.push(emulator);
        }
        providers.push(environments.clusterProvider);
        providers.push(...extraProviders);
        const seen = new Set<string>();
        for (const p of providers) {
          const id = p.getProviderId();
          if (seen.has(id))
            throw new Error(
              `Two cluster providers share the id ${id}; provider ids must be unique`,
            );
          seen.add(id);
        }
        logger.info(
          `Multicluster inventory providers: ${
            [...seen].join(', ') || '(none)'
          }`,
        );

        const order = new Map(providers.map((p, i) => [p.getProviderId(), i]));
        const registry = new ConnectionRegistry(() => order);
        const discovery = new InventoryDiscovery({
          providers: () => providers,
          store,
          registry,
          logger,
          timeoutMs: cfg.discovery.timeoutSeconds * 1000,
        });
        const http = new KubeHttpClient();
        const runner = `${os.hostname()}-${process.pid}-${randomBytes(
          3,
        ).toString('hex')}`;
        const discoveryIntervalMs = cfg.discovery.intervalSeconds * 1000;

        const runProbeRound = async () => {
          await discovery.ensureConnections(discoveryIntervalMs * 2);
          const round = await store.startProbeRound(runner);
          const targets = await store.listProbeTargets();
          const outcomes = await probeClusters(
            { http, logger },
            targets,
            t => registry.get(t.urlKey),
            {
              timeoutMs: cfg.health.timeoutSeconds * 1000,
              concurrency: cfg.health.concurrency,
              nonCriticalChecks: cfg.health.nonCriticalChecks,
              refreshVersion: versionEvery(round, 10),
            },
          );
          await store.recordProbeRound(round, outcomes, {
            flapThreshold: cfg.health.flapThreshold,
            historyLimit: cfg.health.historyLimit,
            historyMaxAgeMs: cfg.health.historyMaxAgeHours * 3600_000,
          });
          const live = new Set(targets.map(t => t.id));
          for (const key of http.keys()) if (!live.has(key)) http.forget(key);
        };

        await deps.scheduler.scheduleTask({
          id: DISCOVERY_TASK_ID,
          scope: 'global',
          frequency: { seconds: cfg.discovery.intervalSeconds },
          timeout: { seconds: Math.max(cfg.discovery.timeoutSeconds * 2, 60) },
          initialDelay: { seconds: 0 },
          fn: async () => {
            const outcome = await discovery.run();
            // New clusters should not wait a whole interval for their first health.
            if (outcome.added.length > 0) await trigger(PROBE_TASK_ID);
          },
        });
        await deps.scheduler.scheduleTask({
          id: PROBE_TASK_ID,
          scope: 'global',
          frequency: { seconds: cfg.health.intervalSeconds },
          timeout: { seconds: Math.max(cfg.health.intervalSeconds * 10, 600) },
          initialDelay: { seconds: 5 },
          fn: runProbeRound,
        });

        const ruleset = () =>
          deps.permissionsRegistry.getPermissionRuleset(
            multiclusterClusterResourceRef,
          );
        deps.permissionsRegistry.addResourceType({
          resourceRef: multiclusterClusterResourceRef,
          permissions: [multiclusterClusterReadPermission],
          rules: Object.values(multiclusterClusterRules),
          getResources: async refs =>
            Promise.all(refs.map(ref => store.getCluster(ref))),
        });
        deps.permissionsRegistry.addPermissions([
          multiclusterClusterRefreshPermission,
        ]);
        const transform = createConditionTransformer(ruleset());

        const router = await createRouter({
          store,
          logger,
          httpAuth: deps.httpAuth,
          auth: deps.auth,
          permissions: deps.permissions,
          auditor: deps.auditor,
          catalog: deps.catalog,
          transformConditions: transform,
          refresh: async () => {
            await trigger(DISCOVERY_TASK_ID);
            await trigger(PROBE_TASK_ID);
          },
          connectionFor: async urlKey => {
            await discovery.ensureConnections(discoveryIntervalMs * 2);
            return registry.get(urlKey);
          },
          historyLimit: cfg.health.historyLimit,
          connectionCallers: cfg.connections.allowedPlugins,
          config: deps.config,
          environments,
          permissionsRegistry: deps.permissionsRegistry,
        });
        deps.httpRouter.use(router);
        registerMulticlusterActions({
          actionsRegistry: deps.actionsRegistry,
          multicluster: deps.multicluster,
        });

        deps.lifecycle.addShutdownHook(async () => {
          http.close();
          await emulator?.stop();
        });
        logger.info(
          `Multicluster inventory ready (resource type ${MULTICLUSTER_CLUSTER_RESOURCE_TYPE})`,
        );
      },
    });
  },
});
