/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// The environment rules live with the cluster rules in ../permissions; this
// path stays for the environments router.
export {
  createMulticlusterEnvironmentConditionalDecision,
  isEnvironmentOwnerRule,
  multiclusterEnvironmentConditions,
  multiclusterEnvironmentResourceRef,
  multiclusterEnvironmentRules,
  type EnvironmentOwnerQuery,
  type IsEnvironmentOwnerParams,
} from '../permissions';
