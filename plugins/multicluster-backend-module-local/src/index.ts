/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * The local stack of the multicluster plugin: an emulated fleet of clusters
 * and the drivers, templates and type mappings of the `local` cloud.
 *
 * @packageDocumentation
 */
export { multiclusterModuleLocal as default } from './module';
export {
  createLocalDrivers,
  EmulatorClusterDriver,
  KubeconfigClusterDriver,
  LocalNetworkDriver,
  PostgresDatabaseDriver,
  S3BucketDriver,
  type ConfiguredPostgres,
  type ConfiguredS3,
} from './drivers';
export { EmulatorClusterProvider } from './providers/EmulatorClusterProvider';
export {
  readEmulatorProviderConfig,
  readLocalDriversConfig,
  localDrivers,
  emulatorProvider,
  type EmulatorProviderConfig,
  type LocalDriversConfig,
} from './config';
export {
  LOCAL_COMPONENT_TEMPLATES,
  LOCAL_ENVIRONMENT_TYPE_MAPPINGS,
} from './templates';
export { readWorkloadFiles } from './workloads/exampleWorkloads';
