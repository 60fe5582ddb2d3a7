/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  ChangeTagsForResourceCommand,
  CreateHealthCheckCommand,
  DeleteHealthCheckCommand,
  type HealthCheck,
  type HealthCheckConfig,
  ListHealthChecksCommand,
} from '@aws-sdk/client-route-53';
import {
  type DnsHealthCheckTarget,
  mapWithConcurrency,
} from '@archipelago/multicluster-node';
import { isIP } from 'node:net';
import type { Route53Calls } from './calls';

// One Route53 health check per answer's endpoint. Its CallerReference is
// derived from the owner, the zone and the check's settings, so a retried
// create (after a crash between create and record change) returns the same
// check instead of a second one, and the checks of one owner and zone are
// found again by prefix without a tag lookup per check.

const MAX_PAGES = 100;

/** Seconds between checks and failures before unhealthy: Route53's defaults. */
const REQUEST_INTERVAL = 30;
const FAILURE_THRESHOLD = 3;

const hash = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

/** The CallerReference prefix of every check of `ownerId` in `hostedZoneId`. */
export function callerReferencePrefix(
  ownerId: string,
  hostedZoneId: string,
): string {
  return `arch-${hash(ownerId, 8)}-${hash(hostedZoneId, 8)}-`;
}

/** Route53's settings of a check of `target`. */
export function healthCheckConfig(
  target: DnsHealthCheckTarget,
): HealthCheckConfig {
  return {
    Type: target.protocol,
    ...(isIP(target.address)
      ? { IPAddress: target.address }
      : { FullyQualifiedDomainName: target.address }),
    Port: target.port,
    ResourcePath: target.path,
    RequestInterval: REQUEST_INTERVAL,
    FailureThreshold: FAILURE_THRESHOLD,
  };
}

/** The deterministic CallerReference of a check: prefix + a hash of what it checks. */
export function callerReference(
  prefix: string,
  hostname: string,
  setIdentifier: string,
  target: DnsHealthCheckTarget,
): string {
  return `${prefix}${hash(
    JSON.stringify([hostname, setIdentifier, healthCheckConfig(target)]),
    20,
  )}`;
}

/** The base of a reference: without the suffix added after a recreate. */
const baseOf = (reference: string) => reference.split('.')[0];

/** The checks of one owner and zone, by the base of their CallerReference. */
export async function listOwnHealthChecks(
  calls: Route53Calls,
  prefix: string,
): Promise<Map<string, HealthCheck>> {
  const own = new Map<string, HealthCheck>();
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await calls.send(
      new ListHealthChecksCommand({ Marker: marker, MaxItems: 1000 }),
    );
    for (const check of out.HealthChecks ?? []) {
      if (check.CallerReference?.startsWith(prefix) && check.Id)
        own.set(baseOf(check.CallerReference), check);
    }
    if (!out.IsTruncated || !out.NextMarker) return own;
    marker = out.NextMarker;
  }
  throw new Error(`ListHealthChecks returned more than ${MAX_PAGES} pages`);
}

/** A check one answer needs. */
export interface WantedHealthCheck {
  /** `hostname|setIdentifier`. */
  answer: string;
  hostname: string;
  setIdentifier: string;
  target: DnsHealthCheckTarget;
}

/**
 * Makes sure every wanted check exists; returns the check id per answer.
 * Creates run `concurrency` at a time; each new check is tagged with its
 * owner and answer, so it reads as ours in the console too.
 */
export async function ensureHealthChecks(
  calls: Route53Calls,
  options: {
    prefix: string;
    ownerId: string;
    existing: Map<string, HealthCheck>;
    wanted: WantedHealthCheck[];
    concurrency: number;
  },
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const missing: Array<[WantedHealthCheck, string]> = [];
  for (const w of options.wanted) {
    const ref = callerReference(
      options.prefix,
      w.hostname,
      w.setIdentifier,
      w.target,
    );
    const found = options.existing.get(ref);
    if (found?.Id) ids.set(w.answer, found.Id);
    else missing.push([w, ref]);
  }
  await mapWithConcurrency(missing, options.concurrency, async ([w, ref]) => {
    const id = await create(calls, ref, w);
    ids.set(w.answer, id);
    await calls.send(
      new ChangeTagsForResourceCommand({
        ResourceType: 'healthcheck',
        ResourceId: id,
        AddTags: [
          { Key: 'Name', Value: `${w.hostname} ${w.setIdentifier}` },
          { Key: 'archipelago.dev/owner', Value: options.ownerId },
          {
            Key: 'archipelago.dev/answer',
            Value: `${w.hostname}/${w.setIdentifier}`,
          },
        ],
      }),
    );
  });
  return ids;
}

async function create(
  calls: Route53Calls,
  reference: string,
  w: WantedHealthCheck,
): Promise<string> {
  const config = healthCheckConfig(w.target);
  try {
    const out = await calls.send(
      new CreateHealthCheckCommand({
        CallerReference: reference,
        HealthCheckConfig: config,
      }),
    );
    return out.HealthCheck!.Id!;
  } catch (error) {
    // Route53 never reuses the reference of a deleted check: an answer that
    // left and came back gets a fresh suffix (found again by its base).
    if ((error as { name?: string }).name !== 'HealthCheckAlreadyExists')
      throw error;
    const out = await calls.send(
      new CreateHealthCheckCommand({
        CallerReference: `${reference}.${randomBytes(4).toString('hex')}`,
        HealthCheckConfig: config,
      }),
    );
    return out.HealthCheck!.Id!;
  }
}

/** Deletes own checks no record references any more; returns how many. */
export async function deleteUnusedHealthChecks(
  calls: Route53Calls,
  existing: Map<string, HealthCheck>,
  keep: Set<string>,
): Promise<number> {
  let deleted = 0;
  for (const check of existing.values()) {
    if (!check.Id || keep.has(check.Id)) continue;
    try {
      await calls.send(
        new DeleteHealthCheckCommand({ HealthCheckId: check.Id }),
      );
      deleted++;
    } catch (error) {
      if ((error as { name?: string }).name !== 'NoSuchHealthCheck')
        throw error;
    }
  }
  return deleted;
}
