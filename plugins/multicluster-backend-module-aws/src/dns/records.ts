/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { DnsAnswer, DnsRecordSet } from '@archipelago/multicluster-node';

// How planned answers become Route53 record sets, and how ownership is marked:
// the ExternalDNS TXT registry's way (kubernetes-sigs/external-dns
// registry/txt.go). Every record we write has a TXT twin at a name of its own
// (`_archipelago-<type>.<hostname>`, so a CNAME can still own its name) with the
// same SetIdentifier and routing, saying who owns it. A record without such a
// twin naming our owner id is never changed or deleted.

/** The heritage value of our ownership records. */
export const HERITAGE = 'archipelago';

/** Route53's continent codes; other two-letter codes are countries. */
const CONTINENTS = new Set(['AF', 'AN', 'AS', 'EU', 'NA', 'OC', 'SA']);

/** What an ownership TXT says. */
export interface Ownership {
  owner: string;
  /** `workload/<name>`. */
  resource?: string;
  /** The cluster that serves the record. */
  cluster?: string;
}

/** The TXT value (quoted) that marks a record as `ownerId`'s. */
export function ownershipValue(
  ownerId: string,
  workload: string,
  cluster: string,
): string {
  return `"heritage=${HERITAGE},${HERITAGE}/owner=${ownerId},${HERITAGE}/resource=workload/${workload},${HERITAGE}/cluster=${cluster}"`;
}

/** Parses an ownership TXT value; undefined when it is not one of ours (any owner). */
export function parseOwnership(value: string): Ownership | undefined {
  const text = value.replace(/^"|"$/g, '');
  const labels = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) labels.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const owner = labels.get(`${HERITAGE}/owner`);
  if (labels.get('heritage') !== HERITAGE || !owner) return undefined;
  return {
    owner,
    resource: labels.get(`${HERITAGE}/resource`),
    cluster: labels.get(`${HERITAGE}/cluster`),
  };
}

/** The name of the ownership TXT of the `type` records of `hostname`. */
export function ownershipName(hostname: string, type: string): string {
  return `_${HERITAGE}-${type.toLowerCase()}.${hostname}`;
}

/** The hostname and record type an ownership TXT name stands for. */
export function parseOwnershipName(
  name: string,
): { hostname: string; type: string } | undefined {
  const m = /^_archipelago-(a|aaaa|cname)\.(.+)$/.exec(name);
  return m ? { hostname: m[2], type: m[1].toUpperCase() } : undefined;
}

/**
 * A name as Route53 lists it, made comparable: lower case, no trailing dot,
 * octal escapes (`\052` for `*`) decoded.
 */
export function normalizeName(name: string): string {
  return name
    .replace(/\\(\d{3})/g, (_m, oct: string) =>
      String.fromCharCode(parseInt(oct, 8)),
    )
    .replace(/\.$/, '')
    .toLowerCase();
}

/** True when `hostname` is the zone or inside it. */
export function inZone(hostname: string, zoneName: string): boolean {
  return hostname === zoneName || hostname.endsWith(`.${zoneName}`);
}

/** The routing part of a record set, as Route53 wants it for `answer`. */
export function routingOf(
  policy: DnsRecordSet['policy'],
  answer: DnsAnswer,
): Partial<ResourceRecordSet> {
  switch (policy) {
    case 'geolocation': {
      const geo = answer.geography ?? '*';
      if (geo === '*') return { GeoLocation: { CountryCode: '*' } };
      if (CONTINENTS.has(geo)) return { GeoLocation: { ContinentCode: geo } };
      const [country, subdivision] = geo.split('-');
      return {
        GeoLocation: subdivision
          ? { CountryCode: country, SubdivisionCode: subdivision }
          : { CountryCode: country },
      };
    }
    case 'failover':
      return {
        Failover: answer.failoverRole === 'secondary' ? 'SECONDARY' : 'PRIMARY',
      };
    case 'weighted':
      return { Weight: answer.weight ?? 1 };
    case 'latency':
      return { Region: answer.region as ResourceRecordSet['Region'] };
    default:
      return {};
  }
}

/** The routing policy a record set uses, from the fields it has. */
export function routingKind(set: ResourceRecordSet): string {
  if (set.GeoLocation) return 'geolocation';
  if (set.Failover) return 'failover';
  if (set.Weight !== undefined) return 'weighted';
  if (set.Region) return 'latency';
  if (set.MultiValueAnswer) return 'multivalue';
  if (set.GeoProximityLocation) return 'geoproximity';
  if (set.CidrRoutingConfig) return 'cidr';
  return 'simple';
}

