/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';
import type { ComponentDriver } from '@archipelago/multicluster-node';
import { type GcpDriversConfig, readGcpDriversConfig } from './config';
import { GcpApi } from './gcpApi';
import { GcpCloudSqlDriver } from './GcpCloudSqlDriver';
import { GcpGkeDriver } from './GcpGkeDriver';
import { GcpVpcDriver } from './GcpVpcDriver';
import { GcsBucketDriver } from './GcsBucketDriver';

export { GcpVpcDriver } from './GcpVpcDriver';
export { GcpGkeDriver } from './GcpGkeDriver';
export { GcpCloudSqlDriver } from './GcpCloudSqlDriver';
export { GcsBucketDriver } from './GcsBucketDriver';
export { GcpApi, gcpLabels, type GcpOperation } from './gcpApi';
export {
  GCP_DRIVERS_CONFIG_ROOT,
  gcpDriversConfig,
  gcpDriversConfigSchema,
  readGcpDriversConfig,
  type GcpDriversConfig,
} from './config';
export {
  GCP_COMPONENT_TEMPLATES,
  GCP_ENVIRONMENT_TYPE_MAPPINGS,
} from './templates';

/** The GCP component drivers for settings already read, sharing one set of clients. @public */
export function createGcpComponentDriversFrom(config: GcpDriversConfig): {
  drivers: ComponentDriver[];
  api: GcpApi;
} {
  const api = new GcpApi(config);
  return {
    api,
    drivers: [
      new GcpVpcDriver(api),
      new GcpGkeDriver(api),
      new GcpCloudSqlDriver(api),
      new GcsBucketDriver(api),
    ],
  };
}

/**
 * The GCP component drivers (`gcp-vpc`, `gcp-gke`, `gcp-cloudsql-postgres`,
 * `gcp-gcs-bucket`) from `multicluster.environments.gcp`, or none when that
 * key is absent.
 * @public
 */
export function createGcpComponentDrivers(config: Config): ComponentDriver[] {
  const settings = readGcpDriversConfig(config);
  return settings ? createGcpComponentDriversFrom(settings).drivers : [];
}
