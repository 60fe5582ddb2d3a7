/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  WorkloadDnsCluster,
  WorkloadDnsRecord,
} from '@archipelago/multicluster-common';
import type { Knex } from 'knex';

export const TABLE_DNS_STATUS = 'multicluster_dns_status';

/** What the last DNS round saw and published for one workload. */
export interface DnsStatusRow {
  workload: string;
  hostname: string;
  zone: string;
  records: WorkloadDnsRecord[];
  clusters: WorkloadDnsCluster[];
  allUnhealthy: boolean;
  appliedAt?: number;
  error?: string;
}

/** The DNS status table: written by the reconciler, read by REST on every replica. */
export class DnsStatusStore {
  constructor(private readonly db: Knex) {}

  async get(workload: string): Promise<DnsStatusRow | undefined> {
    const row = await this.db(TABLE_DNS_STATUS)
      .where({ workload_name: workload })
      .first();
    return row ? toRow(row) : undefined;
  }

  async list(): Promise<DnsStatusRow[]> {
    return (await this.db(TABLE_DNS_STATUS).select()).map(toRow);
  }

  /** Writes these rows and removes every other row of `workloads` absent from them. */
  async save(rows: DnsStatusRow[], remove: string[], now = Date.now()) {
    await this.db.transaction(async trx => {
      if (remove.length)
        await trx(TABLE_DNS_STATUS).whereIn('workload_name', remove).delete();
      for (const r of rows) {
        // A hostname moves between workloads only after its old row went.
        await trx(TABLE_DNS_STATUS)
          .where({ hostname: r.hostname })
          .whereNot({ workload_name: r.workload })
          .delete();
        await trx(TABLE_DNS_STATUS)
          .insert({
            workload_name: r.workload,
            hostname: r.hostname,
            zone: r.zone,
            status: JSON.stringify({
              records: r.records,
              clusters: r.clusters,
              allUnhealthy: r.allUnhealthy,
            }),
            applied_at: r.appliedAt ?? null,
            error: r.error ?? null,
            updated_at: now,
          })
          .onConflict('workload_name')
          .merge();
      }
    });
  }
}

function toRow(row: any): DnsStatusRow {
  const status = JSON.parse(row.status);
  return {
    workload: row.workload_name,
    hostname: row.hostname,
    zone: row.zone,
    records: status.records ?? [],
    clusters: status.clusters ?? [],
    allUnhealthy: Boolean(status.allUnhealthy),
    ...(row.applied_at !== null && row.applied_at !== undefined
      ? { appliedAt: Number(row.applied_at) }
      : {}),
    ...(row.error ? { error: row.error } : {}),
  };
}
