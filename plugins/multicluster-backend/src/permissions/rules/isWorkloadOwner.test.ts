/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { multiclusterWorkloadWritePermission } from '@archipelago/multicluster-common';
import type { Workload } from '@archipelago/multicluster-common';
import {
  createMulticlusterWorkloadConditionalDecision,
  multiclusterWorkloadConditions,
} from '@archipelago/multicluster-node';
import { createConditionExports } from '@backstage/plugin-permission-node';
import { multiclusterWorkloadResourceRef } from '../resources';
import { multiclusterWorkloadRules } from './index';
import { isWorkloadOwnerRule } from './isWorkloadOwner';

const workload = (owner: string) => ({ owner } as Workload);

describe('IS_OWNER (workloads)', () => {
  it.each([
    ['group:default/team-a', ['group:default/team-a'], true],
    ['group:default/Team-A', ['group:default/team-a'], true],
    ['group:default/team-a', ['user:default/al', 'group:default/team-a'], true],
    ['group:default/team-a', ['group:other/team-a'], false],
    ['group:default/team-b', ['group:default/team-a'], false],
  ])('owner %s with claims %j: %s', (owner, claims, expected) => {
    expect(isWorkloadOwnerRule.apply(workload(owner), { claims })).toBe(
      expected,
    );
  });

  it('becomes an owner filter, and refuses empty claims', () => {
    expect(
      isWorkloadOwnerRule.toQuery({ claims: ['group:default/a'] }),
    ).toEqual({ owners: ['group:default/a'] });
    const schema = (isWorkloadOwnerRule.paramsSchema as any)['~standard'];
    expect(schema.validate({ claims: [] }).issues[0].path).toEqual(['claims']);
  });

  it('is what the condition factories of multicluster-node name', () => {
    const exports = createConditionExports({
      resourceRef: multiclusterWorkloadResourceRef,
      rules: multiclusterWorkloadRules,
    });
    const params = { claims: ['group:default/team-a'] };
    expect(multiclusterWorkloadConditions.isOwner(params)).toEqual(
      exports.conditions.isOwner(params),
    );
    expect(
      createMulticlusterWorkloadConditionalDecision(
        multiclusterWorkloadWritePermission,
        multiclusterWorkloadConditions.isOwner(params),
      ),
    ).toEqual(
      exports.createConditionalDecision(
        multiclusterWorkloadWritePermission,
        multiclusterWorkloadConditions.isOwner(params),
      ),
    );
  });
});
