/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';
import { z } from 'zod';
import {
  configLabelsSchema,
  httpUrlSchema,
  readProviderEntries,
  refineUnique,
} from '@archipelago/multicluster-node';

/** Where the module reads its config. */
export const AWS_CONFIG_ROOT = 'multicluster.providers.aws';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

const regionName = z
  .string()
  .regex(REGION, 'must be an AWS region code such as us-east-1');

const endpointUrl = httpUrlSchema(
  'must be an http(s) URL; {region} is replaced by the region',
  value => value.replace(/\{region\}/g, 'us-east-1'),
);

const endpoints = z
  .object({ eks: endpointUrl.optional(), sts: endpointUrl.optional() })
  .strict();

// Route53 is a global service: its endpoint is per account, not per region.
const accountEndpoints = endpoints
  .extend({ route53: endpointUrl.optional() })
  .strict();

// A region is `us-east-1`, or `{ name, endpoints }` when one region needs its own
// endpoints (a VPC interface endpoint is per region).
const region = z.preprocess(
  value => (typeof value === 'string' ? { name: value } : value),
  z.object({ name: regionName, endpoints: endpoints.optional() }).strict(),
);

const roleArnSchema = z
  .string()
  .regex(
    ROLE_ARN,
    'must be an IAM role ARN such as arn:aws:iam::123456789012:role/name',
  );
const externalIdSchema = z
  .string()
  .min(2, 'must be 2 to 1224 characters')
  .max(1224, 'must be 2 to 1224 characters')
  .regex(/^[\w+=,.@:/-]+$/, 'may hold letters, digits and +=,.@:/- only');

/** The IAM role of one cluster role (probe, view, deploy), assumed with the base credentials. */
const clusterRoleIdentity = z
  .object({ roleArn: roleArnSchema, externalId: externalIdSchema.optional() })
  .strict();

const account = z
  .object({
    regions: z.array(region).min(1, 'list at least one region'),
    roleArn: z
      .string()
      .regex(
        ROLE_ARN,
        'must be an IAM role ARN such as arn:aws:iam::123456789012:role/name',
      )
      .optional(),
    externalId: z
      .string()
      .min(2, 'must be 2 to 1224 characters')
      .max(1224, 'must be 2 to 1224 characters')
      .regex(/^[\w+=,.@:/-]+$/, 'may hold letters, digits and +=,.@:/- only')
      .optional(),
    roleSessionName: z
      .string()
      .regex(
        /^[\w+=,.@-]{2,64}$/,
        'must be 2 to 64 characters of letters, digits and +=,.@-',
      )
      .optional(),
    accessKeyId: z
      .string()
      .min(16, 'is not an AWS access key id')
      .max(128)
      .optional(),
    secretAccessKey: z.string().min(1).optional(),
    stsRegion: regionName.optional(),
    endpoints: accountEndpoints.optional(),
    maxAttempts: z.number().int().min(1).max(10).optional(),
    labels: configLabelsSchema,
    /**
     * An IAM role per cluster role, each mapped in the clusters by an EKS
     * access entry (view: AmazonEKSViewPolicy). Roles not named use the
     * account's identity.
     */
    clusterRoles: z
      .object({
        probe: clusterRoleIdentity.optional(),
        view: clusterRoleIdentity.optional(),
        deploy: clusterRoleIdentity.optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.externalId && !value.roleArn) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['externalId'],
        message: 'is only used with roleArn; set roleArn too',
      });
    }
    if (!!value.accessKeyId !== !!value.secretAccessKey) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [value.accessKeyId ? 'secretAccessKey' : 'accessKeyId'],
        message: 'accessKeyId and secretAccessKey go together',
      });
    }
    refineUnique(
      ctx,
      value.regions.map(r => r.name),
      i => ['regions', i],
      name => `region ${name} is listed twice`,
    );
  });

/** One region of an account, with its endpoint overrides. @public */
export interface AwsRegionConfig {
  /** The AWS region, e.g. `eu-west-1`. */
  name: string;
  /** EKS API endpoint override (VPC endpoints, tests). */
  eksEndpoint?: string;
  /** STS endpoint override for the tokens of this region's clusters. */
  stsEndpoint?: string;
}

/** One configured account, validated and defaulted. @public */
export interface AwsAccountConfig {
  /** Config key; the provider id is `aws-eks:<id>`. */
  id: string;
  /** The regions to discover. */
  regions: AwsRegionConfig[];
  /** Role to assume for discovery and tokens; the default credential chain when omitted. */
  roleArn?: string;
  /** External id of the AssumeRole call. */
  externalId?: string;
  /** Session name of the AssumeRole call. */
  roleSessionName: string;
  /** Static access keys instead of the default credential chain. */
  staticCredentials?: { accessKeyId: string; secretAccessKey: string };
  /** Region of the STS endpoint used for AssumeRole. */
  stsRegion: string;
  /** STS endpoint override for AssumeRole. */
  stsEndpoint?: string;
  /** Route53 endpoint override (the Route53 DNS provider). */
  route53Endpoint?: string;
  /** Attempts of each AWS call (the SDK's retry strategy). */
  maxAttempts: number;
  /** Labels added to every cluster of this account. */
  labels: Record<string, string>;
  /** The IAM role of each cluster role that has its own (see README). */
  clusterRoles?: Partial<
    Record<
      'probe' | 'view' | 'deploy',
      { roleArn: string; externalId?: string }
    >
  >;
}

/** Default SDK attempts per call; throttling backs off exponentially between them. */
export const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * Reads and validates `multicluster.providers.aws`; throws an InputError naming
 * every bad key. Absent config means no providers.
 * @public
 */
export function readAwsConfig(config: Config): AwsAccountConfig[] {
  return readProviderEntries(config, AWS_CONFIG_ROOT, account).map(
    ([id, a]) => ({
      id,
      regions: a.regions.map(r => ({
        name: r.name,
        eksEndpoint: r.endpoints?.eks ?? a.endpoints?.eks,
        stsEndpoint: r.endpoints?.sts ?? a.endpoints?.sts,
      })),
      roleArn: a.roleArn,
      externalId: a.externalId,
      roleSessionName: a.roleSessionName ?? 'archipelago-multicluster',
      staticCredentials:
        a.accessKeyId && a.secretAccessKey
          ? { accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey }
          : undefined,
      stsRegion: a.stsRegion ?? a.regions[0].name,
      stsEndpoint: a.endpoints?.sts,
      route53Endpoint: a.endpoints?.route53,
      maxAttempts: a.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      labels: a.labels ?? {},
      clusterRoles: a.clusterRoles ?? {},
    }),
  );
}
