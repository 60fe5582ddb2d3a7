/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { Route53Client } from '@aws-sdk/client-route-53';
import type { AwsAccountConfig } from '../config';
import { createAccountCredentials } from '../credentials';

/** Default bound of one Route53 call, retries included. */
export const DEFAULT_CALL_TIMEOUT_MS = 20_000;

/** The region Route53 calls are signed for: its partition's home. */
export function route53SigningRegion(account: AwsAccountConfig): string {
  const region = account.regions[0]?.name ?? 'us-east-1';
  if (region.startsWith('cn-')) return 'cn-northwest-1';
  if (region.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}

/**
 * The Route53 client of an account: its credentials (assumed role or default
 * chain), its `endpoints.route53`, and the SDK's standard retry strategy, which
 * backs off on `Throttling` and `PriorRequestNotComplete` (see
 * `@smithy/core` retry's throttling codes) and on transient errors.
 */
export function createRoute53Client(account: AwsAccountConfig): Route53Client {
  return new Route53Client({
    region: route53SigningRegion(account),
    credentials: createAccountCredentials(account),
    retryMode: 'standard',
    maxAttempts: account.maxAttempts,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000 },
    ...(account.route53Endpoint
      ? {
          endpoint: account.route53Endpoint.replace(/\{region\}/g, 'us-east-1'),
        }
      : {}),
  });
}

/** Sends commands with one timeout per call and the round's abort signal. */
export interface Route53Calls {
  send: Route53Client['send'];
}

/** Binds a client to a round: every call bounded by `timeoutMs` and `signal`. */
export function route53Calls(
  client: Route53Client,
  options: { signal?: AbortSignal; timeoutMs?: number },
): Route53Calls {
  const send = ((command: Parameters<Route53Client['send']>[0]) => {
    const timeout = AbortSignal.timeout(
      options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    );
    const abortSignal = options.signal
      ? AbortSignal.any([options.signal, timeout])
      : timeout;
    return client.send(command as never, { abortSignal });
  }) as Route53Client['send'];
  return { send };
}
