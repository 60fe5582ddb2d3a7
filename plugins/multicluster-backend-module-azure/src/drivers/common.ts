/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { NetworkManagementClient } from '@azure/arm-network';
import { PostgreSQLManagementFlexibleServerClient } from '@azure/arm-postgresql-flexible';
import { ResourceManagementClient } from '@azure/arm-resources';
import {
  ClientSecretCredential,
  DefaultAzureCredential,
  type TokenCredential,
} from '@azure/identity';
import { z } from 'zod';
import type { AzureDriversConfig } from './config';

// Shared with the other cloud modules; re-exported under the drivers' names.
export {
  splitCidr,
  parseDriverInputs as parseInputs,
} from '@archipelago/multicluster-node';

/** The ARM clients and settings one driver set shares. */
export interface AzureClients {
  subscriptionId: string;
  location: string;
  credential: TokenCredential;
  resources: ResourceManagementClient;
  network: NetworkManagementClient;
  containers: ContainerServiceClient;
  postgres: PostgreSQLManagementFlexibleServerClient;
}

/** Extra client options (TLS trust for a fake ARM, retry timing) for tests and proxies. */
export interface AzureClientExtras {
  credential?: TokenCredential;
  clientOptions?: Record<string, unknown>;
}

export function createAzureClients(
  config: AzureDriversConfig,
  extras: AzureClientExtras = {},
): AzureClients {
  const credential =
    extras.credential ??
    (config.clientSecret && config.tenantId && config.clientId
      ? new ClientSecretCredential(
          config.tenantId,
          config.clientId,
          config.clientSecret,
        )
      : new DefaultAzureCredential({
          tenantId: config.tenantId,
          managedIdentityClientId: config.clientId,
        }));
  const endpoint = config.endpoint?.replace(/\/+$/, '');
  const options = {
    ...extras.clientOptions,
    // A sovereign cloud's (or a fake's) ARM endpoint is also its token audience.
    ...(endpoint
      ? {
          endpoint,
          credentials: { scopes: [`${new URL(endpoint).origin}/.default`] },
        }
      : {}),
  };
  return {
    subscriptionId: config.subscriptionId,
    location: config.location,
    credential,
    resources: new ResourceManagementClient(
      credential,
      config.subscriptionId,
      options,
    ),
    network: new NetworkManagementClient(
      credential,
      config.subscriptionId,
      options,
    ),
    containers: new ContainerServiceClient(
      credential,
      config.subscriptionId,
      options,
    ),
    postgres: new PostgreSQLManagementFlexibleServerClient(
      credential,
      config.subscriptionId,
      {
        ...options,
        ...(endpoint ? { $host: endpoint } : {}),
      },
    ),
  };
}

/** ARM's "no such resource" (a RestError with status 404, or a not-found code). */
export function isNotFound(error: unknown): boolean {
  const e = error as { statusCode?: number; code?: string };
  return e?.statusCode === 404 || /NotFound/i.test(e?.code ?? '');
}

/** Azure tag names may not hold `/`; the engine's tags are prefixed `archipelago.dev/`. */
export function azureTags(
  tags: Record<string, string>,
  resourceName: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({
    ...tags,
    'archipelago.dev/resource': resourceName,
  })) {
    out[k.replace(/[/<>%&\\?]/g, '_')] = v;
  }
  return out;
}

/** The resource group of an ARM resource id (`/subscriptions/…/resourceGroups/<rg>/…`). */
export function resourceGroupOf(id: string): string {
  const m = /\/resourceGroups\/([^/]+)/i.exec(id);
  if (!m)
    throw new Error(
      `"${id}" is not an Azure resource id with a resource group`,
    );
  return m[1];
}

export const subnetIdsInput = z
  .array(
    z
      .string()
      .regex(
        /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i,
        'must be Azure subnet resource ids',
      ),
    {
      invalid_type_error: 'must be a list of Azure subnet resource ids',
    },
  )
  .min(1, 'must list at least one subnet');

/** The subnet delegated to PostgreSQL flexible servers, by its name. */
export const POSTGRES_SUBNET = 'postgres';
