/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type Cluster,
  MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
} from '@archipelago/multicluster-common';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';
import type { ClusterLabelCondition } from '../inventory/InventoryStore';

/**
 * The cluster resource of the permission framework: rules apply to a `Cluster`
 * in memory and translate to a label condition the store turns into SQL.
 * @public
 */
export const multiclusterClusterResourceRef = createPermissionResourceRef<
  Cluster,
  ClusterLabelCondition
>().with({
  pluginId: 'multicluster',
  resourceType: MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
});

/** Parameters of {@link hasLabelRule}. @public */
export type HasLabelParams = { key: string; value?: string };

const hasLabelParams = z
  .object({
    key: z.string().min(1).max(320),
    value: z.string().max(63).optional(),
  })
  .strict();

const HAS_LABEL_JSON_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    key: {
      type: 'string',
      minLength: 1,
      maxLength: 320,
      description: 'Label key, e.g. team or topology.kubernetes.io/region',
    },
    value: {
      type: 'string',
      maxLength: 63,
      description: 'Label value; any value when omitted',
    },
  },
  required: ['key'],
  additionalProperties: false,
};

/**
 * The rule's parameter schema as a Standard Schema with JSON Schema output,
 * which the permission framework uses to validate and to describe the rule to
 * policy tooling. Written out because this package's zod (v3) predates
 * Standard JSON Schema.
 */
const hasLabelParamsSchema = {
  '~standard': {
    version: 1 as const,
    vendor: 'archipelago',
    validate: (value: unknown) => {
      const result = hasLabelParams.safeParse(value);
      return result.success
        ? { value: result.data as HasLabelParams }
        : {
            issues: result.error.issues.map(i => ({
              message: i.message,
              path: i.path,
            })),
          };
    },
    jsonSchema: {
      input: () => HAS_LABEL_JSON_SCHEMA,
      output: () => HAS_LABEL_JSON_SCHEMA,
    },
    types: undefined as unknown as {
      input: HasLabelParams;
      output: HasLabelParams;
    },
  },
};

/**
 * `HAS_LABEL {key, value?}`: the cluster has label `key` (equal to `value`
 * when given). Lets a policy scope a team to its clusters, e.g.
 * `hasLabel({ key: 'team', value: 'payments' })`.
 * @public
 */
export const hasLabelRule = createPermissionRule<
  typeof multiclusterClusterResourceRef,
  HasLabelParams
>({
  name: 'HAS_LABEL',
  description:
    'Allow clusters that have a label, optionally with a given value',
  resourceRef: multiclusterClusterResourceRef,
  paramsSchema: hasLabelParamsSchema,
  apply: (cluster: Cluster, params: HasLabelParams) =>
    Object.prototype.hasOwnProperty.call(cluster.labels, params.key) &&
    (params.value === undefined || cluster.labels[params.key] === params.value),
  toQuery: (params: HasLabelParams) =>
    params.value === undefined
      ? { key: params.key }
      : { key: params.key, value: params.value },
});

/** @public */
export const multiclusterClusterRules = { hasLabel: hasLabelRule };

const exported = createConditionExports({
  resourceRef: multiclusterClusterResourceRef,
  rules: multiclusterClusterRules,
});

/**
 * Condition factories for permission policies:
 * `multiclusterClusterConditions.hasLabel({ key: 'team', value: 'payments' })`.
 * @public
 */
export const multiclusterClusterConditions = exported.conditions;

/**
 * Wraps conditions into a conditional decision for `multicluster.cluster.read`.
 * @public
 */
export const createMulticlusterClusterConditionalDecision =
  exported.createConditionalDecision;
