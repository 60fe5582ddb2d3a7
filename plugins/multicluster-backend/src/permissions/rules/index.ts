/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { hasLabelRule } from './hasLabel';
import { isEnvironmentOwnerRule } from './isOwner';
import { isWorkloadOwnerRule } from './isWorkloadOwner';

export { hasLabelRule, type HasLabelParams } from './hasLabel';
export {
  isEnvironmentOwnerRule,
  type IsEnvironmentOwnerParams,
} from './isOwner';

/** The rules of the `multicluster-cluster` resource. @public */
export const multiclusterClusterRules = { hasLabel: hasLabelRule };

/** The rules of the `multicluster-environment` resource. @public */
export const multiclusterEnvironmentRules = { isOwner: isEnvironmentOwnerRule };

export {
  isWorkloadOwnerRule,
  type IsWorkloadOwnerParams,
} from './isWorkloadOwner';

/** The rules of the `multicluster-workload` resource. @public */
export const multiclusterWorkloadRules = { isOwner: isWorkloadOwnerRule };

// The condition exports, for code in this plugin that imported them from here.
export {
  createMulticlusterClusterConditionalDecision,
  multiclusterClusterConditions,
} from '../conditions';
export { multiclusterClusterResourceRef } from '../resources';
