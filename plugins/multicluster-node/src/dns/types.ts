/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';

/**
 * How a name routes between clusters. `latency` only where the provider lists
 * it in {@link DnsProvider.policies}.
 * @public
 */
export type DnsRoutingPolicy =
  | 'geolocation'
  | 'failover'
  | 'weighted'
  | 'latency';

/** Health of one answer, as the reconciler or the provider sees it. @public */
export type DnsAnswerHealth = 'healthy' | 'unhealthy' | 'unknown';

/**
 * What a provider may health-check for an answer (Route53 health checks);
 * the reconciler's own health (inventory + workload readiness) already decided
 * whether the answer is published at all.
 * @public
 */
export interface DnsHealthCheckTarget {
  /** IP address or hostname the check connects to (the answer's address). */
  address: string;
  /** TCP port of the HTTP endpoint. */
  port: number;
  /** HTTP path requested, e.g. `/`. */
  path: string;
  /** Scheme of the check. */
  protocol: 'HTTP' | 'HTTPS';
}

/**
 * One answer of a routed name: one cluster's address with its routing data.
 * Exactly one of `geography`, `failoverRole`, `weight`, `region` matters,
 * following the record's policy.
 * @public
 */
export interface DnsAnswer {
  /**
   * Stable id of the answer within its name (Route53's `SetIdentifier`); the
   * cluster name, or `default` for the default answer.
   */
  setIdentifier: string;
  /** Name of the cluster that serves this answer. */
  cluster: string;
  /** `A` when `values` are IPv4 addresses, `AAAA` for IPv6, `CNAME` for one hostname. */
  type: 'A' | 'AAAA' | 'CNAME';
  /** The addresses (A/AAAA) or the single target hostname (CNAME), sorted. */
  values: string[];
  /** geolocation: a Route53 continent code (`EU`, `AS`…), an ISO country code, or `*` for the default answer. */
  geography?: string;
  /** failover: primary answers while healthy, secondary otherwise. */
  failoverRole?: 'primary' | 'secondary';
  /** weighted: relative weight, 0–255. */
  weight?: number;
  /** latency: the cluster's cloud region. */
  region?: string;
  /** Health the reconciler observed (inventory health and workload readiness). */
  health: DnsAnswerHealth;
  /** The endpoint a provider health-checks for this answer, when it can. */
  healthCheck?: DnsHealthCheckTarget;
}

/**
 * Everything one name should answer: the pure result of the record planner.
 * `answers` holds only what is to be published — unhealthy clusters already
 * left, and `whenAllUnhealthy` already applied (an empty list means the name
 * is to answer nothing, so its records are removed).
 * @public
 */
export interface DnsRecordSet {
  /** Fully qualified name without the trailing dot, e.g. `shop.example.com`. */
  hostname: string;
  /** Routing policy of the name. */
  policy: DnsRoutingPolicy;
  /** TTL of every record of the name, seconds. */
  ttl: number;
  /**
   * The answers. For `geolocation` the default answer is one of them, with
   * `geography: '*'` and `setIdentifier: 'default'`.
   */
  answers: DnsAnswer[];
  /** The workload that owns the name (for provider-side labelling only). */
  workload: string;
}

/**
 * A zone from `multicluster.dns.zones`, handed to the provider named by its
 * `provider` key. The provider reads its own settings (`account`,
 * `hostedZoneId`…) from `config` and validates them.
 * @public
 */
export interface DnsZone {
  /** The zone's name, e.g. `example.com` (no trailing dot). */
  name: string;
  /** The provider type, e.g. `route53` or `local`. */
  provider: string;
  /** The zone's whole config block. */
  config: Config;
}

/** Options of {@link DnsProvider.apply} and {@link DnsProvider.observe}. @public */
export interface DnsProviderCallOptions {
  /**
   * Who owns the records: a stable id of this Backstage installation
   * (`multicluster.dns.ownerId`, default `archipelago`). Providers mark what
   * they write with it (ExternalDNS-style TXT records) and never touch a record
   * another owner, or nobody, marked.
   */
  ownerId: string;
  /** Aborted when the round times out or the backend stops. */
  signal?: AbortSignal;
  /** Logger of the round; never given credentials. */
  logger?: LoggerService;
}

/** One record change a provider made. @public */
export interface DnsChange {
  /** What happened to the answer. */
  action: 'create' | 'update' | 'delete';
  /** The name. */
  hostname: string;
  /** The answer's set identifier (empty for provider bookkeeping such as ownership records). */
  setIdentifier: string;
}

/** What {@link DnsProvider.apply} did. @public */
export interface DnsApplyResult {
  /** Every change made this round; empty when the zone already matched. */
  changes: DnsChange[];
  /**
   * Health the provider itself sees per name and set identifier (its own
   * health checks); `unknown` where it has none.
   */
  health: Record<string, Record<string, DnsAnswerHealth>>;
  /** Names left alone because another owner holds them, with a reason. */
  conflicts?: Array<{ hostname: string; reason: string }>;
}

/** A name as it is in the zone now. @public */
export interface DnsObservedRecordSet {
  /** The name. */
  hostname: string;
  /** Whether the ownership mark says `ownerId` owns it; false when absent or another owner's. */
  owned: boolean;
  /** The published answers (health as the provider sees it, `unknown` without checks). */
  answers: DnsAnswer[];
  /** TTL found, when any answer exists. */
  ttl?: number;
}

/**
 * A DNS backend: publishes the planned names of one zone and reports what is
 * there. Implementations are idempotent; every remote call is bounded by a
 * timeout and honours `signal`.
 * @public
 */
export interface DnsProvider {
  /** The `provider` value of zones it serves, e.g. `route53`. */
  readonly type: string;
  /** The routing policies it can publish. */
  readonly policies: readonly DnsRoutingPolicy[];
  /**
   * Makes the zone hold exactly `desired` among the names `ownerId` owns:
   * creates and updates those, removes owned names that are not in `desired`
   * (a workload or its `dns` went). Names owned by someone else are reported
   * in `conflicts` and never changed. Throws on a failure that left the zone
   * unchanged; a partial change is never left (batch or roll back).
   */
  apply(
    zone: DnsZone,
    desired: DnsRecordSet[],
    options: DnsProviderCallOptions,
  ): Promise<DnsApplyResult>;
  /** What the zone holds for the given names now (for status and drift). */
  observe(
    zone: DnsZone,
    hostnames: string[],
    options: DnsProviderCallOptions,
  ): Promise<DnsObservedRecordSet[]>;
}

/**
 * The extension point through which modules add DNS providers
 * (`multiclusterDnsProvidersExtensionPoint`).
 * @public
 */
export interface MulticlusterDnsProvidersExtensionPoint {
  /** Adds a provider; one provider per `type`. */
  addDnsProvider(provider: DnsProvider): void;
}
