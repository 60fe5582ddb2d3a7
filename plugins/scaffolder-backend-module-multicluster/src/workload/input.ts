/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  parseInput,
  workloadRequestSchema,
} from '@archipelago/multicluster-common';
import { z } from 'zod';

const waitFields = {
  wait: z
    .boolean({ invalid_type_error: 'wait must be true or false' })
    .default(true)
    .describe(
      'Wait until the revision is rolled out and available (or failed)',
    ),
  timeoutMinutes: z
    .number({ invalid_type_error: 'timeoutMinutes must be a number' })
    .min(1, 'timeoutMinutes must be at least 1')
    .max(24 * 60, 'timeoutMinutes must be at most 1440')
    .default(15)
    .describe('How long to wait (default 15)'),
};

/**
 * Input of `multicluster:workload:apply`: the workload body of
 * `POST|PUT /workloads` (ARCHITECTURE.md), manifests given inline or read
 * from the workspace, and whether to wait for the rollout.
 * @internal
 */
export const workloadApplyInputSchema = workloadRequestSchema
  .omit({ manifests: true })
  .extend({
    manifests: z
      .union([
        z.string().min(1, 'manifests must not be empty'),
        z.array(z.record(z.unknown())).min(1, 'manifests must not be empty'),
      ])
      .optional()
      .describe(
        'Kubernetes objects: YAML text with one or more documents, or a list of objects',
      ),
    manifestsPath: z
      .string({ invalid_type_error: 'manifestsPath must be a string' })
      .min(1, 'manifestsPath must not be empty')
      .optional()
      .describe(
        'A YAML file or a directory of .yaml/.yml files in the task workspace (instead of manifests)',
      ),
    ...waitFields,
  })
  .strict()
  .superRefine((input, ctx) => {
    if ((input.manifests === undefined) === (input.manifestsPath === undefined))
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['manifests'],
        message:
          'give exactly one of manifests (YAML text or objects) and manifestsPath (a workspace path)',
      });
  });

/** @internal */
export type WorkloadApplyInput = z.output<typeof workloadApplyInputSchema>;

/** @internal */
export function parseWorkloadApplyInput(value: unknown): WorkloadApplyInput {
  return parseInput(workloadApplyInputSchema, value, 'input');
}

/** Input of `multicluster:workload:delete`. @internal */
export const workloadDeleteInputSchema = z
  .object({
    name: z
      .string({ required_error: 'name is required' })
      .min(1, 'name must not be empty')
      .describe('The workload to delete'),
    ...waitFields,
  })
  .strict();

/** @internal */
export function parseWorkloadDeleteInput(value: unknown) {
  return parseInput(workloadDeleteInputSchema, value, 'input');
}

/** One cluster of a workload, as the action outputs it. @internal */
const clusterSummary = z.object({
  cluster: z.string().describe('Cluster name'),
  revision: z.number(),
  readyReplicas: z.number(),
  desiredReplicas: z.number(),
  failedOver: z.boolean(),
});

/** @internal */
export const workloadApplyOutputSchema = z.object({
  name: z.string(),
  revision: z.number().describe('The revision the workload is at'),
  created: z.boolean().describe('Whether this run created the workload'),
  phase: z
    .string()
    .describe('Progressing, Available, Degraded, Failed or Paused'),
  reason: z.string(),
  clusters: z.array(clusterSummary),
  plan: z
    .unknown()
    .describe(
      'In a dry run: the diff against the live revision and the replica plan',
    ),
});

/** @internal */
export const workloadDeleteOutputSchema = z.object({
  name: z.string(),
  deleted: z
    .boolean()
    .describe(
      'True once gone (or if it never existed); false while being removed (wait: false)',
    ),
});
