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
  multiclusterServiceRef,
  multiclusterWorkloadsExtensionPoint,
} from '@archipelago/multicluster-node';
import {
  readEmulatorProviderConfig,
  readLocalDataDir,
  readLocalDriversConfig,
} from './config';
import { prepareDataDir } from './dataDir';
import { readWorkloadFiles } from './workloads/exampleWorkloads';
import { ensureExampleEnvironments } from './environments/exampleEnvironments';
import { createLocalDrivers } from './drivers';
import {
  geographyMap,
  LocalDnsProvider,
  LocalDnsServer,
  LocalDnsZones,
  readLocalDnsConfig,
} from './dns';
import { EmulatorClusterProvider } from './providers/EmulatorClusterProvider';
import {
  LOCAL_COMPONENT_TEMPLATES,
  LOCAL_ENVIRONMENT_TYPE_MAPPINGS,
} from './templates';

/**
 * The local stack of the multicluster plugin, for development and demos:
 * an emulated fleet in the inventory (`multicluster.providers.emulator`), with
 * example workloads on it when `workloadsDirectory` names a folder of them, and
 * the `local` cloud of environments (`multicluster.environments.local`):
 * emulated or kubeconfig clusters, PostgreSQL (embedded unless configured),
 * S3 buckets (an in-process server unless configured) and address blocks,
 * with their templates and dev-small / dev-large / production mappings.
 * Each half is inert until its config key enables it.
 * @public
 */
export const multiclusterModuleLocal = createBackendModule({
  pluginId: 'multicluster',
  moduleId: 'local',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        lifecycle: coreServices.lifecycle,
        auth: coreServices.auth,
        multicluster: multiclusterServiceRef,
        providers: multiclusterProvidersExtensionPoint,
        drivers: multiclusterDriversExtensionPoint,
        workloads: multiclusterWorkloadsExtensionPoint,
        dns: multiclusterDnsProvidersExtensionPoint,
      },
      async init({
        config,
        logger,
        database,
        lifecycle,
        auth,
        multicluster,
        providers,
        drivers,
        workloads,
        dns,
      }) {
        // Both read first: a bad key stops the backend at startup, naming it.
        const emulator = readEmulatorProviderConfig(config);
        const local = readLocalDriversConfig(config);
        if (emulator?.adminTokenFile || local) {
          // Tokens, passwords and data live here: private to this user.
          await prepareDataDir(readLocalDataDir(config));
        }
        if (emulator) {
          const fleet = new EmulatorClusterProvider(
            emulator,
            logger.child({ provider: 'emulator' }),
          );
          providers.addClusterProvider(fleet);
          lifecycle.addShutdownHook(() => fleet.stop());
          // Example workloads for the demo fleet, created once (never overwritten).
          if (emulator.workloadsDirectory)
            workloads.addWorkloads(
              ...readWorkloadFiles(emulator.workloadsDirectory),
            );
        }
        // The local DNS provider serves zones with `provider: local`; the
        // server answers them when `multicluster.dns.local` is set.
        const localDns = readLocalDnsConfig(config);
        if (localDns.zones.length || localDns.server) {
          const zones = new LocalDnsZones();
          dns.addDnsProvider(new LocalDnsProvider(zones));
          if (localDns.server) {
            const server = new LocalDnsServer({
              zones,
              zoneNames: localDns.zones,
              geographies: geographyMap(localDns.server.clientGeographies),
              host: localDns.server.host,
              port: localDns.server.port,
              logger: logger.child({ component: 'local-dns' }),
            });
            await server.start();
            logger.info(
              `Local DNS server on ${localDns.server.host}:${
                server.port
              } (UDP and TCP) for ${localDns.zones.join(', ') || 'no zone'}`,
            );
            lifecycle.addShutdownHook(() => server.stop());
          }
        }
        if (local) {
          addCloudDrivers(drivers, {
            cloud: 'local',
            drivers: createLocalDrivers({
              settings: local,
              database: await database.getClient(),
              logger: logger.child({ drivers: 'local' }),
            }),
            templates: LOCAL_COMPONENT_TEMPLATES,
            mappings: LOCAL_ENVIRONMENT_TYPE_MAPPINGS,
          });
          logger.info(
            `Local environment drivers keep state in ${local.dataDir}`,
          );
          if (local.exampleEnvironments.length) {
            // In the background once serving: the environments API is this plugin's own.
            const stop = new AbortController();
            lifecycle.addStartupHook(() => {
              void ensureExampleEnvironments({
                environments: local.exampleEnvironments,
                multicluster,
                auth,
                logger: logger.child({ examples: 'environments' }),
                signal: stop.signal,
              });
            });
            lifecycle.addShutdownHook(() => stop.abort());
          }
        }
      },
    });
  },
});
