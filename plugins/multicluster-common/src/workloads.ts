/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { makeValidator, parseEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { jsonPatchOperationSchema } from './overrides';
import { labelSelectorSchema, parseLabelSelector } from './labelSelector';
import { replicaPreferencesSchema } from './replicaPlanner';
import { parseInput } from './validation';
import {
  ON_CLUSTER_REMOVED_POLICIES,
  WORKLOAD_DNS_POLICIES,
  type WorkloadRollout,
} from './workloadTypes';

export * from './workloadTypes';

/** Workload names: DNS-1123 labels of 1–63 characters starting with a letter. @public */
export const WORKLOAD_NAME_PATTERN = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

const NAME_RULE =
  "1-63 characters of lowercase letters, digits and '-', starting with a letter and ending with a letter or digit";
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const HOSTNAME =
  /^(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]([-a-z0-9]{0,61}[a-z0-9])?\.?$/;

const entityValidator = makeValidator();

/** Why a string is not an entity ref, or undefined (shorthands default to `group:default/…`). @public */
export function entityRefProblem(value: string): string | undefined {
  try {
    const ref = parseEntityRef(value, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    if (!entityValidator.isValidKind(ref.kind))
      return `invalid kind "${ref.kind}"`;
    if (!entityValidator.isValidNamespace(ref.namespace))
      return `invalid namespace "${ref.namespace}"`;
    if (!entityValidator.isValidEntityName(ref.name))
      return `invalid name "${ref.name}"`;
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

const entityRef = (field: string, example: string) =>
  z
    .string({
      required_error: `${field} is required: an entity ref such as ${example}`,
      invalid_type_error: `${field} must be an entity ref such as ${example}`,
    })
    .min(1, `${field} must not be empty`)
    .max(255, `${field} must be at most 255 characters`)
    .superRefine((value, ctx) => {
      const problem = entityRefProblem(value);
      if (problem)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `${field} must be an entity ref such as ${example} (${problem})`,
        });
    });

const wholeNumber = (field: string, min: number, max: number) =>
  z
    .number({ invalid_type_error: `${field} must be a number` })
    .int(`${field} must be a whole number`)
    .min(min, `${field} must be at least ${min}`)
    .max(max, `${field} must be at most ${max}`);

const clusterNames = (field: string) =>
  z
    .array(
      z
        .string({ invalid_type_error: `${field} must hold cluster names` })
        .min(1, `${field} must not hold an empty name`)
        .max(253, `${field}: a cluster name is at most 253 characters`),
      { invalid_type_error: `${field} must be a list of cluster names` },
    )
    .max(1000, `${field} must hold at most 1000 names`);

/** zod schema of a workload's placement (no `includeUnreachable`: failover decides). @public */
export const workloadPlacementSchema = z
  .object({
    clusterNames: clusterNames('clusterNames').optional(),
    clusterSelector: z
      .union(
        [
          z.string().superRefine((text, ctx) => {
            try {
              parseLabelSelector(text);
            } catch (e) {
              ctx.addIssue({
                code: z.ZodIssueCode.custom,
                message: (e as Error).message,
              });
            }
          }),
          labelSelectorSchema,
        ],
        {
          errorMap: () => ({
            message:
              'clusterSelector must be a label-selector string or an object { matchLabels?, matchExpressions? }',
          }),
        },
      )
      .optional(),
    exclude: clusterNames('exclude').optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (!p.clusterNames?.length && p.clusterSelector === undefined)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message:
          'placement needs clusterNames or a clusterSelector (an empty selector selects every cluster)',
      });
  });

/** The defaults of a workload's rollout. @public */
export const DEFAULT_WORKLOAD_ROLLOUT: Readonly<WorkloadRollout> =
  Object.freeze({
    maxConcurrent: 5,
    maxFailures: 0,
    soakSeconds: 0,
    timeoutSeconds: 300,
  });

/**
 * zod schema of a workload request; messages name the field and what is
 * allowed. The backend checks the manifests (parsing, bounds) and the
 * failover default from config after this.
 * @public
 */
