/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  type ClusterProvider,
  type DnsProvider,
  multiclusterDnsProvidersExtensionPoint,
  multiclusterDriversExtensionPoint,
  multiclusterProvidersExtensionPoint,
  multiclusterServiceRef,
  multiclusterWorkloadsExtensionPoint,
  type WorkloadReconciler,
} from '@archipelago/multicluster-node';
import type { WorkloadRequest } from '@archipelago/multicluster-common';
import {
  MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
  multiclusterClusterDeployPermission,
  multiclusterClusterReadPermission,
  multiclusterClusterRefreshPermission,
} from '@archipelago/multicluster-common';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import {
  catalogProviderConfig,
  connectionCallers,
  readMulticlusterConfig,
} from './config';
import { migrateDatabase } from './database/migrations';
import {
  EnvironmentContributionsCollector,
  createEnvironmentsService,
} from './environments';
import { ConnectionRegistry } from './inventory/ConnectionRegistry';
import { InventoryDiscovery } from './inventory/Discovery';
import { InventoryStore } from './inventory/InventoryStore';
import {
  DISCOVERY_TASK_ID,
  type InventoryTasks,
  PROBE_TASK_ID,
  scheduleInventoryTasks,
} from './inventory/tasks';
import { TaskRuns, taskTimings } from './inventory/taskRuns';
import {
  multiclusterClusterResourceRef,
  multiclusterClusterRules,
} from './permissions';
import { KubeHttpClient } from './prober/kubeHttp';
import { CatalogClusterProvider } from './providers/CatalogClusterProvider';
import { ConfigClusterProvider } from './providers/ConfigClusterProvider';
import { KubeconfigClusterProvider } from './providers/KubeconfigClusterProvider';
import { createRouter } from './service/router';
import { registerMulticlusterActions } from './actions/multiclusterActions';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { createWorkloads, onHealthTransition } from './workloads';
import { createDns, DNS_TASK_ID } from './dns';
import { createDeployConnector } from './workloads/reconciler/connections';
import { WorkloadStore } from './workloads/store/WorkloadStore';

export { DISCOVERY_TASK_ID, PROBE_TASK_ID } from './inventory/tasks';

/**
 * Applies the knex migrations of this plugin.
 * @deprecated Kept for tests written against the old name; use migrateDatabase.
 */
export const migrateInventory = migrateDatabase;

