/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  WorkloadDnsCluster,
  WorkloadDnsRecord,
} from '@archipelago/multicluster-common';
import type {
  DnsAnswerHealth,
  DnsProvider,
  DnsRecordSet,
  DnsZone,
} from '@archipelago/multicluster-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import pLimit from 'p-limit';
import { redactText } from '../util/redact';
import { withTimeout } from '../util/timeout';
import { readInventory } from '../workloads/inventory';
import type { ClusterConnector } from '../workloads/reconciler/connections';
import type { WorkloadSpec } from '../workloads/store/records';
import type { WorkloadStore } from '../workloads/store/WorkloadStore';
import { type AddressSource, readClusterAddress } from './addresses';
import type { DnsSettings } from './config';
import { zoneOf } from './config';
import type { DnsStatusRow, DnsStatusStore } from './DnsStatusStore';
import { geographyOf } from './geography';
import { type ClusterAddress, type PlanCluster, planRecords } from './planner';

/** Inventory health that still serves traffic. */
const SERVING_HEALTH = new Set(['healthy', 'degraded']);

/** What one round did. */
export interface DnsRoundReport {
  workloads: number;
  zones: number;
  changes: number;
  failedZones: string[];
  durationMs: number;
}

/** The Service or Ingress that gives a workload's address (the one LoadBalancer Service by default). */
export function addressSourceOf(spec: WorkloadSpec): AddressSource | undefined {
  const dns = spec.dns;
  if (!dns) return undefined;
  if (dns.ingress)
    return { kind: 'Ingress', namespace: spec.namespace, name: dns.ingress };
  const name =
    dns.service ??
    spec.manifests.find(
      (m: any) => m.kind === 'Service' && m.spec?.type === 'LoadBalancer',
    )?.metadata?.name;
  return name
    ? {
        kind: 'Service',
        namespace:
          (spec.manifests.find(
            (m: any) => m.kind === 'Service' && m.metadata?.name === name,
          )?.metadata?.namespace as string) ?? spec.namespace,
        name,
      }
    : undefined;
}

/**
 * The DNS reconciler: each round reads the workloads with a `dns`, the
 * stored inventory and each placed cluster's readiness, reads the published
 * Service/Ingress address of the serving clusters (view identity, bounded),
 * plans every name and hands each zone's complete desired state to its
 * provider in one call. Names of workloads that went (or lost their `dns`)
 * are simply absent, so the provider removes them. Unhealthy clusters are
 * not called: their last known address is kept for `whenAllUnhealthy`.
 */
export class DnsReconciler {
  /** Last known address per workload and cluster id (unhealthy clusters are not asked). */
  private readonly addresses = new Map<string, ClusterAddress>();

  constructor(
    private readonly options: {
      db: Knex;
      workloads: WorkloadStore;
      status: DnsStatusStore;
      settings: DnsSettings;
      zones: DnsZone[];
      providers: Map<string, DnsProvider>;
      connector: ClusterConnector;
      logger: LoggerService;
      concurrency?: number;
    },
  ) {}

