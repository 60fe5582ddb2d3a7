/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

/** Where the local DNS server reads its settings. */
export const LOCAL_DNS_CONFIG_ROOT = 'multicluster.dns.local';

const GEOGRAPHY = /^(AF|AN|AS|EU|NA|OC|SA|[A-Z]{2})$/;

const schema = z
  .object({
    port: z.number().int().min(0).max(65535).default(5353),
    host: z
      .string()
      .refine(h => ipaddr.isValid(h), 'an IP address such as 127.0.0.1')
      .default('127.0.0.1'),
    clientGeographies: z
      .record(
        z.string().refine(c => {
          try {
            ipaddr.parseCIDR(c);
            return true;
          } catch {
            return false;
          }
        }, 'keys must be CIDRs such as 10.1.0.0/16'),
        z
          .string()
          .transform(s => s.toUpperCase())
          .pipe(
            z
              .string()
              .regex(
                GEOGRAPHY,
                'a continent code (AF, AN, AS, EU, NA, OC, SA) or an ISO country code',
              ),
          ),
      )
      .default({}),
  })
  .strict();

/** The local DNS server's settings, defaults applied. @public */
export type LocalDnsConfig = z.output<typeof schema>;

/**
 * Reads `multicluster.dns.local` (undefined when absent: no server) and the
 * names of the zones with `provider: local`.
 */
export function readLocalDnsConfig(config: Config): {
  server?: LocalDnsConfig;
  zones: string[];
} {
  const zones = (config.getOptionalConfigArray('multicluster.dns.zones') ?? [])
    .filter(z => z.getOptionalString('provider') === 'local')
    .map(z => z.getString('name').toLowerCase().replace(/\.$/, ''));
  const raw = config.getOptional(LOCAL_DNS_CONFIG_ROOT);
  if (raw === undefined) return { zones };
  const result = schema.safeParse(raw);
  if (!result.success)
    throw new Error(
      `Invalid local DNS config: ${result.error.issues
        .map(
          i =>
            `${LOCAL_DNS_CONFIG_ROOT}${i.path
              .map(p => (typeof p === 'number' ? `[${p}]` : `.${p}`))
              .join('')}: ${i.message}`,
        )
        .join('; ')}`,
    );
  return { server: result.data, zones };
}
