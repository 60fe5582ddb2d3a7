/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createConditionExports } from '@backstage/plugin-permission-node';
import {
  multiclusterClusterResourceRef,
  multiclusterEnvironmentResourceRef,
} from './resources';
import { hasLabelRule } from './rules/hasLabel';
import { isEnvironmentOwnerRule } from './rules/isOwner';

const clusters = createConditionExports({
  resourceRef: multiclusterClusterResourceRef,
  rules: { hasLabel: hasLabelRule },
});

const environments = createConditionExports({
  resourceRef: multiclusterEnvironmentResourceRef,
  rules: { isOwner: isEnvironmentOwnerRule },
});

/**
 * Condition factories for permission policies:
 * `multiclusterClusterConditions.hasLabel({ key: 'team', value: 'payments' })`.
 * @public
 */
export const multiclusterClusterConditions = clusters.conditions;

/**
 * Wraps conditions into a conditional decision for `multicluster.cluster.read`.
 * @public
 */
export const createMulticlusterClusterConditionalDecision =
  clusters.createConditionalDecision;

/**
 * Condition factories for policies, e.g.
 * `multiclusterEnvironmentConditions.isOwner({ claims: user.info.ownershipEntityRefs })`.
 * @public
 */
export const multiclusterEnvironmentConditions = environments.conditions;

/**
 * Wraps conditions into a conditional decision for `multicluster.environment.read`
 * or `.destroy`.
 * @public
 */
export const createMulticlusterEnvironmentConditionalDecision =
  environments.createConditionalDecision;
