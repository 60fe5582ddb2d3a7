/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// The condition factories live in @archipelago/multicluster-node, so that a
// permission policy module can build decisions without depending on this
// plugin; conditions.test.ts checks that they name these rules exactly.
export {
  createMulticlusterClusterConditionalDecision,
  createMulticlusterEnvironmentConditionalDecision,
  multiclusterClusterConditions,
  multiclusterEnvironmentConditions,
} from '@archipelago/multicluster-node';
