/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHealthCheckStatusCommand,
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  type DnsAnswerHealth,
  type DnsApplyResult,
  type DnsObservedRecordSet,
  type DnsProvider,
  type DnsProviderCallOptions,
  type DnsRecordSet,
  type DnsRoutingPolicy,
  type DnsZone,
  describeError,
  mapWithConcurrency,
} from '@archipelago/multicluster-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AwsAccountConfig, readAwsConfig } from '../config';
import { createRoute53Client, type Route53Calls, route53Calls } from './calls';
import {
  type Route53ZoneConfig,
  readRoute53Zones,
  ROUTE53_PROVIDER_TYPE,
} from './config';
import { indexZone, planZoneChanges, toChangeBatches } from './diff';
import {
  callerReferencePrefix,
  deleteUnusedHealthChecks,
  ensureHealthChecks,
  listOwnHealthChecks,
} from './healthChecks';
import {
  answerOf,
  normalizeName,
  ownershipName,
  parseOwnership,
  recordKey,
} from './records';

const MAX_RECORD_PAGES = 1000;

/** Options of {@link Route53DnsProvider}. @public */
export interface Route53DnsProviderOptions {
  /** Logger; never given credentials. */
  logger: LoggerService;
  /** Builds the Route53 client of an account (tests add middleware here). */
  createClient?: (account: AwsAccountConfig) => Route53Client;
  /** Bound of each Route53 call, retries included (default 20 s). */
  callTimeoutMs?: number;
  /** How long a round follows its change with GetChange until INSYNC (default 40 s, inside the core's 60 s provider bound). */
  syncTimeoutMs?: number;
  /** Pause between GetChange calls (default 2 s). */
  syncPollMs?: number;
  /** Health checks created at a time (default 4; Route53 allows 5 calls a second). */
  healthCheckConcurrency?: number;
}

/**
 * Publishes workloads' DNS in Route53 hosted zones (`provider: route53` in
 * `multicluster.dns.zones`): a health check per answer's endpoint, a record
 * set per answer with its `SetIdentifier`, routing and `HealthCheckId`, and an
 * ExternalDNS-style ownership TXT beside each; all of a round's changes in one
 * ChangeResourceRecordSets, followed until INSYNC.
 * @public
 */
export class Route53DnsProvider implements DnsProvider {
  /** Reads `multicluster.dns.zones` and `multicluster.providers.aws`; throws naming a bad key. */
  static fromConfig(
    config: Config,
    options: Route53DnsProviderOptions,
  ): Route53DnsProvider {
    return new Route53DnsProvider(
      readRoute53Zones(config, readAwsConfig(config)),
      options,
    );
  }

  /** Serves the zones whose `provider` is `route53`. */
  readonly type = ROUTE53_PROVIDER_TYPE;
  /** Every policy Route53 has for the workloads' `dns.policy`. */
  readonly policies: readonly DnsRoutingPolicy[] = [
    'geolocation',
    'failover',
    'weighted',
    'latency',
  ];

  private readonly clients = new Map<string, Route53Client>();
  private readonly verified = new Set<string>();

  private constructor(
    private readonly zones: Route53ZoneConfig[],
    private readonly options: Route53DnsProviderOptions,
  ) {}

  /** The configured Route53 zones' names. */
  zoneNames(): string[] {
    return this.zones.map(z => z.name);
  }

