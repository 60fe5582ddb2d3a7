/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { AuthClient } from 'google-auth-library';
import type {
  ClusterCredentials,
  ClusterCredentialsResolver,
} from '@archipelago/multicluster-node';

/** The OAuth scope GKE API servers accept tokens for, as gcloud's `gke-gcloud-auth-plugin` asks. @public */
export const CLOUD_PLATFORM_SCOPE =
  'https://www.googleapis.com/auth/cloud-platform';

/** Tokens are renewed this long before they expire. */
export const TOKEN_RENEW_BEFORE_MS = 5 * 60_000;

/**
 * A resolver returning a Google OAuth access token, which GKE API servers accept for
 * the identity's IAM and RBAC permissions. google-auth-library caches and refreshes
 * the token itself; we ask it again once ours is within `TOKEN_RENEW_BEFORE_MS` (5 minutes)
 * of expiring.
 * @public
 */
export function createGoogleTokenResolver(
  auth: { getClient(): Promise<AuthClient> },
  now: () => number = Date.now,
): ClusterCredentialsResolver {
  let cached: { token: string; expiresAt?: Date } | undefined;
  let inflight: Promise<{ token: string; expiresAt?: Date }> | undefined;
  const fresh = (c: { expiresAt?: Date }) =>
    !!c.expiresAt && c.expiresAt.getTime() - TOKEN_RENEW_BEFORE_MS > now();
  return async (options?: {
    signal?: AbortSignal;
  }): Promise<ClusterCredentials> => {
    options?.signal?.throwIfAborted();
    if (!cached || !fresh(cached)) {
      if (!inflight) {
        inflight = (async () => {
          const client = await auth.getClient();
          const { token } = await client.getAccessToken();
          if (!token) {
            throw new Error('Google credentials returned no access token');
          }
          const expiry = client.credentials?.expiry_date;
          return { token, expiresAt: expiry ? new Date(expiry) : undefined };
        })().finally(() => {
          inflight = undefined;
        });
      }
      cached = await inflight;
    }
    return { type: 'bearer', token: cached.token, expiresAt: cached.expiresAt };
  };
}
