/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  jsonPatchOperationSchema,
  parseInput,
  placementSchema,
  replicaPreferencesSchema,
} from '@archipelago/multicluster-common';
import { z } from 'zod';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_INT32 = 2147483647;

const wholeNumber = (field: string, min: number, max: number) =>
  z
    .number({ invalid_type_error: `${field} must be a number` })
    .int(`${field} must be a whole number`)
    .min(min, `${field} must be at least ${min}`)
    .max(max, `${field} must be at most ${max}`);

/** @internal */
export const DEFAULT_FIELD_MANAGER = 'backstage-multicluster-deploy';

/**
 * Input of `multicluster:deploy`. The scaffolder shows and checks its JSON
 * Schema before the action runs; the action parses it again with this schema
 * for the precise, field-naming errors.
 * @internal
 */
export const deployInputSchema = z
  .object({
    manifests: z
      .union(
        [
          // Bounded by multicluster.limits before this schema runs (manifestLimits.ts).
          z.string().min(1, 'manifests must not be empty'),
          z
            .array(z.record(z.unknown()), {
              invalid_type_error: 'manifests must be a list of objects',
            })
            .min(1),
        ],
        {
          errorMap: () => ({
            message:
              'manifests must be YAML text (one or more documents) or a list of Kubernetes objects',
          }),
        },
      )
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
    namespace: z
      .string({ invalid_type_error: 'namespace must be a string' })
      .max(63, 'namespace must be at most 63 characters')
      .regex(
        DNS_LABEL,
        'namespace must be a DNS label: lower-case letters, digits and "-"',
      )
      .default('default')
      .describe(
        'Namespace of every namespaced object; created on a cluster where it is missing',
      ),
    placement: placementSchema.describe(
      'Where to deploy: { clusterNames?, clusterSelector?, exclude?, includeUnreachable? } (names win over the selector)',
    ),
    replicas: z
      .object({
        totalReplicas: wholeNumber('totalReplicas', 0, MAX_INT32).describe(
          'Replicas of each Deployment and StatefulSet over all clusters',
        ),
        preferences: replicaPreferencesSchema
          .default({ '*': { weight: 1 } })
          .describe(
            'Cluster name or "*" → { minReplicas?, maxReplicas?, weight? } (KubeFed ReplicaSchedulingPreference)',
          ),
        rebalance: z
          .boolean({ invalid_type_error: 'rebalance must be true or false' })
          .default(false)
          .describe(
            'Redistribute from scratch instead of keeping replicas where they already run',
          ),
      })
      .strict()
      .optional()
      .describe(
        'Divide replicas of the Deployments and StatefulSets over the clusters; without it each cluster gets the manifest replicas',
      ),
    overrides: z
      .array(
        z
          .object({
            clusterName: z
              .string({ required_error: 'clusterName is required' })
              .min(1, 'clusterName must not be empty'),
            kind: z
              .string()
              .min(1)
              .optional()
              .describe('Only objects of this kind; default every object'),
            name: z
              .string()
              .min(1)
              .optional()
              .describe('Only objects with this name; default every object'),
            patches: z
              .array(jsonPatchOperationSchema)
              .min(1, 'patches must hold at least one operation'),
          })
          .strict(),
      )
      .default([])
      .describe(
        'Per-cluster JSON patches (add, remove, replace), applied after the replica plan',
      ),
    rollout: z
      .object({
        maxConcurrent: wholeNumber('maxConcurrent', 1, 100)
          .default(5)
          .describe('Clusters deployed at the same time'),
        maxFailures: wholeNumber('maxFailures', 0, 10000)
          .default(0)
          .describe('Failed clusters tolerated; one more stops the rollout'),
        waitForReady: z
          .boolean({ invalid_type_error: 'waitForReady must be true or false' })
          .default(true)
          .describe(
            'Wait until every Deployment and StatefulSet is rolled out and ready',
          ),
        timeoutSeconds: wholeNumber('timeoutSeconds', 1, 3600)
          .default(300)
          .describe('Per-cluster bound of apply plus readiness'),
      })
      .strict()
      .default({}),
    onFailure: z
      .enum(['rollback', 'keep'], {
        errorMap: () => ({ message: 'onFailure must be rollback or keep' }),
      })
      .default('rollback')
      .describe(
        'Past maxFailures: roll every touched cluster back to what it had, or keep what was applied',
      ),
    fieldManager: z
      .string({ invalid_type_error: 'fieldManager must be a string' })
      .min(1, 'fieldManager must not be empty')
      .max(128, 'fieldManager must be at most 128 characters')
      .regex(
        /^[\x21-\x7e]+$/,
        'fieldManager must be printable ASCII without spaces',
      )
      .default(DEFAULT_FIELD_MANAGER)
      .describe('Server-side apply field manager'),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (
      (input.manifests === undefined) ===
      (input.manifestsPath === undefined)
    ) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['manifests'],
        message:
          'give exactly one of manifests (YAML text or objects) and manifestsPath (a workspace path)',
      });
    }
  });

/** @internal */
export type DeployInput = z.output<typeof deployInputSchema>;

/** Validates the action input; an InputError naming every bad field. @internal */
export function parseDeployInput(value: unknown): DeployInput {
  return parseInput(deployInputSchema, value, 'input');
}

/** @internal */
export const deployResultSchema = z.object({
  cluster: z.string(),
  status: z
    .enum(['applied', 'ready', 'failed', 'skipped', 'excluded', 'rolled-back'])
    .describe(
      'excluded: the placement left the cluster out; skipped: selected but not reached',
    ),
  replicas: z
    .record(z.number())
    .describe('Replicas per workload (namespace/name) on this cluster'),
  message: z.string(),
});

/** @internal */
export type DeployResult = z.output<typeof deployResultSchema>;

/** @internal */
export const deployOutputSchema = z.object({
  results: z
    .array(deployResultSchema)
    .describe('One entry per cluster considered'),
  plan: z
    .array(z.object({ cluster: z.string(), replicas: z.record(z.number()) }))
    .describe('The clusters deployed to and the replicas of each workload'),
  summary: z
    .object({
      ready: z.number(),
      applied: z.number(),
      failed: z.number(),
      skipped: z.number(),
      excluded: z.number(),
      rolledBack: z.number(),
    })
    .describe('Clusters per status'),
});
