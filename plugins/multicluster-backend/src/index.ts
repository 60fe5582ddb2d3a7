/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * The multicluster backend plugin: cluster inventory, health prober,
 * environments engine, placement and their REST API. Extend it with modules
 * through the extension points of `@archipelago/multicluster-node`; write
 * permission policies with the resource refs and conditions below.
 *
 * @packageDocumentation
 */
export { multiclusterPlugin as default } from './plugin';
export {
  multiclusterClusterResourceRef,
  multiclusterEnvironmentResourceRef,
  hasLabelRule,
  isEnvironmentOwnerRule,
  multiclusterClusterRules,
  multiclusterEnvironmentRules,
  multiclusterClusterConditions,
  multiclusterEnvironmentConditions,
  createMulticlusterClusterConditionalDecision,
  createMulticlusterEnvironmentConditionalDecision,
  type EnvironmentOwnerQuery,
  type HasLabelParams,
  type IsEnvironmentOwnerParams,
} from './permissions';
export {
  multiclusterWorkloadResourceRef,
  isWorkloadOwnerRule,
  multiclusterWorkloadRules,
  multiclusterWorkloadConditions,
  createMulticlusterWorkloadConditionalDecision,
  type WorkloadOwnerQuery,
  type IsWorkloadOwnerParams,
} from './permissions';
export type { ClusterLabelCondition } from './inventory/types';
export { openEnvironmentSecret } from './environments/secrets/openEnvironmentSecret';
