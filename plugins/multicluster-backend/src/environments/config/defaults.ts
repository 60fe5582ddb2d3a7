/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { RawComponentTemplate, RawEnvironmentType } from './schema';

/**
 * The shipped component templates. User config under
 * `multicluster.environments.templates` is merged over these by name
 * (`kind`/`driver`/`description` replaced, `inputs` merged key by key).
 *
 * Mirrors Cloudify's Environment-as-a-Service example: dev-small is one small
 * cluster with a database on a shared server; dev-large is bigger and has its
 * own database server; production uses the cloud's managed services.
 */
export const DEFAULT_TEMPLATES: Record<string, RawComponentTemplate> = {
  // ---- local: everything runs on the developer's machine or the portal host
  'local-network-small': {
    kind: 'network',
    driver: 'local-network',
    description: 'A /20 from the local address pool, one subnet',
    inputs: { prefixLength: 20, subnets: 1 },
  },
  'local-network-large': {
    kind: 'network',
    driver: 'local-network',
    description: 'A /16 from the local address pool, three subnets',
    inputs: { prefixLength: 16, subnets: 3 },
  },
  'emulated-cluster-small': {
    kind: 'kubernetes',
    driver: 'emulator-cluster',
    description: 'An emulated Kubernetes cluster with one node',
    inputs: {
      nodes: 1,
      version: 'v1.31.4',
      network: '${{ components.network.network_id }}',
    },
  },
  'emulated-cluster-large': {
    kind: 'kubernetes',
    driver: 'emulator-cluster',
    description: 'An emulated Kubernetes cluster with three larger nodes',
    inputs: {
      nodes: 3,
      nodeCpu: '8',
      nodeMemory: '32Gi',
      version: 'v1.31.4',
      network: '${{ components.network.network_id }}',
    },
  },
  'emulated-cluster-production': {
    kind: 'kubernetes',
    driver: 'emulator-cluster',
    description:
      'An emulated Kubernetes cluster with five nodes over three zones',
    inputs: {
      nodes: 5,
      nodeCpu: '8',
      nodeMemory: '32Gi',
      version: 'v1.31.4',
      network: '${{ components.network.network_id }}',
    },
  },
  'postgres-shared': {
    kind: 'database',
    driver: 'postgres-database',
    description: 'A database and role on the shared PostgreSQL server',
    inputs: { server: 'shared' },
  },
  'postgres-dedicated': {
    kind: 'database',
    driver: 'postgres-database',
    description:
      'A PostgreSQL server of its own (embedded), with a database and role',
    inputs: { server: 'dedicated' },
  },
  'local-bucket': {
    kind: 'objectStore',
    driver: 's3-bucket',
    description: 'A bucket on the local S3-compatible store',
    inputs: { versioning: false },
  },
  'local-bucket-versioned': {
    kind: 'objectStore',
    driver: 's3-bucket',
    description: 'A versioned bucket on the local S3-compatible store',
    inputs: { versioning: true },
  },

  // ---- aws (drivers from @archipelago/multicluster-backend-module-aws)
  'aws-vpc-small': {
    kind: 'network',
    driver: 'aws-vpc',
    description:
      'A VPC with a private subnet in each of two availability zones',
    inputs: { cidr: '10.20.0.0/16', availabilityZones: 2 },
  },
  'aws-vpc-production': {
    kind: 'network',
    driver: 'aws-vpc',
    description:
      'A VPC with a private subnet in each of three availability zones',
    inputs: { cidr: '10.30.0.0/16', availabilityZones: 3 },
  },
  'aws-eks-small': {
    kind: 'kubernetes',
    driver: 'aws-eks',
    description: 'An EKS cluster with one t3.medium node',
    inputs: {
      version: '1.31',
      subnetIds: '${{ components.network.subnet_ids }}',
      nodeInstanceType: 't3.medium',
      nodes: 1,
    },
  },
  'aws-eks-large': {
    kind: 'kubernetes',
    driver: 'aws-eks',
    description: 'An EKS cluster with three m5.large nodes',
    inputs: {
      version: '1.31',
      subnetIds: '${{ components.network.subnet_ids }}',
      nodeInstanceType: 'm5.large',
      nodes: 3,
    },
  },
  'aws-eks-production': {
    kind: 'kubernetes',
    driver: 'aws-eks',
    description: 'An EKS cluster with six m5.xlarge nodes over three zones',
    inputs: {
      version: '1.31',
      subnetIds: '${{ components.network.subnet_ids }}',
      nodeInstanceType: 'm5.xlarge',
      nodes: 6,
    },
  },
  'aws-rds-postgres-small': {
    kind: 'database',
    driver: 'aws-rds-postgres',
    description: 'An RDS PostgreSQL db.t3.medium instance, single zone',
    inputs: {
      subnetIds: '${{ components.network.subnet_ids }}',
      instanceClass: 'db.t3.medium',
      storageGb: 20,
      multiAz: false,
    },
  },
  'aws-rds-postgres-production': {
    kind: 'database',
    driver: 'aws-rds-postgres',
    description: 'An RDS PostgreSQL db.m6g.large instance, multi-AZ',
    inputs: {
      subnetIds: '${{ components.network.subnet_ids }}',
      instanceClass: 'db.m6g.large',
      storageGb: 100,
      multiAz: true,
    },
  },
  'aws-s3-bucket': {
    kind: 'objectStore',
    driver: 'aws-s3-bucket',
    description: 'An S3 bucket',
    inputs: { versioning: false },
  },
  'aws-s3-bucket-versioned': {
    kind: 'objectStore',
    driver: 'aws-s3-bucket',
    description: 'A versioned S3 bucket',
    inputs: { versioning: true },
  },

  // ---- azure (drivers from @archipelago/multicluster-backend-module-azure)
  'azure-network-small': {
    kind: 'network',
    driver: 'azure-network',
    description: 'A resource group and a VNet with one subnet',
    inputs: { addressSpace: '10.40.0.0/16', subnets: 1 },
  },
  'azure-network-production': {
    kind: 'network',
    driver: 'azure-network',
    description: 'A resource group and a VNet with three subnets',
    inputs: { addressSpace: '10.50.0.0/16', subnets: 3 },
  },
  'azure-aks-small': {
    kind: 'kubernetes',
    driver: 'azure-aks',
    description: 'An AKS cluster with one Standard_B2s node',
    inputs: {
      subnetIds: '${{ components.network.subnet_ids }}',
      vmSize: 'Standard_B2s',
      nodes: 1,
    },
  },
  'azure-aks-large': {
    kind: 'kubernetes',
    driver: 'azure-aks',
    description: 'An AKS cluster with three Standard_D4s_v5 nodes',
    inputs: {
      subnetIds: '${{ components.network.subnet_ids }}',
      vmSize: 'Standard_D4s_v5',
      nodes: 3,
    },
  },
  'azure-aks-production': {
    kind: 'kubernetes',
    driver: 'azure-aks',
    description:
      'An AKS cluster with six Standard_D8s_v5 nodes over three zones',
    inputs: {
      subnetIds: '${{ components.network.subnet_ids }}',
      vmSize: 'Standard_D8s_v5',
      nodes: 6,
    },
  },
  'azure-postgres-small': {
    kind: 'database',
    driver: 'azure-postgres-flexible',
    description:
      'An Azure Database for PostgreSQL flexible server, burstable B1ms',
    inputs: {
      subnetIds: '${{ components.network.subnet_ids }}',
      sku: 'Standard_B1ms',
      tier: 'Burstable',
      storageGb: 32,
    },
  },
  'azure-postgres-production': {
    kind: 'database',
    driver: 'azure-postgres-flexible',
    description:
      'An Azure Database for PostgreSQL flexible server, D4s v3, zone-redundant HA',
    inputs: {
      subnetIds: '${{ components.network.subnet_ids }}',
      sku: 'Standard_D4s_v3',
      tier: 'GeneralPurpose',
      storageGb: 128,
      highAvailability: true,
    },
  },
  'azure-blob-container': {
    kind: 'objectStore',
    driver: 'azure-blob-container',
    description: 'A Blob container in the configured storage account',
    inputs: {},
  },
};

