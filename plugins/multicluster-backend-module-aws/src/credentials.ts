/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  fromNodeProviderChain,
  fromTemporaryCredentials,
} from '@aws-sdk/credential-providers';
import type { AwsAccountConfig } from './config';
import type { AwsCredentials, AwsCredentialsProvider } from './eks/token';

/** Credentials are refreshed this long before they expire. */
const REFRESH_BEFORE_MS = 5 * 60_000;

/**
 * Caches what `provider` returns until shortly before it expires and shares one
 * refresh between concurrent callers, so a discovery round or a burst of token
 * signings costs one AssumeRole, not one per call.
 */
export function memoizeCredentials(
  provider: AwsCredentialsProvider,
  now: () => number = Date.now,
): AwsCredentialsProvider {
  let cached: AwsCredentials | undefined;
  let inflight: Promise<AwsCredentials> | undefined;
  const valid = (c: AwsCredentials) =>
    !c.expiration || c.expiration.getTime() - REFRESH_BEFORE_MS > now();
  return async () => {
    if (cached && valid(cached)) {
      return cached;
    }
    if (!inflight) {
      inflight = provider()
        .then(c => {
          cached = c;
          return c;
        })
        .finally(() => {
          inflight = undefined;
        });
    }
    return inflight;
  };
}

/**
 * The credentials an account entry describes: static keys or the default chain
 * (environment, shared files, SSO, web identity, container and instance roles),
 * then optionally an assumed role with an external id.
 */
export function createAccountCredentials(
  account: AwsAccountConfig,
): AwsCredentialsProvider {
  const base: AwsCredentialsProvider = account.staticCredentials
    ? async () => ({ ...account.staticCredentials! })
    : fromNodeProviderChain();
  if (!account.roleArn) {
    return memoizeCredentials(base);
  }
  const stsEndpoint = account.stsEndpoint?.replace(
    /\{region\}/g,
    account.stsRegion,
  );
  return memoizeCredentials(
    fromTemporaryCredentials({
      masterCredentials: base,
      params: {
        RoleArn: account.roleArn,
        RoleSessionName: account.roleSessionName,
        ExternalId: account.externalId,
        DurationSeconds: 3600,
      },
      clientConfig: {
        region: account.stsRegion,
        maxAttempts: account.maxAttempts,
        ...(stsEndpoint ? { endpoint: stsEndpoint } : {}),
      },
    }),
  );
}
