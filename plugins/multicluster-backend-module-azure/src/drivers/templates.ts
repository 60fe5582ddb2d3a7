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
 * The component templates of the Azure drivers.
 * @public
 */
export const AZURE_COMPONENT_TEMPLATES: Record<
  string,
  ComponentTemplateDefinition
> = {
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

/**
 * dev-small, dev-large and production on the `azure` cloud. Without a storage
 * account there is no Blob driver, and so no objectStore: the mappings then
 * stay unavailable until config maps another object store.
 * @public
 */
export const AZURE_ENVIRONMENT_TYPE_MAPPINGS: Record<
  string,
  EnvironmentCloudMapping
> = {
  'dev-small': templateMapping({
    network: 'azure-network-small',
    kubernetes: 'azure-aks-small',
    database: 'azure-postgres-small',
    objectStore: 'azure-blob-container',
  }),
  'dev-large': templateMapping({
    network: 'azure-network-small',
    kubernetes: 'azure-aks-large',
    database: 'azure-postgres-small',
    objectStore: 'azure-blob-container',
  }),
  production: templateMapping({
    network: 'azure-network-production',
    kubernetes: 'azure-aks-production',
    database: 'azure-postgres-production',
    objectStore: 'azure-blob-container',
  }),
};
