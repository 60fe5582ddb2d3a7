/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';
import { readModuleConfig } from '@archipelago/multicluster-node';
import { z } from 'zod';

/** Where the Azure component drivers read their settings. */
export const AZURE_DRIVERS_CONFIG_ROOT = 'multicluster.environments.azure';

const schema = z
  .object({
    subscriptionId: z
      .string()
      .regex(/^[0-9a-fA-F-]{36}$/, 'must be a subscription id (a GUID)'),
    /** Region of everything created (default westeurope). */
    location: z
      .string()
      .regex(/^[a-z0-9]+$/, 'must be an Azure region name such as westeurope')
      .default('westeurope'),
    /** ARM endpoint (sovereign clouds, or a fake in tests). */
    endpoint: z
      .string()
      .url('must be an https URL')
      .startsWith('https://', 'must be an https URL')
      .optional(),
    tenantId: z.string().min(1).optional(),
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    /** The storage account Blob containers are created in. */
    storage: z
      .object({
        accountName: z
          .string()
          .regex(
            /^[a-z0-9]{3,24}$/,
            'must be a storage account name (3-24 lower-case letters and digits)',
          ),
        /** Shared key; Entra ID credentials are used when unset. */
        accountKey: z.string().min(1).optional(),
        /** Blob endpoint, e.g. http://127.0.0.1:10000/devstoreaccount1 for Azurite. */
        blobEndpoint: z.string().url().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type AzureDriversConfig = z.output<typeof schema>;

/**
 * Reads `multicluster.environments.azure`; undefined when absent. Errors name
 * the key and never echo values (secrets live here).
 */
export function readAzureDriversConfig(
  config: Config,
): AzureDriversConfig | undefined {
  return readModuleConfig(config, AZURE_DRIVERS_CONFIG_ROOT, schema);
}

export function azureDriversConfig(
  value: z.input<typeof schema>,
): AzureDriversConfig {
  return schema.parse(value);
}
