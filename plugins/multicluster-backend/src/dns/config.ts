/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { isGeography } from './geography';

/** Where the DNS reconciler reads its settings. */
export const DNS_CONFIG_ROOT = 'multicluster.dns';

const ZONE_NAME =
  /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

const geography = z
  .string()
  .refine(
    isGeography,
    'a continent code (AF, AN, AS, EU, NA, OC, SA) or an ISO country code such as DE',
  );

const schema = z
  .object({
    /** The zones workloads may publish names in; each names its provider. */
    zones: z
      .array(
        z
          .object({
            name: z
              .string()
              .transform(s => s.toLowerCase().replace(/\.$/, ''))
              .pipe(
                z.string().regex(ZONE_NAME, 'a DNS name such as example.com'),
              ),
            provider: z.string().min(1).max(64),
          })
          // Provider settings (account, hostedZoneId…) are the provider's to check.
          .passthrough(),
      )
      .max(100)
      .default([]),
    /** Seconds between rounds (default 30); health transitions and workload changes start one at once. */
    intervalSeconds: z.number().int().min(1).max(3600).default(30),
    /** Bound of one provider call, seconds (default 60). */
    providerTimeoutSeconds: z.number().min(1).max(600).default(60),
    /** Bound of each Kubernetes read of a Service/Ingress address, seconds (default 10). */
    requestTimeoutSeconds: z.number().min(0.1).max(120).default(10),
    /** Marks the records this installation owns (ExternalDNS-style TXT). */
    ownerId: z
      .string()
      .regex(
        /^[a-zA-Z0-9][-a-zA-Z0-9_.]{0,62}$/,
        'letters, digits, "-", "_" and "."',
      )
      .default('archipelago'),
    /** The local DNS server (the local module), checked here so one schema holds `multicluster.dns`. */
    local: z
      .object({
        port: z.number().int().min(0).max(65535).default(5353),
        host: z.string().min(1).max(255).default('127.0.0.1'),
        clientGeographies: z
          .record(
            z.string().refine(cidr => {
              try {
                ipaddr.parseCIDR(cidr);
                return true;
              } catch {
                return false;
              }
            }, 'keys must be CIDRs such as 10.1.0.0/16'),
            geography,
          )
          .default({}),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((dns, ctx) => {
    const seen = new Set<string>();
    dns.zones.forEach((zone, i) => {
      if (seen.has(zone.name))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['zones', i, 'name'],
          message: `zone ${zone.name} is listed twice`,
        });
      seen.add(zone.name);
    });
  });

/** `multicluster.dns`, defaults applied. */
export type DnsSettings = z.output<typeof schema>;

/** The local DNS server's settings (`multicluster.dns.local`). */
export type LocalDnsSettings = NonNullable<DnsSettings['local']>;

/**
 * Reads and validates `multicluster.dns`; errors name the full key and never
 * echo values, so a bad config fails startup clearly.
 */
export function readDnsConfig(config: Config): DnsSettings {
  const raw = config.getOptional(DNS_CONFIG_ROOT) ?? {};
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new Error(
      `Invalid DNS config: ${result.error.issues
        .map(
          i =>
            `${DNS_CONFIG_ROOT}${i.path
              .map(p => (typeof p === 'number' ? `[${p}]` : `.${p}`))
              .join('')}: ${i.message}`,
        )
        .join('; ')}`,
    );
  }
  return result.data;
}

/** The zone a hostname falls in: the longest configured zone it is inside. */
export function zoneOf<Z extends { name: string }>(
  zones: Z[],
  hostname: string,
): Z | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return zones
    .filter(z => host === z.name || host.endsWith(`.${z.name}`))
    .sort((a, b) => b.name.length - a.name.length)[0];
}
