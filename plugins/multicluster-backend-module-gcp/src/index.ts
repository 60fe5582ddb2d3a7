/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * GCP for the multicluster plugin: discovers GKE clusters across projects and
 * locations and authenticates to them with Google access tokens; drivers for
 * VPC networks, GKE, Cloud SQL for PostgreSQL and Cloud Storage, with a
 * `production` mapping for the `gcp` cloud of environments.
 *
 * @packageDocumentation
 */
export { multiclusterModuleGcp as default } from './module';
export {
  GcpGkeClusterProvider,
  GCP_LABELS,
  type GcpGkeClusterProviderOptions,
  type GkeClientOptions,
} from './GcpGkeClusterProvider';
export { gkeProviderState } from './state';
export { createGoogleTokenResolver, CLOUD_PLATFORM_SCOPE } from './credentials';
export {
  readGcpConfig,
  GCP_KUBERNETES_PLUGIN_AUTH,
  GKE_ENDPOINT_TYPES,
  type GcpProviderConfig,
  type GcpProjectConfig,
} from './config';
export {
  GcpVpcDriver,
  GcpGkeDriver,
  GcpCloudSqlDriver,
  GcsBucketDriver,
  GcpApi,
  gcpLabels,
  createGcpComponentDrivers,
  createGcpComponentDriversFrom,
  readGcpDriversConfig,
  gcpDriversConfig,
  gcpDriversConfigSchema,
  type GcpOperation,
  GCP_DRIVERS_CONFIG_ROOT,
  GCP_COMPONENT_TEMPLATES,
  GCP_ENVIRONMENT_TYPE_MAPPINGS,
  type GcpDriversConfig,
} from './drivers';
