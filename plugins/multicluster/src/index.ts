/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * Frontend plugin for Archipelago: entity cards for cluster health,
 * environment capabilities and workloads, the clusters, environments and
 * workloads pages, and
 * scaffolder field extensions. The new frontend system's plugin is the
 * default export of `@archipelago/multicluster/alpha`.
 *
 * @packageDocumentation
 */
export {
  multiclusterPlugin,
  MulticlusterPage,
  EnvironmentsPage,
  EntityClusterHealthCard,
  EntityEnvironmentCapabilitiesCard,
  EnvironmentTypePickerFieldExtension,
  ClusterPickerFieldExtension,
  WorkloadsPage,
  EntityWorkloadsCard,
} from './plugin';
export { multiclusterApiRef } from './api';
export {
  rootRouteRef,
  clusterRouteRef,
  environmentsRouteRef,
  environmentRouteRef,
  workloadsRouteRef,
  workloadRouteRef,
} from './routes';
export { isWorkloadsAvailable } from './lib/workloads';
export { isMulticlusterAvailable, isEnvironmentAvailable } from './lib/entity';
export type { EntityClusterHealthCardProps } from './components/EntityClusterHealthCard';
export {
  EnvironmentTypePickerFieldSchema,
  ClusterPickerFieldSchema,
} from './fields/schemas';
export type {
  EnvironmentTypePickerValue,
  EnvironmentTypePickerUiOptions,
  ClusterPickerUiOptions,
} from './fields/schemas';