  /**
   * One round: lists the zone and the owner's health checks, creates the
   * checks new answers need, writes every change in one batch (split only at
   * Route53's limits), follows it until INSYNC, then deletes checks no record
   * uses. Names that collide with records we do not own come back in
   * `conflicts`, untouched.
   */
  async apply(
    zone: DnsZone,
    desired: DnsRecordSet[],
    options: DnsProviderCallOptions,
  ): Promise<DnsApplyResult> {
    const z = this.zoneOf(zone);
    const calls = this.calls(z, options);
    const logger = options.logger ?? this.options.logger;
    await this.verifyZone(z, calls);
    const current = await this.step(z, 'ListResourceRecordSets', () =>
      listRecords(calls, z.hostedZoneId),
    );
    const prefix = callerReferencePrefix(options.ownerId, z.hostedZoneId);
    const existingChecks = await this.step(z, 'ListHealthChecks', () =>
      listOwnHealthChecks(calls, prefix),
    );

    // Conflicts first, so that no check is created for a name left alone.
    const skipped = new Set(
      planZoneChanges({
        zoneName: z.name,
        ownerId: options.ownerId,
        desired,
        current,
      }).conflicts.map(c => c.hostname),
    );
    const wanted = desired
      .filter(set => !skipped.has(normalizeName(set.hostname)))
      .flatMap(set =>
        set.answers.flatMap(a =>
          a.healthCheck
            ? [
                {
                  answer: `${normalizeName(set.hostname)}|${a.setIdentifier}`,
                  hostname: normalizeName(set.hostname),
                  setIdentifier: a.setIdentifier,
                  target: a.healthCheck,
                },
              ]
            : [],
        ),
      );
    const checkIds = await this.step(z, 'CreateHealthCheck', () =>
      ensureHealthChecks(calls, {
        prefix,
        ownerId: options.ownerId,
        existing: existingChecks,
        wanted,
        concurrency: this.options.healthCheckConcurrency ?? 4,
      }),
    );

    const plan = planZoneChanges({
      zoneName: z.name,
      ownerId: options.ownerId,
      desired,
      current,
      healthCheckId: (hostname, a) =>
        checkIds.get(`${hostname}|${a.setIdentifier}`),
    });
    for (const c of plan.conflicts) {
      logger.warn(
        `Route53 zone ${z.name}: left ${c.hostname} alone: ${c.reason}`,
      );
    }

    let inSync = true;
    for (const batch of toChangeBatches(plan.groups)) {
      const changeId = await this.step(
        z,
        'ChangeResourceRecordSets',
        async () => {
          const out = await calls.send(
            new ChangeResourceRecordSetsCommand({
              HostedZoneId: z.hostedZoneId,
              ChangeBatch: {
                Comment: `archipelago ${options.ownerId}`,
                Changes: batch,
              },
            }),
          );
          return out.ChangeInfo?.Id;
        },
      );
      if (changeId)
        inSync = (await this.waitInSync(z, calls, changeId, options)) && inSync;
    }
    if (plan.summary.length) {
      logger.info(
        `Route53 zone ${z.name}: ${plan.summary.length} record change(s)${
          inSync ? ', in sync' : ', still pending'
        }`,
      );
    }
    // Checks go only once no record can point at them any more.
    if (inSync) {
      await this.step(z, 'DeleteHealthCheck', () =>
        deleteUnusedHealthChecks(
          calls,
          existingChecks,
          plan.referencedHealthChecks,
        ),
      );
    }

    const health: DnsApplyResult['health'] = {};
    for (const set of desired) {
      health[set.hostname] = Object.fromEntries(
        set.answers.map(a => [a.setIdentifier, 'unknown' as DnsAnswerHealth]),
      );
    }
    return {
      changes: plan.summary,
      health,
      ...(plan.conflicts.length ? { conflicts: plan.conflicts } : {}),
    };
  }

  /** The zone's answers for `hostnames`, with the status of their health checks. */
  async observe(
    zone: DnsZone,
    hostnames: string[],
    options: DnsProviderCallOptions,
  ): Promise<DnsObservedRecordSet[]> {
    const z = this.zoneOf(zone);
    const calls = this.calls(z, options);
    await this.verifyZone(z, calls);
    const current = await this.step(z, 'ListResourceRecordSets', () =>
      listRecords(calls, z.hostedZoneId),
    );
    const index = indexZone(current, options.ownerId);
    return mapWithConcurrency(hostnames, 1, async host => {
      const hostname = normalizeName(host);
      const records = (index.byName.get(hostname) ?? []).filter(r =>
        ['A', 'AAAA', 'CNAME'].includes(r.Type ?? ''),
      );
      const answers = await mapWithConcurrency(records, 4, async r => {
        const twin = index.all.get(
          recordKey({
            Name: ownershipName(hostname, r.Type!),
            Type: 'TXT',
            SetIdentifier: r.SetIdentifier,
          }),
        );
        const cluster = parseOwnership(
          twin?.ResourceRecords?.[0]?.Value ?? '',
        )?.cluster;
        const answer = answerOf(r, cluster);
        if (r.HealthCheckId)
          answer.health = await checkHealth(calls, r.HealthCheckId);
        return answer;
      });
      return {
        hostname,
        owned:
          records.length > 0 &&
          records.every(r => index.owned.has(recordKey(r))),
        answers,
        ...(records.length ? { ttl: records[0].TTL } : {}),
      };
    });
  }

