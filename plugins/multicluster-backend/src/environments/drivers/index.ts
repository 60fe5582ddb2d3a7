/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ComponentDriver } from '@archipelago/multicluster-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { EnvironmentsSettings } from '../config/readEnvironmentsConfig';
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
} from './PostgresDatabaseDriver';
export { S3BucketDriver } from './S3BucketDriver';
export { EmbeddedPostgresInstance } from './EmbeddedPostgres';

/** The built-in drivers for the `local` cloud. */
export function createLocalDrivers(options: {
  settings: EnvironmentsSettings;
  database: Knex;
  logger: LoggerService;
}): ComponentDriver[] {
  const { settings, database, logger } = options;
  return [
    new LocalNetworkDriver(database, settings.local.network.pool),
    new EmulatorClusterDriver(
      settings.dataDir,
      logger.child({ driver: 'emulator-cluster' }),
    ),
    new KubeconfigClusterDriver(),
    new PostgresDatabaseDriver({
      configured: settings.local.postgres,
      dataDir: settings.dataDir,
      logger: logger.child({ driver: 'postgres-database' }),
    }),
    new S3BucketDriver({
      configured: settings.local.s3,
      dataDir: settings.dataDir,
      logger: logger.child({ driver: 's3-bucket' }),
    }),
  ];
}
