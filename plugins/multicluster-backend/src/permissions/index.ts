/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Permission resources, rules (one per file, as catalog-backend's) and the
// condition exports policies build decisions with.
export {
  multiclusterClusterResourceRef,
  multiclusterEnvironmentResourceRef,
  type EnvironmentOwnerQuery,
} from './resources';
export {
  hasLabelRule,
  isEnvironmentOwnerRule,
  multiclusterClusterRules,
  multiclusterEnvironmentRules,
  type HasLabelParams,
  type IsEnvironmentOwnerParams,
} from './rules';
export {
  createMulticlusterClusterConditionalDecision,
  createMulticlusterEnvironmentConditionalDecision,
  multiclusterClusterConditions,
  multiclusterEnvironmentConditions,
} from './conditions';
export {
  multiclusterWorkloadResourceRef,
  type WorkloadOwnerQuery,
} from './resources';
export {
  isWorkloadOwnerRule,
  multiclusterWorkloadRules,
  type IsWorkloadOwnerParams,
} from './rules';
export {
  createMulticlusterWorkloadConditionalDecision,
  multiclusterWorkloadConditions,
} from '@archipelago/multicluster-node';
