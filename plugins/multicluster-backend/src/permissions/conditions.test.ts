/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  multiclusterClusterReadPermission,
  multiclusterEnvironmentDestroyPermission,
} from '@archipelago/multicluster-common';
import type {
  PermissionCondition,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';
import { createConditionExports } from '@backstage/plugin-permission-node';
import {
  createMulticlusterClusterConditionalDecision,
  createMulticlusterEnvironmentConditionalDecision,
  multiclusterClusterConditions,
  multiclusterEnvironmentConditions,
} from './conditions';
import {
  multiclusterClusterResourceRef,
  multiclusterEnvironmentResourceRef,
} from './resources';
import {
  multiclusterClusterRules,
  multiclusterEnvironmentRules,
} from './rules';

// What the permission framework derives from the registered rules: the
// conditions policies build (in multicluster-node) must be the same.
const clusters = createConditionExports({
  resourceRef: multiclusterClusterResourceRef,
  rules: multiclusterClusterRules,
});
const environments = createConditionExports({
  resourceRef: multiclusterEnvironmentResourceRef,
  rules: multiclusterEnvironmentRules,
});

describe('the condition exports', () => {
  it('name the registered cluster rule and resource', () => {
    const params = { key: 'team', value: 'payments' };
    expect(multiclusterClusterConditions.hasLabel(params)).toEqual(
      clusters.conditions.hasLabel(params),
    );
    const criteria: PermissionCriteria<
      PermissionCondition<'multicluster-cluster'>
    > = { anyOf: [multiclusterClusterConditions.hasLabel(params)] };
    expect(
      createMulticlusterClusterConditionalDecision(
        multiclusterClusterReadPermission,
        criteria,
      ),
    ).toEqual(
      clusters.createConditionalDecision(
        multiclusterClusterReadPermission,
        criteria,
      ),
    );
  });

  it('name the registered environment rule and resource', () => {
    const params = { claims: ['group:default/team-a'] };
    expect(multiclusterEnvironmentConditions.isOwner(params)).toEqual(
      environments.conditions.isOwner(params),
    );
    const criteria = multiclusterEnvironmentConditions.isOwner(params);
    expect(
      createMulticlusterEnvironmentConditionalDecision(
        multiclusterEnvironmentDestroyPermission,
        criteria,
      ),
    ).toEqual(
      environments.createConditionalDecision(
        multiclusterEnvironmentDestroyPermission,
        criteria,
      ),
    );
  });
});
