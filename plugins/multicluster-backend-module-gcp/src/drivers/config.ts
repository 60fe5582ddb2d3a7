/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';
import { readModuleConfig } from '@archipelago/multicluster-node';
import { z } from 'zod';

/** Where the GCP component drivers read their settings. @public */
export const GCP_DRIVERS_CONFIG_ROOT = 'multicluster.environments.gcp';

/** The schema of `multicluster.environments.gcp` (see `config.d.ts`). @public */
export const gcpDriversConfigSchema = z
  .object({
    /** The project environments are created in. */
    projectId: z
      .string()
      .regex(
        /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/,
        'must be a Google Cloud project id such as my-project-123',
      ),
    /** Region of subnets, GKE clusters, Cloud SQL instances and buckets (default us-central1). */
    region: z
      .string()
      .regex(/^[a-z]+-[a-z]+\d+$/, 'must be a region such as us-central1')
      .default('us-central1'),
    /** Service account key or external account JSON; Application Default Credentials when unset. */
    credentials: z
      .string()
      .refine(value => {
        try {
          return typeof JSON.parse(value)?.type === 'string';
        } catch {
          return false;
        }
      }, 'must be a service account key or external account JSON document')
      .optional(),
    /**
     * One base URL for Compute, GKE, Cloud SQL Admin and Cloud Storage: a
     * Private Service Connect endpoint, or a fake in development.
     */
    endpoint: z.string().url('must be an http(s) URL').optional(),
    /** How often to look at operations and resources that are being created or deleted. */
    pollIntervalSeconds: z.number().min(0.01).max(300).default(10),
  })
  .strict();

/** Settings of the GCP drivers. @public */
export type GcpDriversConfig = z.output<typeof gcpDriversConfigSchema>;

/**
 * Reads `multicluster.environments.gcp`; undefined when absent. Errors name
 * the key and never echo values (credentials live here).
 * @public
 */
export function readGcpDriversConfig(
  config: Config,
): GcpDriversConfig | undefined {
  return readModuleConfig(
    config,
    GCP_DRIVERS_CONFIG_ROOT,
    gcpDriversConfigSchema,
  );
}

/** Parses a plain object (tests, programmatic setups) with the same rules. @public */
export function gcpDriversConfig(
  value: z.input<typeof gcpDriversConfigSchema>,
): GcpDriversConfig {
  return gcpDriversConfigSchema.parse(value);
}