/** The slot a routed record takes in its name (two records may not share it). */
export function routingSlot(set: ResourceRecordSet): string | undefined {
  if (set.GeoLocation) {
    const g = set.GeoLocation;
    return `geo:${g.ContinentCode ?? ''}/${g.CountryCode ?? ''}/${
      g.SubdivisionCode ?? ''
    }`;
  }
  if (set.Failover) return `failover:${set.Failover}`;
  return undefined;
}

/** One record we want, with its ownership twin. */
export interface DesiredRecord {
  hostname: string;
  workload: string;
  record: ResourceRecordSet;
  ownership: ResourceRecordSet;
}

/**
 * The record sets of one planned name: one per answer, with `HealthCheckId`
 * from `healthCheckId` when the answer has a check, and the ownership twin of
 * each.
 */
export function desiredRecords(
  set: DnsRecordSet,
  ownerId: string,
  healthCheckId: (answer: DnsAnswer) => string | undefined,
): DesiredRecord[] {
  return set.answers.map(answer => {
    const routing = routingOf(set.policy, answer);
    const values =
      answer.type === 'CNAME'
        ? answer.values.slice(0, 1).map(v => v.replace(/\.$/, '').toLowerCase())
        : [...answer.values].sort();
    const hc = healthCheckId(answer);
    return {
      hostname: set.hostname,
      workload: set.workload,
      record: {
        Name: `${set.hostname}.`,
        Type: answer.type,
        SetIdentifier: answer.setIdentifier,
        TTL: set.ttl,
        ResourceRecords: values.map(Value => ({ Value })),
        ...routing,
        ...(hc ? { HealthCheckId: hc } : {}),
      },
      ownership: {
        Name: `${ownershipName(set.hostname, answer.type)}.`,
        Type: 'TXT',
        SetIdentifier: answer.setIdentifier,
        TTL: set.ttl,
        ResourceRecords: [
          { Value: ownershipValue(ownerId, set.workload, answer.cluster) },
        ],
        ...routing,
      },
    };
  });
}

/** `name|type|setIdentifier`: what identifies a record set in a zone. */
export function recordKey(set: ResourceRecordSet): string {
  return `${normalizeName(set.Name ?? '')}|${set.Type}|${
    set.SetIdentifier ?? ''
  }`;
}

/**
 * A record set's content as one comparable string: TTL, values (sorted,
 * CNAME targets without the trailing dot), routing and health check.
 */
export function recordContent(set: ResourceRecordSet): string {
  const values = (set.ResourceRecords ?? [])
    .map(r =>
      set.Type === 'CNAME'
        ? (r.Value ?? '').replace(/\.$/, '').toLowerCase()
        : r.Value ?? '',
    )
    .sort();
  const g = set.GeoLocation;
  return JSON.stringify([
    set.TTL ?? null,
    values,
    g
      ? [g.ContinentCode ?? '', g.CountryCode ?? '', g.SubdivisionCode ?? '']
      : null,
    set.Failover ?? null,
    set.Weight ?? null,
    set.Region ?? null,
    set.HealthCheckId ?? null,
    set.AliasTarget ? 'alias' : null,
  ]);
}

/** An answer as read back from a record set and its ownership twin. */
export function answerOf(set: ResourceRecordSet, cluster?: string): DnsAnswer {
  const g = set.GeoLocation;
  let geography: string | undefined;
  if (g) {
    geography =
      g.CountryCode === '*'
        ? '*'
        : g.ContinentCode ??
          [g.CountryCode, g.SubdivisionCode].filter(Boolean).join('-');
  }
  return {
    setIdentifier: set.SetIdentifier ?? '',
    cluster: cluster ?? set.SetIdentifier ?? '',
    type: set.Type as DnsAnswer['type'],
    values: (set.ResourceRecords ?? []).map(r => r.Value ?? '').sort(),
    ...(geography ? { geography } : {}),
    ...(set.Failover
      ? {
          failoverRole:
            set.Failover === 'SECONDARY'
              ? ('secondary' as const)
              : ('primary' as const),
        }
      : {}),
    ...(set.Weight !== undefined ? { weight: set.Weight } : {}),
    ...(set.Region ? { region: set.Region } : {}),
    health: 'unknown',
  };
}
