/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Environment } from '@archipelago/multicluster-common';
import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { ruleParamsSchema } from '../paramsSchema';
import { multiclusterEnvironmentResourceRef } from '../resources';

/** Parameters of {@link isEnvironmentOwnerRule}. @public */
export type IsEnvironmentOwnerParams = { claims: string[] };

const params = ruleParamsSchema<IsEnvironmentOwnerParams>(
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
 * `IS_OWNER {claims}`: the environment's owner is one of the claims. With the
 * user's ownership refs as claims, users see and destroy their team's
 * environments only.
 * @public
 */
export const isEnvironmentOwnerRule = createPermissionRule<
  typeof multiclusterEnvironmentResourceRef,
  IsEnvironmentOwnerParams
>({
  name: 'IS_OWNER',
  description: 'Allow environments owned by one of the given entity refs',
  resourceRef: multiclusterEnvironmentResourceRef,
  paramsSchema: params,
  apply: (env: Environment, { claims }: IsEnvironmentOwnerParams) =>
    claims.some(c => lower(c) === lower(env.owner)),
  toQuery: ({ claims }: IsEnvironmentOwnerParams) => ({ owners: claims }),
});
