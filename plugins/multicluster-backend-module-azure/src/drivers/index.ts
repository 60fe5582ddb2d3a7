/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';
import type { ComponentDriver } from '@archipelago/multicluster-node';
import { AzureAksDriver } from './AzureAksDriver';
import { AzureBlobContainerDriver } from './AzureBlobContainerDriver';
import { AzureNetworkDriver } from './AzureNetworkDriver';
import { AzurePostgresFlexibleDriver } from './AzurePostgresFlexibleDriver';
import { type AzureClientExtras, createAzureClients } from './common';
import { type AzureDriversConfig, readAzureDriversConfig } from './config';

export { AzureNetworkDriver } from './AzureNetworkDriver';
export { AzureAksDriver } from './AzureAksDriver';
export { AzurePostgresFlexibleDriver } from './AzurePostgresFlexibleDriver';
export { AzureBlobContainerDriver } from './AzureBlobContainerDriver';
export {
  AZURE_DRIVERS_CONFIG_ROOT,
  azureDriversConfig,
  readAzureDriversConfig,
  type AzureDriversConfig,
} from './config';

/** The Azure component drivers for settings already read. */
export function createAzureComponentDriversFrom(
  config: AzureDriversConfig,
  extras: AzureClientExtras = {},
): ComponentDriver[] {
  const clients = createAzureClients(config, extras);
  return [
    new AzureNetworkDriver(clients),
    new AzureAksDriver(clients),
    new AzurePostgresFlexibleDriver(clients),
    // Without a storage account there is no Blob driver: the azure cloud then needs another objectStore template.
    ...(config.storage
      ? [
          new AzureBlobContainerDriver(
            config.storage,
            config.location,
            clients.credential,
          ),
        ]
      : []),
  ];
}

/**
 * The Azure component drivers (`azure-network`, `azure-aks`,
 * `azure-postgres-flexible`, `azure-blob-container`) from
 * `multicluster.environments.azure`, or none when that key is absent.
 * @public
 */
export function createAzureComponentDrivers(config: Config): ComponentDriver[] {
  const settings = readAzureDriversConfig(config);
  return settings ? createAzureComponentDriversFrom(settings) : [];
}