/**
 * The multicluster backend plugin: the cluster inventory (discovery, merge,
 * health probing, persistence), the environments engine and placement, with
 * their REST API at /api/multicluster. Cluster providers, component drivers,
 * their templates and type mappings come from modules through the extension
 * points of `@archipelago/multicluster-node`; the plugin itself ships only the
 * providers that need no cloud (config, kubeconfig, catalog) and the
 * clusters environments create.
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
    const contributions = new EnvironmentContributionsCollector();
    env.registerExtensionPoint(
      multiclusterDriversExtensionPoint,
      contributions.extensionPoint,
    );
    // Workloads: a module may replace the reconciler or add workloads at startup.
    let workloadReconciler: WorkloadReconciler | undefined;
    const seededWorkloads: WorkloadRequest[] = [];
    env.registerExtensionPoint(multiclusterWorkloadsExtensionPoint, {
      setReconciler(reconciler) {
        if (initialised)
          throw new Error(
            'The workloads reconciler must be set before the multicluster plugin starts',
          );
        if (workloadReconciler)
          throw new Error('Only one module may set the workloads reconciler');
        workloadReconciler = reconciler;
      },
      addWorkloads(...workloads) {
        seededWorkloads.push(...workloads);
      },
    });

    // ---- DNS: providers (Route53, the local server…) come from modules.
    const dnsProviders: DnsProvider[] = [];
    env.registerExtensionPoint(multiclusterDnsProvidersExtensionPoint, {
      addDnsProvider(provider) {
        if (initialised)
          throw new Error(
            'DNS providers must be added before the multicluster plugin starts',
          );
        dnsProviders.push(provider);
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
        userInfo: coreServices.userInfo,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        multicluster: multiclusterServiceRef,
        // Expiry warnings; without the notifications plugin, sending fails and is skipped.
        notifications: notificationService,
      },
      async init(deps) {
        initialised = true;
        const { logger } = deps;
        // Validated first: a bad key fails startup with a message naming it.
        const cfg = readMulticlusterConfig(deps.config);

        const db = await deps.database.getClient();
        if (!deps.database.migrations?.skip) {
          await migrateDatabase(db);
        }
        const timings = taskTimings(cfg.health);
        const store = new InventoryStore(db, {
          staleAfterMs: timings.staleAfterMs,
        });
        // Bound once the tasks are scheduled (after the providers, which need environments).
        const scheduled: { tasks?: InventoryTasks } = {};
        const requestRound = async (id: string) =>
          scheduled.tasks
            ? scheduled.tasks.requestRound(id)
            : ('unavailable' as const);
        const contributed = contributions.close();
        const environments = await createEnvironmentsService({
          config: deps.config,
          database: db,
          logger: logger.child({ component: 'environments' }),
          scheduler: deps.scheduler,
          lifecycle: deps.lifecycle,
          drivers: contributed.drivers,
          contributions: contributed,
          inventory: {
            refresh: async () => {
              await requestRound(DISCOVERY_TASK_ID);
            },
          },
          notifier: deps.notifications,
        });

        // Built-in providers first: on a conflict, the first provider names a cluster.
        const providers: ClusterProvider[] = [];
        if (cfg.providers.config.length)
          providers.push(
            new ConfigClusterProvider(
              cfg.providers.config,
              logger.child({ provider: 'config' }),
            ),
          );
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
              logger: logger.child({ provider: 'catalog' }),
            }),
          );
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
          `Multicluster inventory providers: ${[...seen].join(', ')}`,
        );

        const order = new Map(providers.map((p, i) => [p.getProviderId(), i]));
        const registry = new ConnectionRegistry(() => order);
        const discovery = new InventoryDiscovery({
          providers: () => providers,
          store: store.discovery,
          registry,
          logger,
          timeoutMs: cfg.discovery.timeoutSeconds * 1000,
        });
        const http = new KubeHttpClient();
        scheduled.tasks = await scheduleInventoryTasks({
          scheduler: deps.scheduler,
          config: cfg,
          discovery,
          probes: store.probes,
          runs: new TaskRuns(db),
          registry,
          http,
          logger,
        });

        // ---- Workloads: the reconciler runs after a health transition, not a round later.
        const trigger = async (id: string) => {
          try {
            await deps.scheduler.triggerTask(id);
          } catch (error) {
            // Already running (that round picks the change up) or not scheduled yet.
            const name = (error as Error)?.name;
            if (name !== 'ConflictError' && name !== 'NotFoundError')
              throw error;
          }
        };
        const workloads = await createWorkloads({
          config: deps.config,
          db,
          logger: logger.child({ component: 'workloads' }),
          scheduler: deps.scheduler,
          lookup: ids => store.listProbeTargets(ids),
          connectionFor: async urlKey => {
            await discovery.ensureConnections(
              cfg.discovery.intervalSeconds * 2000,
            );
            return registry.get(urlKey);
          },
          trigger,
          reconciler: workloadReconciler,
        });
        // ---- DNS: follows cluster health and workload readiness (view identity for addresses).
        const dns = workloads
          ? await createDns({
              config: deps.config,
              db,
              workloads: new WorkloadStore(db),
              providers: dnsProviders,
              connector: createDeployConnector({
                lookup: ids => store.listProbeTargets(ids),
                connectionFor: async urlKey => {
                  await discovery.ensureConnections(
                    cfg.discovery.intervalSeconds * 2000,
                  );
                  return registry.get(urlKey);
                },
                timeoutMs: 10_000,
                role: 'view',
              }),
              scheduler: deps.scheduler,
              logger: logger.child({ component: 'dns' }),
              trigger,
            })
          : undefined;
        if (workloads) {
          const onWorkloads = onHealthTransition(trigger);
          store.probes.onHealthTransition = () => {
            onWorkloads();
            if (dns?.reconciler) trigger(DNS_TASK_ID).catch(() => undefined);
          };
          if (dns) workloads.service.setDns(dns.hooks, dns.trigger);
        }

        deps.permissionsRegistry.addResourceType({
          resourceRef: multiclusterClusterResourceRef,
          // Seeing a cluster never implies writing to it: deploy is its own decision.
          permissions: [
            multiclusterClusterReadPermission,
            multiclusterClusterDeployPermission,
          ],
          rules: Object.values(multiclusterClusterRules),
          getResources: async refs =>
            Promise.all(refs.map(ref => store.getCluster(ref))),
        });
        deps.permissionsRegistry.addPermissions([
          multiclusterClusterRefreshPermission,
        ]);
        const transform = createConditionTransformer(
          deps.permissionsRegistry.getPermissionRuleset(
            multiclusterClusterResourceRef,
          ),
        );
        const discoveryIntervalMs = cfg.discovery.intervalSeconds * 1000;

        // ---- REST: one OpenAPI-validated router at the plugin root.
        const router = await createRouter({
          store,
          logger,
          httpAuth: deps.httpAuth,
          auth: deps.auth,
          permissions: deps.permissions,
          auditor: deps.auditor,
          catalog: deps.catalog,
          transformConditions: transform,
          refresh: async () => ({
            discovery: await requestRound(DISCOVERY_TASK_ID),
            probe: await requestRound(PROBE_TASK_ID),
          }),
          connectionFor: async urlKey => {
            await discovery.ensureConnections(discoveryIntervalMs * 2);
            return registry.get(urlKey);
          },
          historyLimit: cfg.health.historyLimit,
          connectionCallers: connectionCallers(cfg),
          config: deps.config,
          environments,
          permissionsRegistry: deps.permissionsRegistry,
          workloads,
          userInfo: deps.userInfo,
        });
        deps.httpRouter.use(router);
        await workloads?.seed(seededWorkloads);
        registerMulticlusterActions({
          actionsRegistry: deps.actionsRegistry,
          multicluster: deps.multicluster,
        });

        deps.lifecycle.addShutdownHook(async () => {
          http.close();
          workloads?.close();
        });
        logger.info(
          `Multicluster inventory ready (resource type ${MULTICLUSTER_CLUSTER_RESOURCE_TYPE})`,
        );
      },
    });
  },
});
