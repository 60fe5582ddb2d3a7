/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * Feeds the Archipelago cluster inventory to Backstage's Kubernetes plugin.
 *
 * @packageDocumentation
 */
export { kubernetesModuleMulticluster as default } from './module';
export {
  MulticlusterClusterSupplier,
  toClusterDetails,
  type MulticlusterSupplierOptions,
} from './MulticlusterClusterSupplier';
export { type VisibleCluster } from './MulticlusterClusterSupplier';
export {
  MulticlusterServiceLocator,
  type MulticlusterServiceLocatorOptions,
} from './MulticlusterServiceLocator';
export {
  chooseEntityClusters,
  DEFAULT_LOCATOR_HEALTHS,
  type LeftOutCluster,
} from './chooseEntityClusters';
