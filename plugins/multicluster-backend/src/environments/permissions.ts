/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type Environment,
  MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE,
} from '@archipelago/multicluster-common';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';

/** What an environment permission condition filters on. */
export interface EnvironmentOwnerQuery {
  owners: string[];
}

/**
 * The environment resource of the permission framework. Conditions are
 * applied to the served `Environment` (so a policy sees what users see).
 * @public
 */
export const multiclusterEnvironmentResourceRef = createPermissionResourceRef<
  Environment,
  EnvironmentOwnerQuery
>().with({
  pluginId: 'multicluster',
  resourceType: MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE,
});

/** Parameters of {@link isEnvironmentOwnerRule}. @public */
export type IsEnvironmentOwnerParams = { claims: string[] };

const paramsZod = z
  .object({ claims: z.array(z.string().min(1)).min(1) })
  .strict();

const PARAMS_JSON_SCHEMA: Record<string, unknown> = {
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
};

/**
 * Standard Schema with JSON Schema output, the form the permission framework
 * validates rule parameters with (this package's zod v3 predates it).
 */
const paramsSchema = {
  '~standard': {
    version: 1 as const,
    vendor: 'archipelago',
    validate: (value: unknown) => {
      const result = paramsZod.safeParse(value);
      return result.success
        ? { value: result.data as IsEnvironmentOwnerParams }
        : {
            issues: result.error.issues.map(i => ({
              message: i.message,
              path: i.path,
            })),
          };
    },
    jsonSchema: {
      input: () => PARAMS_JSON_SCHEMA,
      output: () => PARAMS_JSON_SCHEMA,
    },
    types: undefined as unknown as {
      input: IsEnvironmentOwnerParams;
      output: IsEnvironmentOwnerParams;
    },
  },
};

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
  paramsSchema,
  apply: (env: Environment, { claims }: IsEnvironmentOwnerParams) =>
    claims.some(c => lower(c) === lower(env.owner)),
  toQuery: ({ claims }: IsEnvironmentOwnerParams) => ({ owners: claims }),
});

/** @public */
export const multiclusterEnvironmentRules = { isOwner: isEnvironmentOwnerRule };

const exported = createConditionExports({
  resourceRef: multiclusterEnvironmentResourceRef,
  rules: multiclusterEnvironmentRules,
});

/**
 * Condition factories for policies, e.g.
 * `multiclusterEnvironmentConditions.isOwner({ claims: user.info.ownershipEntityRefs })`.
 * @public
 */
export const multiclusterEnvironmentConditions = exported.conditions;

/**
 * Wraps conditions into a conditional decision for `multicluster.environment.read`
 * or `.delete`.
 * @public
 */
export const createMulticlusterEnvironmentConditionalDecision =
  exported.createConditionalDecision;
