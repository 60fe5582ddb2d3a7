/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { DnsAnswer, DnsRecordSet } from '@archipelago/multicluster-node';
import ipaddr from 'ipaddr.js';

/** Client CIDR → geography, most specific prefix first. */
export type GeographyMap = Array<{
  range: [ipaddr.IPv4 | ipaddr.IPv6, number];
  geography: string;
}>;

/** Parses `multicluster.dns.local.clientGeographies` (CIDR → geography). */
export function geographyMap(map: Record<string, string>): GeographyMap {
  return Object.entries(map)
    .map(([cidr, geography]) => ({
      range: ipaddr.parseCIDR(cidr),
      geography: geography.toUpperCase(),
    }))
    .sort((a, b) => b.range[1] - a.range[1]);
}

/** The geography of a client address (EDNS Client Subnet address or the source), if mapped. */
export function clientGeography(
  map: GeographyMap,
  address: string | undefined,
): string | undefined {
  if (!address || !ipaddr.isValid(address)) return undefined;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress())
    ip = (ip as ipaddr.IPv6).toIPv4Address();
  return map.find(
    ({ range }) => range[0].kind() === ip.kind() && ip.match(range),
  )?.geography;
}

/**
 * The answer a client gets, as Route53 would choose it: geolocation by the
 * client's geography (exact code), else the `*` default; failover the
 * primary, else the secondary; weighted by weight (`random` in [0, 1)).
 */
export function chooseAnswer(
  set: DnsRecordSet,
  geography: string | undefined,
  random: number = Math.random(),
): DnsAnswer | undefined {
  const answers = set.answers;
  switch (set.policy) {
    case 'geolocation':
      return (
        (geography && answers.find(a => a.geography === geography)) ||
        answers.find(a => a.geography === '*')
      );
    case 'failover':
      return (
        answers.find(a => a.failoverRole === 'primary') ??
        answers.find(a => a.failoverRole === 'secondary')
      );
    case 'weighted': {
      const total = answers.reduce((n, a) => n + (a.weight ?? 0), 0);
      if (total <= 0) return answers[0];
      let point = random * total;
      for (const a of answers) {
        point -= a.weight ?? 0;
        if (point < 0) return a;
      }
      return answers[answers.length - 1];
    }
    default:
      return answers[0];
  }
}
