/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { configError } from '@archipelago/multicluster-node';
import { z } from 'zod';
import type { AwsAccountConfig } from '../config';

/** Where the zones are listed (shared with the DNS core and other providers). */
export const DNS_ZONES_KEY = 'multicluster.dns.zones';

/** The `provider` value of the zones this module serves. */
export const ROUTE53_PROVIDER_TYPE = 'route53';

// Route53 ids are upper-case letters and digits (Z…); `/hostedzone/` is what
// the API returns and people paste, so it is accepted and dropped.
const HOSTED_ZONE_ID = /^[A-Z0-9]{1,32}$/;

const zoneName = z
  .string()
  .min(1)
  .max(253)
  .transform(v => v.replace(/\.$/, '').toLowerCase())
  .refine(
    v =>
      /^([a-z0-9_]([-a-z0-9_]{0,61}[a-z0-9_])?\.)*[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(
        v,
      ),
    'must be a DNS zone name such as example.com',
  );

// Other keys of a zone belong to the DNS core; only ours are checked here.
const route53Zone = z.object({
  name: zoneName,
  provider: z.literal(ROUTE53_PROVIDER_TYPE),
  account: z
    .string({ required_error: 'name a key of multicluster.providers.aws' })
    .min(1, 'name a key of multicluster.providers.aws'),
  hostedZoneId: z
    .string({
      required_error: 'the Route53 hosted zone id, e.g. Z0123456789ABC',
    })
    .transform(v => v.replace(/^\/?hostedzone\//, ''))
    .refine(
      v => HOSTED_ZONE_ID.test(v),
      'must be a Route53 hosted zone id such as Z0123456789ABC',
    ),
});

/** One Route53 zone of `multicluster.dns.zones`, validated. */
export interface Route53ZoneConfig {
  /** The zone's name, lower case, no trailing dot. */
  name: string;
  /** Its config key, e.g. `multicluster.dns.zones[2]`, for error messages. */
  key: string;
  /** The account whose credentials and endpoint are used. */
  account: AwsAccountConfig;
  /** The hosted zone id without `/hostedzone/`. */
  hostedZoneId: string;
}

/**
 * Reads the `route53` zones of `multicluster.dns.zones` and checks that each
 * names a configured account; throws an InputError naming every bad key. Zones
 * of other providers are left to them.
 */
export function readRoute53Zones(
  config: Config,
  accounts: AwsAccountConfig[],
): Route53ZoneConfig[] {
  const raw = config.getOptional(DNS_ZONES_KEY);
  if (raw === undefined || !Array.isArray(raw)) return [];
  const problems: string[] = [];
  const zones: Route53ZoneConfig[] = [];
  raw.forEach((entry, index) => {
    const key = `${DNS_ZONES_KEY}[${index}]`;
    if (
      !entry ||
      typeof entry !== 'object' ||
      (entry as { provider?: unknown }).provider !== ROUTE53_PROVIDER_TYPE
    ) {
      return;
    }
    const parsed = route53Zone.safeParse(entry);
    if (!parsed.success) {
      problems.push(
        configError(key, parsed.error).message.replace(/^Invalid config: /, ''),
      );
      return;
    }
    const account = accounts.find(a => a.id === parsed.data.account);
    if (!account) {
      const known = accounts.length
        ? `configured under multicluster.providers.aws: ${accounts
            .map(a => a.id)
            .join(', ')}`
        : 'no account is configured under multicluster.providers.aws';
      problems.push(
        `${key}.account: unknown account '${parsed.data.account}'; ${known}`,
      );
      return;
    }
    if (zones.some(z2 => z2.name === parsed.data.name)) {
      problems.push(`${key}.name: zone ${parsed.data.name} is listed twice`);
      return;
    }
    zones.push({
      name: parsed.data.name,
      key,
      account,
      hostedZoneId: parsed.data.hostedZoneId,
    });
  });
  if (problems.length) {
    throw new InputError(`Invalid config: ${problems.join('; ')}`);
  }
  return zones;
}
