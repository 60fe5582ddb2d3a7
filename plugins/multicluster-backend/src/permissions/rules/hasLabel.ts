/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Cluster } from '@archipelago/multicluster-common';
import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { ruleParamsSchema } from '../paramsSchema';
import { multiclusterClusterResourceRef } from '../resources';

/** Parameters of {@link hasLabelRule}. @public */
export type HasLabelParams = { key: string; value?: string };

const params = ruleParamsSchema<HasLabelParams>(
  z
    .object({
      key: z.string().min(1).max(320),
      value: z.string().max(63).optional(),
    })
    .strict(),
  {
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
  },
);

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
  paramsSchema: params,
  apply: (cluster: Cluster, { key, value }: HasLabelParams) =>
    Object.prototype.hasOwnProperty.call(cluster.labels, key) &&
    (value === undefined || cluster.labels[key] === value),
  toQuery: ({ key, value }: HasLabelParams) =>
    value === undefined ? { key } : { key, value },
});
