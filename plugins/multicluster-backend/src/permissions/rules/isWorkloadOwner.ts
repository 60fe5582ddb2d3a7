/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Workload } from '@archipelago/multicluster-common';
import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { ruleParamsSchema } from '../paramsSchema';
import { multiclusterWorkloadResourceRef } from '../resources';

/** Parameters of {@link isWorkloadOwnerRule}. @public */
export type IsWorkloadOwnerParams = { claims: string[] };

const params = ruleParamsSchema<IsWorkloadOwnerParams>(
  z.object({ claims: z.array(z.string().min(1)).min(1) }).strict(),
  {
    type: 'object',
    properties: {
      claims: {
        type: 'array',
        items: { type: 'string' },
        minItems: 1,
        description:
          'Entity refs that count as the owner, usually the user ref and their ownership refs',
      },
    },
    required: ['claims'],
    additionalProperties: false,
  },
);

const lower = (s: string) => s.toLocaleLowerCase('en-US');

/**
 * `IS_OWNER {claims}`: the workload's owner is one of the claims (full
 * entity refs, compared case-insensitively). With the user's ownership refs
 * as claims, a team reads and changes its own workloads only.
 * @public
 */
export const isWorkloadOwnerRule = createPermissionRule<
  typeof multiclusterWorkloadResourceRef,
  IsWorkloadOwnerParams
>({
  name: 'IS_OWNER',
  description: 'Allow workloads owned by one of the given entity refs',
  resourceRef: multiclusterWorkloadResourceRef,
  paramsSchema: params,
  apply: (workload: Workload, { claims }: IsWorkloadOwnerParams) =>
    claims.some(c => lower(c) === lower(workload.owner)),
  toQuery: ({ claims }: IsWorkloadOwnerParams) => ({ owners: claims }),
});