export const workloadRequestSchema = z
  .object({
    name: z
      .string({
        required_error: `name is required: ${NAME_RULE}`,
        invalid_type_error: `name must be a string: ${NAME_RULE}`,
      })
      .regex(WORKLOAD_NAME_PATTERN, `name must be ${NAME_RULE}`),
    owner: entityRef('owner', 'group:default/team-a'),
    entityRef: entityRef('entityRef', 'component:default/checkout').optional(),
    namespace: z
      .string({ invalid_type_error: 'namespace must be a string' })
      .regex(
        DNS_LABEL,
        'namespace must be a DNS label: 1-63 lower-case letters, digits and "-"',
      )
      .default('default'),
    manifests: z.union(
      [
        z.string().min(1, 'manifests must not be empty'),
        z.array(z.record(z.unknown())).min(1, 'manifests must not be empty'),
      ],
      {
        errorMap: () => ({
          message:
            'manifests must be YAML text (one or more documents) or a list of Kubernetes objects',
        }),
      },
    ),
    placement: workloadPlacementSchema,
    replicas: z
      .object({
        totalReplicas: wholeNumber('totalReplicas', 0, 2147483647),
        preferences: replicaPreferencesSchema
          .refine(p => Object.keys(p).length <= 1000, {
            message: 'preferences must name at most 1000 clusters',
          })
          .default({ '*': { weight: 1 } }),
        rebalance: z
          .boolean({ invalid_type_error: 'rebalance must be true or false' })
          .default(false),
      })
      .strict()
      .optional(),
    overrides: z
      .array(
        z
          .object({
            clusterName: z
              .string({ required_error: 'clusterName is required' })
              .min(1, 'clusterName must not be empty'),
            kind: z.string().min(1).max(63).optional(),
            name: z.string().min(1).max(253).optional(),
            patches: z
              .array(jsonPatchOperationSchema)
              .min(1, 'patches must hold at least one operation')
              .max(100, 'patches must hold at most 100 operations'),
          })
          .strict(),
      )
      .max(1000, 'overrides must hold at most 1000 entries')
      .default([]),
    rollout: z
      .object({
        maxConcurrent: wholeNumber('maxConcurrent', 1, 100).default(
          DEFAULT_WORKLOAD_ROLLOUT.maxConcurrent,
        ),
        maxFailures: wholeNumber('maxFailures', 0, 10000).default(
          DEFAULT_WORKLOAD_ROLLOUT.maxFailures,
        ),
        soakSeconds: wholeNumber('soakSeconds', 0, 3600).default(
          DEFAULT_WORKLOAD_ROLLOUT.soakSeconds,
        ),
        timeoutSeconds: wholeNumber('timeoutSeconds', 1, 3600).default(
          DEFAULT_WORKLOAD_ROLLOUT.timeoutSeconds,
        ),
      })
      .strict()
      .default({}),
    failover: z
      .object({
        graceSeconds: wholeNumber('graceSeconds', 0, 86400).optional(),
      })
      .strict()
      .default({}),
    onClusterRemoved: z
      .enum(ON_CLUSTER_REMOVED_POLICIES, {
        errorMap: () => ({
          message: `onClusterRemoved must be one of ${ON_CLUSTER_REMOVED_POLICIES.join(
            ', ',
          )}`,
        }),
      })
      .default('delete'),
    dns: z
      .object({
        hostname: z
          .string({ required_error: 'hostname is required' })
          .max(253, 'hostname must be at most 253 characters')
          .regex(
            HOSTNAME,
            'hostname must be a fully qualified lower-case DNS name such as shop.example.com',
          ),
        policy: z.enum(WORKLOAD_DNS_POLICIES, {
          errorMap: () => ({
            message: `policy must be one of ${WORKLOAD_DNS_POLICIES.join(
              ', ',
            )}`,
          }),
        }),
        geoLabel: z.string().min(1).max(317).optional(),
        default: z.string().min(1).max(253).optional(),
        ttl: wholeNumber('ttl', 1, 86400).optional(),
        service: z
          .string()
          .regex(DNS_LABEL, 'service must be a Service name')
          .optional(),
        ingress: z
          .string()
          .min(1)
          .max(253, 'ingress must be an Ingress name')
          .optional(),
        whenAllUnhealthy: z
          .enum(['serve-all', 'serve-none'], {
            errorMap: () => ({
              message: 'whenAllUnhealthy must be serve-all or serve-none',
            }),
          })
          .optional(),
      })
      .strict()
      .superRefine((dns, ctx) => {
        if (dns.service && dns.ingress)
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['service'],
            message: 'give service or ingress, not both',
          });
      })
      .optional(),
  })
  .strict();

/** A validated workload request, defaults applied (the manifests still raw). @public */
export type ValidWorkloadRequest = z.output<typeof workloadRequestSchema>;

/**
 * Validates an untrusted workload request; throws an InputError naming every
 * bad field and what is allowed.
 * @public
 */
export function parseWorkloadRequest(body: unknown): ValidWorkloadRequest {
  return parseInput(workloadRequestSchema, body, 'workload');
}

/** zod schema of `POST /workloads/:name/rollback`. @public */
export const workloadRollbackRequestSchema = z
  .object({
    revision: wholeNumber('revision', 1, Number.MAX_SAFE_INTEGER),
  })
  .strict();

/**
 * The workload names an entity's `archipelago.dev/workload` annotation lists
 * (comma-separated), at most 100.
 * @public
 */
export function workloadAnnotationNames(value: string | undefined): string[] {
  if (!value) return [];
  return [
    ...new Set(
      value
        .split(',')
        .map(s => s.trim())
        .filter(s => WORKLOAD_NAME_PATTERN.test(s)),
    ),
  ].slice(0, 100);
}
