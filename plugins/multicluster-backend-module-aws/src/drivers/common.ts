/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { z } from 'zod';
import type { AwsCredentialsProvider } from '../eks/token';
import type { AwsDriversConfig } from './config';

// Shared with the other cloud modules; re-exported under the drivers' names.
export {
  splitCidr,
  parseDriverInputs as parseInputs,
} from '@archipelago/multicluster-node';
import { setTimeout as sleep } from 'node:timers/promises';

/** The tag every resource carries: its deterministic name, so create and delete find it again. */
export const RESOURCE_TAG = 'archipelago.dev/resource';

/** The AWS API clients of one driver set. */
export interface AwsClients {
  region: string;
  endpoint?: string;
  credentials: AwsCredentialsProvider;
  ec2: EC2Client;
  eks: EKSClient;
  rds: RDSClient;
  s3: S3Client;
  pollIntervalMs: number;
}

export function createAwsClients(config: AwsDriversConfig): AwsClients {
  const credentials: AwsCredentialsProvider = config.credentials
    ? async () => ({ ...config.credentials! })
    : fromNodeProviderChain();
  const base = {
    region: config.region,
    credentials,
    maxAttempts: 5,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
  };
  return {
    region: config.region,
    endpoint: config.endpoint,
    credentials,
    ec2: new EC2Client(base),
    eks: new EKSClient(base),
    rds: new RDSClient(base),
    s3: new S3Client({ ...base, forcePathStyle: Boolean(config.endpoint) }),
    pollIntervalMs: config.pollIntervalSeconds * 1000,
  };
}

/** AWS tags from the engine's tags plus the resource tag. */
export function awsTags(
  tags: Record<string, string>,
  resourceName: string,
): Array<{ Key: string; Value: string }> {
  return [...Object.entries(tags), [RESOURCE_TAG, resourceName]].map(
    ([Key, Value]) => ({ Key, Value }),
  );
}

/** True for the many ways AWS APIs say "no such thing". */
export function isNotFound(error: unknown): boolean {
  const e = error as {
    name?: string;
    Code?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = e?.name ?? e?.Code ?? '';
  return (
    /NotFound|NoSuch|DoesNotExist/i.test(name) ||
    name === 'InvalidVpcID.NotFound' ||
    name === 'InvalidSubnetID.NotFound' ||
    e?.$metadata?.httpStatusCode === 404
  );
}

/**
 * Polls until `check` returns a value (or throws); cloud resources take
 * minutes. Bounded by the engine's abort signal (component timeout) and a
 * hard cap on attempts.
 */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: { intervalMs: number; signal?: AbortSignal; maxAttempts?: number },
): Promise<T> {
  const max = options.maxAttempts ?? 10_000;
  for (let attempt = 0; attempt < max; attempt++) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(options.intervalMs, undefined, { signal: options.signal });
  }
  throw new Error(`gave up waiting for ${what}`);
}

export const subnetIdsInput = z
  .array(
    z.string().regex(/^subnet-[0-9a-f]+$/, 'must be EC2 subnet ids (subnet-…)'),
    {
      invalid_type_error: 'must be a list of EC2 subnet ids',
    },
  )
  .min(1, 'must list at least one subnet');
