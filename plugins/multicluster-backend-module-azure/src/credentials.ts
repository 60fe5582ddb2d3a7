/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  ClientSecretCredential,
  DefaultAzureCredential,
  type TokenCredential,
} from '@azure/identity';
import type {
  ClusterCredentials,
  ClusterCredentialsResolver,
} from '@archipelago/multicluster-node';
import type { AzureProviderConfig } from './config';

/** Tokens are renewed this long before they expire. */
export const TOKEN_RENEW_BEFORE_MS = 5 * 60_000;

/**
 * The Entra ID credential an entry describes: a service principal secret, or
 * DefaultAzureCredential (workload identity, managed identity, environment, Azure
 * CLI), with `clientId` selecting a user-assigned identity.
 */
export function createAzureCredential(
  entry: AzureProviderConfig,
): TokenCredential {
  if (entry.clientSecret && entry.tenantId && entry.clientId) {
    return new ClientSecretCredential(
      entry.tenantId,
      entry.clientId,
      entry.clientSecret,
      {
        authorityHost: entry.authorityHost,
      },
    );
  }
  return new DefaultAzureCredential({
    authorityHost: entry.authorityHost,
    tenantId: entry.tenantId,
    managedIdentityClientId: entry.clientId,
    workloadIdentityClientId: entry.clientId,
  });
}

/**
 * A resolver that returns an Entra ID access token for the AKS API server
 * (`scope`), cached until `TOKEN_RENEW_BEFORE_MS` (5 minutes) before it expires.
 * @public
 */
export function createEntraIdResolver(
  credential: TokenCredential,
  scope: string,
  now: () => number = Date.now,
): ClusterCredentialsResolver {
  let cached: { token: string; expiresAt: Date } | undefined;
  let inflight: Promise<{ token: string; expiresAt: Date }> | undefined;
  return async (options?: {
    signal?: AbortSignal;
  }): Promise<ClusterCredentials> => {
    options?.signal?.throwIfAborted();
    if (
      !cached ||
      cached.expiresAt.getTime() - TOKEN_RENEW_BEFORE_MS <= now()
    ) {
      if (!inflight) {
        // Not tied to one caller's signal: concurrent callers share this request.
        inflight = credential
          .getToken(scope)
          .then(token => {
            if (!token) {
              throw new Error(`no Entra ID token was issued for ${scope}`);
            }
            return {
              token: token.token,
              expiresAt: new Date(token.expiresOnTimestamp),
            };
          })
          .finally(() => {
            inflight = undefined;
          });
      }
      cached = await inflight;
    }
    return { type: 'bearer', token: cached.token, expiresAt: cached.expiresAt };
  };
}
