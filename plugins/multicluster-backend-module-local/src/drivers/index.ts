/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ComponentDriver } from '@archipelago/multicluster-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { LocalDriversConfig } from '../config';
import { EmulatorClusterDriver } from './EmulatorClusterDriver';
import { KubeconfigClusterDriver } from './KubeconfigClusterDriver';
import { LocalNetworkDriver } from './LocalNetworkDriver';
import { PostgresDatabaseDriver } from './PostgresDatabaseDriver';
import { S3BucketDriver } from './S3BucketDriver';

export { EmulatorClusterDriver } from './EmulatorClusterDriver';
export { KubeconfigClusterDriver } from './KubeconfigClusterDriver';
export { LocalNetworkDriver } from './LocalNetworkDriver';
export {
  PostgresDatabaseDriver,
  databaseNameFor,
  type ConfiguredPostgres,
} from './PostgresDatabaseDriver';
export { S3BucketDriver, type ConfiguredS3 } from './S3BucketDriver';
export { EmbeddedPostgresInstance } from './EmbeddedPostgres';

/**
 * The drivers of the `local` cloud: `local-network`, `emulator-cluster`,
 * `kubeconfig-cluster`, `postgres-database` and `s3-bucket`.
 * @public
 */
export function createLocalDrivers(options: {
  settings: LocalDriversConfig;
  database: Knex;
  logger: LoggerService;
}): ComponentDriver[] {
  const { settings, database, logger } = options;
  return [
    new LocalNetworkDriver(database, settings.network.pool),
    new EmulatorClusterDriver(
      settings.dataDir,
      logger.child({ driver: 'emulator-cluster' }),
      { maxNodes: settings.maxClusterNodes },
    ),
    new KubeconfigClusterDriver(),
    new PostgresDatabaseDriver({
      configured: settings.postgres,
      dataDir: settings.dataDir,
      logger: logger.child({ driver: 'postgres-database' }),
    }),
    new S3BucketDriver({
      configured: settings.s3,
      dataDir: settings.dataDir,
      logger: logger.child({ driver: 's3-bucket' }),
    }),
  ];
}
