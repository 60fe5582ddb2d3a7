/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  checkWorkloadDns,
  type WorkloadDns,
  type WorkloadDnsStatus,
} from '@archipelago/multicluster-common';
import type { DnsProvider, DnsZone } from '@archipelago/multicluster-node';
import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { ConfigReader, type Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { Knex } from 'knex';
import type { ClusterConnector } from '../workloads/reconciler/connections';
import type { WorkloadSpec } from '../workloads/store/records';
import type { WorkloadStore } from '../workloads/store/WorkloadStore';
import { DNS_CONFIG_ROOT, readDnsConfig, zoneOf } from './config';
import { DnsReconciler } from './DnsReconciler';
import { DnsStatusStore } from './DnsStatusStore';

export {
  readDnsConfig,
  type DnsSettings,
  type LocalDnsSettings,
} from './config';

/** The DNS reconcile task (global scope: one replica runs each round). */
export const DNS_TASK_ID = 'multicluster-dns';

/** What the workloads service asks of DNS. */
export interface WorkloadDnsHooks {
  /** Checks a workload's `dns` against zones, manifests and other workloads; throws an InputError naming the field. */
  check(spec: WorkloadSpec): Promise<void>;
  /** `GET /workloads/:name/dns`. */
  status(workload: string, dns: WorkloadDns): Promise<WorkloadDnsStatus>;
}

/** The DNS part of the plugin. */
export interface Dns {
  hooks: WorkloadDnsHooks;
  reconciler?: DnsReconciler;
  /** Starts a round now (never waits). */
  trigger(): void;
}

/**
 * Builds the DNS reconciler from `multicluster.dns` and the providers modules
 * added; schedules its rounds when a zone is configured. Startup fails when a
 * zone names a provider no module installed.
 */
export async function createDns(options: {
  config: Config;
  db: Knex;
  workloads: WorkloadStore;
  providers: DnsProvider[];
  connector: ClusterConnector;
  scheduler: SchedulerService;
  logger: LoggerService;
  trigger: (id: string) => Promise<void>;
}): Promise<Dns> {
  const settings = readDnsConfig(options.config);
  const providers = new Map<string, DnsProvider>();
  for (const p of options.providers) {
    if (providers.has(p.type))
      throw new Error(`Two DNS providers share the type ${p.type}`);
    providers.set(p.type, p);
  }
  const zoneConfigs = options.config.getOptionalConfigArray(
    `${DNS_CONFIG_ROOT}.zones`,
  );
  const zones: DnsZone[] = settings.zones.map((z, i) => {
    if (!providers.has(z.provider))
      throw new Error(
        `${DNS_CONFIG_ROOT}.zones[${i}].provider: no installed module provides ${
          z.provider
        } (installed: ${[...providers.keys()].join(', ') || 'none'})`,
      );
    return {
      name: z.name,
      provider: z.provider,
      config: zoneConfigs?.[i] ?? new ConfigReader({}),
    };
  });
  const status = new DnsStatusStore(options.db);
  const hooks: WorkloadDnsHooks = {
    async check(spec) {
      const dns = spec.dns;
      if (!dns) return;
      const others = (await options.workloads.list()).filter(
        w => w.name !== spec.name && !w.deleting,
      );
      const claimed: Record<string, string> = {};
      for (const [name, r] of await options.workloads.currentRevisions(others))
        if (r.spec.dns) claimed[r.spec.dns.hostname.toLowerCase()] = name;
      const problems = checkWorkloadDns(dns, {
        zones: zones.map(z => z.name),
        manifests: spec.manifests as Array<Record<string, any>>,
        claimed,
        workload: spec.name,
        clusterNames: spec.placement.clusterNames,
      });
      const zone = zoneOf(zones, dns.hostname);
      const provider = zone && providers.get(zone.provider);
      if (zone && provider && !provider.policies.includes(dns.policy))
        problems.push(
          `dns.policy: zone ${zone.name} (${
            zone.provider
          }) publishes ${provider.policies.join(', ')}, not ${dns.policy}`,
        );
      if (problems.length) throw new InputError(problems.join('; '));
    },
    async status(workload, dns) {
      const row = await status.get(workload);
      const zone = zoneOf(zones, dns.hostname);
      if (!row || row.hostname !== dns.hostname)
        return {
          dns,
          ...(zone ? { zone: zone.name } : {}),
          records: [],
          clusters: [],
        };
      return {
        dns,
        ...(row.zone ? { zone: row.zone } : {}),
        records: row.records,
        clusters: row.clusters,
        allUnhealthy: row.allUnhealthy,
        ...(row.appliedAt
          ? { lastAppliedAt: new Date(row.appliedAt).toISOString() }
          : {}),
        ...(row.error ? { error: row.error } : {}),
      };
    },
  };
  const trigger = () => {
    options
      .trigger(DNS_TASK_ID)
      .catch(error =>
        options.logger.warn(`Could not trigger a DNS round: ${error}`),
      );
  };
  if (zones.length === 0) return { hooks, trigger: () => undefined };
  const reconciler = new DnsReconciler({
    db: options.db,
    workloads: options.workloads,
    status,
    settings,
    zones,
    providers,
    connector: options.connector,
    logger: options.logger,
  });
  await options.scheduler.scheduleTask({
    id: DNS_TASK_ID,
    scope: 'global',
    frequency: { seconds: settings.intervalSeconds },
    timeout: {
      seconds: Math.ceil(
        settings.providerTimeoutSeconds * (zones.length + 1) +
          settings.requestTimeoutSeconds * 4 +
          60,
      ),
    },
    initialDelay: { seconds: 2 },
    fn: async signal => {
      const report = await reconciler.runRound(signal);
      options.logger.debug(
        `DNS round: ${report.workloads} names in ${report.zones} zone(s), ${report.changes} change(s), ${report.durationMs} ms`,
      );
    },
  });
  options.logger.info(
    `DNS zones: ${zones.map(z => `${z.name} (${z.provider})`).join(', ')}`,
  );
  return { hooks, reconciler, trigger };
}