  private zoneOf(zone: DnsZone): Route53ZoneConfig {
    const name = normalizeName(zone.name);
    const found = this.zones.find(z => z.name === name);
    if (!found) {
      throw new InputError(
        `multicluster.dns.zones: zone ${name} is not configured with provider route53`,
      );
    }
    return found;
  }

  private calls(z: Route53ZoneConfig, options: DnsProviderCallOptions) {
    let client = this.clients.get(z.account.id);
    if (!client) {
      client = (this.options.createClient ?? createRoute53Client)(z.account);
      this.clients.set(z.account.id, client);
    }
    return route53Calls(client, {
      signal: options.signal,
      timeoutMs: this.options.callTimeoutMs,
    });
  }

  /** Checks once per zone that the hosted zone exists and is the named one. */
  private async verifyZone(z: Route53ZoneConfig, calls: Route53Calls) {
    if (this.verified.has(z.name)) return;
    let found: string | undefined;
    try {
      const out = await calls.send(
        new GetHostedZoneCommand({ Id: z.hostedZoneId }),
      );
      found = normalizeName(out.HostedZone?.Name ?? '');
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchHostedZone') {
        throw new InputError(
          `${z.key}.hostedZoneId: hosted zone ${z.hostedZoneId} not found in account '${z.account.id}'`,
        );
      }
      throw this.failure(z, 'GetHostedZone', error);
    }
    if (found !== z.name) {
      throw new InputError(
        `${z.key}.name: hosted zone ${z.hostedZoneId} is ${found}, not ${z.name}`,
      );
    }
    this.verified.add(z.name);
  }

  private async waitInSync(
    z: Route53ZoneConfig,
    calls: Route53Calls,
    changeId: string,
    options: DnsProviderCallOptions,
  ): Promise<boolean> {
    const deadline = Date.now() + (this.options.syncTimeoutMs ?? 40_000);
    for (;;) {
      const out = await this.step(z, 'GetChange', () =>
        calls.send(new GetChangeCommand({ Id: changeId })),
      );
      if (out.ChangeInfo?.Status === 'INSYNC') return true;
      if (Date.now() >= deadline) {
        (options.logger ?? this.options.logger).warn(
          `Route53 zone ${z.name}: change ${changeId} not INSYNC yet; followed up next round`,
        );
        return false;
      }
      await sleep(this.options.syncPollMs ?? 2000, undefined, {
        signal: options.signal,
      });
    }
  }

  private async step<T>(
    z: Route53ZoneConfig,
    what: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.failure(z, what, error);
    }
  }

  private failure(z: Route53ZoneConfig, what: string, error: unknown): Error {
    if (error instanceof InputError) return error;
    return new Error(
      `Route53 zone ${z.name} (${z.key}, account '${
        z.account.id
      }'): ${what} failed: ${describeError(error)}`,
    );
  }
}

/** Every record set of the zone, page by page (bounded). */
async function listRecords(
  calls: Route53Calls,
  hostedZoneId: string,
): Promise<ResourceRecordSet[]> {
  const records: ResourceRecordSet[] = [];
  let start: { name?: string; type?: string; identifier?: string } | undefined;
  for (let page = 0; page < MAX_RECORD_PAGES; page++) {
    const out = await calls.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: hostedZoneId,
        MaxItems: 300,
        StartRecordName: start?.name,
        StartRecordType: start?.type as never,
        StartRecordIdentifier: start?.identifier,
      }),
    );
    records.push(...(out.ResourceRecordSets ?? []));
    if (!out.IsTruncated) return records;
    start = {
      name: out.NextRecordName,
      type: out.NextRecordType,
      identifier: out.NextRecordIdentifier,
    };
  }
  throw new Error(`more than ${MAX_RECORD_PAGES} pages of records`);
}

/** Healthy when more than 18% of Route53's checkers saw success, as Route53 decides. */
async function checkHealth(
  calls: Route53Calls,
  healthCheckId: string,
): Promise<DnsAnswerHealth> {
  try {
    const out = await calls.send(
      new GetHealthCheckStatusCommand({ HealthCheckId: healthCheckId }),
    );
    const reports = out.HealthCheckObservations ?? [];
    if (!reports.length) return 'unknown';
    const ok = reports.filter(r =>
      r.StatusReport?.Status?.startsWith('Success'),
    ).length;
    return ok / reports.length > 0.18 ? 'healthy' : 'unhealthy';
  } catch {
    return 'unknown';
  }
}