  async runRound(signal?: AbortSignal): Promise<DnsRoundReport> {
    const started = Date.now();
    const { settings, zones, providers, logger } = this.options;
    const all = (await this.options.workloads.list()).filter(w => !w.deleting);
    const revisions = await this.options.workloads.currentRevisions(all);
    const withDns = all.filter(w => revisions.get(w.name)?.spec.dns);
    const rows = await this.options.workloads.clustersOf(
      withDns.map(w => w.name),
    );
    // No workload with DNS: no inventory read (10,000 rows at scale, every round).
    const inventory = withDns.length
      ? await readInventory(this.options.db)
      : undefined;
    const limit = pLimit(this.options.concurrency ?? 16);
    const timeoutMs = settings.requestTimeoutSeconds * 1000;

    const planned: Array<{
      status: DnsStatusRow;
      recordSet?: DnsRecordSet;
      zone?: DnsZone;
    }> = await Promise.all(
      withDns.map(async w => {
        const spec = revisions.get(w.name)!.spec;
        const dns = spec.dns!;
        const zone = zoneOf(zones, dns.hostname);
        const source = addressSourceOf(spec);
        // A cluster planned no replicas gets no traffic, unless the workload runs no pods anywhere.
        const runsPods = (rows.get(w.name) ?? []).some(
          r => r.desiredReplicas > 0,
        );
        const clusters: PlanCluster[] = await Promise.all(
          (rows.get(w.name) ?? []).map(row =>
            limit(async () => {
              const cluster = inventory?.byId.get(row.clusterId);
              const clusterHealthy = SERVING_HEALTH.has(
                cluster?.status.health ?? 'unknown',
              );
              const key = `${w.name}\u0000${row.clusterId}`;
              if (clusterHealthy && source && !signal?.aborted) {
                const read = await readClusterAddress({
                  connector: this.options.connector,
                  clusterId: row.clusterId,
                  source,
                  timeoutMs,
                  signal,
                });
                if (read.address) this.addresses.set(key, read.address);
                else if (read.problem)
                  logger.debug(
                    `DNS ${dns.hostname}: ${row.clusterName}: ${read.problem}`,
                  );
              }
              const ready =
                !row.error &&
                row.lastSyncAt !== undefined &&
                (row.desiredReplicas > 0 || !runsPods) &&
                row.readyReplicas >= row.desiredReplicas;
              return {
                name: row.clusterName,
                geography: cluster
                  ? geographyOf(cluster, dns.geoLabel)
                  : undefined,
                region: cluster?.region,
                address: this.addresses.get(key),
                clusterHealthy,
                ready,
                weight: row.desiredReplicas > 0 ? row.desiredReplicas : 1,
              };
            }),
          ),
        );
        const provider = zone ? providers.get(zone.provider) : undefined;
        const plan = planRecords({
          workload: w.name,
          hostname: dns.hostname,
          policy: dns.policy,
          ttl: dns.ttl,
          defaultCluster: dns.default,
          whenAllUnhealthy: dns.whenAllUnhealthy,
          clusters,
        });
        const status: DnsStatusRow = {
          workload: w.name,
          hostname: dns.hostname,
          zone: zone?.name ?? '',
          records: plan.recordSet.answers.map(
            a => ({ ...a } as WorkloadDnsRecord),
          ),
          clusters: clusters.map(
            (c): WorkloadDnsCluster => ({
              cluster: c.name,
              ...(c.geography ? { geography: c.geography } : {}),
              ...(c.address
                ? {
                    address: c.address.values.join(', '),
                    ...(c.address.port ? { port: c.address.port } : {}),
                  }
                : {}),
              answering: plan.recordSet.answers.some(
                a => a.cluster === c.name && a.setIdentifier !== 'default',
              ),
              ...(plan.notes[c.name] ? { reason: plan.notes[c.name] } : {}),
            }),
          ),
          allUnhealthy: plan.allUnhealthy,
        };
        if (!zone)
          status.error = `${dns.hostname} is in no configured zone (multicluster.dns.zones)`;
        else if (!provider)
          status.error = `zone ${zone.name}: no DNS provider of type ${zone.provider} is installed`;
        else if (!provider.policies.includes(dns.policy))
          status.error = `zone ${zone.name}: the ${zone.provider} provider cannot publish ${dns.policy} records`;
        for (const r of status.records) delete (r as any).healthCheck;
        return {
          status,
          ...(status.error ? {} : { recordSet: plan.recordSet, zone }),
        };
      }),
    );

    // One provider call per zone, with the zone's complete desired state.
    let changes = 0;
    const failedZones: string[] = [];
    const saved: DnsStatusRow[] = [];
    for (const zone of zones) {
      const provider = providers.get(zone.provider);
      const mine = planned.filter(p => p.zone?.name === zone.name);
      if (!provider) continue;
      try {
        const result = await withTimeout(
          zoneSignal =>
            provider.apply(
              zone,
              mine.map(p => p.recordSet!),
              {
                ownerId: settings.ownerId,
                signal: anySignal(signal, zoneSignal),
                logger,
              },
            ),
          settings.providerTimeoutSeconds * 1000,
          `the ${zone.provider} provider did not finish within ${settings.providerTimeoutSeconds} s`,
        );
        changes += result.changes.length;
        const conflicts = new Map(
          (result.conflicts ?? []).map(c => [c.hostname, c.reason]),
        );
        const now = Date.now();
        for (const p of mine) {
          const health = result.health[p.status.hostname] ?? {};
          for (const r of p.status.records)
            r.providerHealth =
              (health[r.setIdentifier] as DnsAnswerHealth) ?? 'unknown';
          p.status.appliedAt = now;
          const conflict = conflicts.get(p.status.hostname);
          if (conflict) {
            p.status.error = `not published: ${conflict}`;
            p.status.records = [];
          }
          saved.push(p.status);
        }
        if (result.changes.length)
          logger.info(
            `DNS zone ${zone.name}: ${result.changes
              .slice(0, 20)
              .map(
                c =>
                  `${c.action} ${c.hostname}${
                    c.setIdentifier ? ` ${c.setIdentifier}` : ''
                  }`,
              )
              .join(', ')}${result.changes.length > 20 ? ', …' : ''}`,
          );
      } catch (error) {
        failedZones.push(zone.name);
        const message = redactText(String((error as Error)?.message)).slice(
          0,
          300,
        );
        logger.warn(`DNS zone ${zone.name} was not updated: ${message}`);
        // Keep what was published before; say why it may be stale.
        for (const p of mine) {
          const previous = await this.options.status.get(p.status.workload);
          saved.push({
            ...(previous ?? p.status),
            clusters: p.status.clusters,
            error: `zone ${zone.name} was not updated: ${message}`,
          });
        }
      }
    }
    saved.push(
      ...planned.filter(p => p.status.error && !p.zone).map(p => p.status),
    );
    // Rows of names that left: removed once their zone was applied.
    const keep = new Set(saved.map(s => s.workload));
    const failed = new Set(failedZones);
    const gone = (await this.options.status.list())
      .filter(r => !keep.has(r.workload) && !failed.has(r.zone))
      .map(r => r.workload);
    await this.options.status.save(saved, gone);
    for (const key of [...this.addresses.keys()])
      if (!withDns.some(w => key.startsWith(`${w.name}\u0000`)))
        this.addresses.delete(key);
    return {
      workloads: withDns.length,
      zones: zones.length,
      changes,
      failedZones,
      durationMs: Date.now() - started,
    };
  }
}

function anySignal(...signals: Array<AbortSignal | undefined>): AbortSignal {
  return AbortSignal.any(signals.filter((s): s is AbortSignal => !!s));
}
