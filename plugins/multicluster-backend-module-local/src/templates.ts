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
 * The component templates of the local drivers: everything runs on the
 * developer's machine or the portal host.
 * @public
 */
export const LOCAL_COMPONENT_TEMPLATES: Record<
  string,
  ComponentTemplateDefinition
> = {
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
};

/**
 * dev-small, dev-large and production on the `local` cloud: dev-small shares
 * one PostgreSQL server, dev-large and production get one of their own.
 * @public
 */
export const LOCAL_ENVIRONMENT_TYPE_MAPPINGS: Record<
  string,
  EnvironmentCloudMapping
> = {
  'dev-small': templateMapping({
    network: 'local-network-small',
    kubernetes: 'emulated-cluster-small',
    database: 'postgres-shared',
    objectStore: 'local-bucket',
  }),
  'dev-large': templateMapping({
    network: 'local-network-large',
    kubernetes: 'emulated-cluster-large',
    database: 'postgres-dedicated',
    objectStore: 'local-bucket',
  }),
  production: templateMapping({
    network: 'local-network-large',
    kubernetes: 'emulated-cluster-production',
    database: 'postgres-dedicated',
    objectStore: 'local-bucket-versioned',
  }),
};