const local = (
  cluster: string,
  network: string,
  database: string,
  bucket: string,
) => ({
  network: { template: network },
  kubernetes: { template: cluster },
  database: { template: database },
  objectStore: { template: bucket },
});

/** The shipped environment types: dev-small, dev-large and production on local, aws and azure. */
export const DEFAULT_TYPES: Record<string, RawEnvironmentType> = {
  'dev-small': {
    title: 'Development (small)',
    description:
      'One small cluster, a database on a shared server and a bucket: cheap, for one developer.',
    clouds: {
      local: local(
        'emulated-cluster-small',
        'local-network-small',
        'postgres-shared',
        'local-bucket',
      ),
      // "Shared database server": a database on the platform team's PostgreSQL (or the embedded one).
      aws: local(
        'aws-eks-small',
        'aws-vpc-small',
        'postgres-shared',
        'aws-s3-bucket',
      ),
      azure: local(
        'azure-aks-small',
        'azure-network-small',
        'postgres-shared',
        'azure-blob-container',
      ),
    },
  },
  'dev-large': {
    title: 'Development (large)',
    description:
      'A bigger cluster with a database server of its own and a bucket: for a team or load tests.',
    clouds: {
      local: local(
        'emulated-cluster-large',
        'local-network-large',
        'postgres-dedicated',
        'local-bucket',
      ),
      aws: local(
        'aws-eks-large',
        'aws-vpc-small',
        'aws-rds-postgres-small',
        'aws-s3-bucket',
      ),
      azure: local(
        'azure-aks-large',
        'azure-network-small',
        'azure-postgres-small',
        'azure-blob-container',
      ),
    },
  },
  production: {
    title: 'Production',
    description:
      'Managed services: a multi-zone cluster, a managed highly available PostgreSQL, versioned storage.',
    clouds: {
      local: local(
        'emulated-cluster-production',
        'local-network-large',
        'postgres-dedicated',
        'local-bucket-versioned',
      ),
      aws: local(
        'aws-eks-production',
        'aws-vpc-production',
        'aws-rds-postgres-production',
        'aws-s3-bucket-versioned',
      ),
      azure: local(
        'azure-aks-production',
        'azure-network-production',
        'azure-postgres-production',
        'azure-blob-container',
      ),
    },
  },
};
