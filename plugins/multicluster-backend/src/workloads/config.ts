/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';
import { z } from 'zod';

/** Where the workloads engine reads its settings. */
export const WORKLOADS_CONFIG_ROOT = 'multicluster.workloads';

const schema = z
  .object({
    /** `false` serves no workload routes and runs no reconciler. */
    enabled: z.boolean().default(true),
    /** Seconds between reconcile rounds. */
    intervalSeconds: z.number().int().min(1).max(86400).default(30),
    /** Cluster operations (one workload on one cluster) at once. */
    concurrency: z.number().int().min(1).max(1024).default(32),
    /** Bound of one workload's work on one cluster in a round, seconds. */
    clusterTimeoutSeconds: z.number().min(1).max(600).default(30),
    /** Bound of each Kubernetes API call, seconds. */
    requestTimeoutSeconds: z.number().min(0.1).max(120).default(10),
    /** Revisions kept per workload (the current one always is). */
    revisionHistoryLimit: z.number().int().min(1).max(100).default(10),
    /** Events kept per workload. */
    eventLimit: z.number().int().min(10).max(100000).default(1000),
    /** The server-side apply field manager. */
    fieldManager: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
      .default('archipelago-workloads'),
    failover: z
      .object({
        /** Seconds a cluster may be unhealthy or unreachable before its replicas move (default 60). */
        graceSeconds: z.number().int().min(0).max(86400).default(60),
      })
      .strict()
      .default({}),
    /** How often a round in progress looks at rollouts and changes, milliseconds. */
    pollMilliseconds: z.number().int().min(50).max(60000).default(1000),
  })
  .strict();

/** The settings of the workloads engine, defaults applied. */
export type WorkloadsSettings = z.output<typeof schema>;

/**
 * Reads `multicluster.workloads`; errors name the full key and never echo
 * values, so a bad config fails startup clearly.
 */
export function readWorkloadsConfig(config: Config): WorkloadsSettings {
  const raw = config.getOptional(WORKLOADS_CONFIG_ROOT) ?? {};
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new Error(
      `Invalid workloads config: ${result.error.issues
        .map(
          i =>
            `${WORKLOADS_CONFIG_ROOT}${i.path
              .map(p => (typeof p === 'number' ? `[${p}]` : `.${p}`))
              .join('')}: ${i.message}`,
        )
        .join('; ')}`,
    );
  }
  return result.data;
}
