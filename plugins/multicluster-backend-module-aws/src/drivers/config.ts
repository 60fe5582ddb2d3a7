/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';
import { readModuleConfig } from '@archipelago/multicluster-node';
import { z } from 'zod';

/** Where the AWS component drivers read their settings. */
export const AWS_DRIVERS_CONFIG_ROOT = 'multicluster.environments.aws';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

const schema = z
  .object({
    /** Region environments are created in (default us-east-1). */
    region: z
      .string()
      .regex(
        /^[a-z]{2}(-[a-z]+)+-\d+$/,
        'must be an AWS region code such as us-east-1',
      )
      .default('us-east-1'),
    /** One endpoint for EC2, EKS, RDS and S3: moto_server or LocalStack in development. */
    endpoint: z.string().url('must be an http(s) URL').optional(),
    /** Static credentials; the default provider chain when unset. */
    credentials: z
      .object({
        accessKeyId: z.string().min(1),
        secretAccessKey: z.string().min(1),
        sessionToken: z.string().optional(),
      })
      .strict()
      .optional(),
    /** IAM role EKS control planes assume. */
    clusterRoleArn: z
      .string()
      .regex(
        ROLE_ARN,
        'must be an IAM role ARN such as arn:aws:iam::123456789012:role/eks-cluster',
      )
      .optional(),
    /** IAM role of EKS managed node groups. */
    nodeRoleArn: z
      .string()
      .regex(
        ROLE_ARN,
        'must be an IAM role ARN such as arn:aws:iam::123456789012:role/eks-node',
      )
      .optional(),
    /** How often to look at resources that are being created or deleted. */
    pollIntervalSeconds: z.number().min(0.01).max(300).default(15),
  })
  .strict();

export type AwsDriversConfig = z.output<typeof schema>;

/**
 * Reads `multicluster.environments.aws`; undefined when absent. Errors name
 * the key and never echo values (credentials live here).
 */
export function readAwsDriversConfig(
  config: Config,
): AwsDriversConfig | undefined {
  return readModuleConfig(config, AWS_DRIVERS_CONFIG_ROOT, schema);
}

/** Parses a plain object (tests, programmatic setups) with the same rules. */
export function awsDriversConfig(
  value: z.input<typeof schema>,
): AwsDriversConfig {
  return schema.parse(value);
}
