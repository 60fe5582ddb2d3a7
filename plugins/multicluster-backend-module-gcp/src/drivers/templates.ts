/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type ComponentTemplateDefinition,
  type EnvironmentCloudMapping,
  templateMapping,
} from '@archipelago/multicluster-node';

/**
 * The component templates of the GCP drivers, with list prices per hour
 * (us-central1, on demand, rounded) for the cost estimate.
 * @public
 */
export const GCP_COMPONENT_TEMPLATES: Record<
  string,
  ComponentTemplateDefinition
> = {
  'gcp-vpc-production': {
    kind: 'network',
    driver: 'gcp-vpc',
    description: 'A custom-mode VPC with a /20 subnet',
    inputs: { cidr: '10.20.0.0/20' },
    hourlyPrice: 0,
  },
  'gke-production': {
    kind: 'kubernetes',
    driver: 'gcp-gke',
    description: 'A regional GKE cluster with three e2-standard-4 nodes',
    inputs: {
      nodes: 3,
      machineType: 'e2-standard-4',
      version: '1.31',
      network: '${{ components.network.network_id }}',
      subnets: '${{ components.network.subnet_ids }}',
    },
    hourlyPrice: 0.5,
  },
  'cloudsql-postgres-production': {
    kind: 'database',
    driver: 'gcp-cloudsql-postgres',
    description:
      'Cloud SQL for PostgreSQL 16, regional (high availability), 2 vCPU',
    inputs: {
      tier: 'db-custom-2-7680',
      databaseVersion: 'POSTGRES_16',
      storageGb: 50,
      availability: 'REGIONAL',
      network: '${{ components.network.network_id }}',
    },
    hourlyPrice: 0.26,
  },
  'gcs-bucket-versioned': {
    kind: 'objectStore',
    driver: 'gcp-gcs-bucket',
    description: 'A versioned Cloud Storage bucket',
    inputs: { versioning: true },
    hourlyPrice: 0.01,
  },
};

/**
 * `production` on `gcp`, with the same capability contracts as every cloud.
 * @public
 */
export const GCP_ENVIRONMENT_TYPE_MAPPINGS: Record<
  string,
  EnvironmentCloudMapping
> = {
  production: templateMapping({
    network: 'gcp-vpc-production',
    kubernetes: 'gke-production',
    database: 'cloudsql-postgres-production',
    objectStore: 'gcs-bucket-versioned',
  }),
};
