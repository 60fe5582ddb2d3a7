/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  DnsApplyResult,
  DnsChange,
  DnsObservedRecordSet,
  DnsProvider,
  DnsProviderCallOptions,
  DnsRecordSet,
  DnsZone,
} from '@archipelago/multicluster-node';
import { isDeepStrictEqual } from 'node:util';

/** A published name with its owner (the ExternalDNS TXT registry's idea, kept in memory). */
export interface LocalRecord {
  owner: string;
  recordSet: DnsRecordSet;
}

/**
 * The zones the local DNS server answers from, in memory: what the DNS
 * reconciler last applied. Each name remembers its owner, so a name another
 * owner published is reported as a conflict and left alone.
 * @public
 */
export class LocalDnsZones {
  private readonly zones = new Map<string, Map<string, LocalRecord>>();

  /** The zone names known (every zone applied at least once). */
  zoneNames(): string[] {
    return [...this.zones.keys()];
  }

  /** The record set of a name, if published. */
  lookup(zone: string, hostname: string): LocalRecord | undefined {
    return this.zones.get(zone)?.get(hostname);
  }

  /** Publishes a name directly (for records another owner holds). */
  put(zone: string, owner: string, recordSet: DnsRecordSet) {
    this.zone(zone).set(recordSet.hostname, { owner, recordSet });
  }

  zone(name: string): Map<string, LocalRecord> {
    let zone = this.zones.get(name);
    if (!zone) {
      zone = new Map();
      this.zones.set(name, zone);
    }
    return zone;
  }
}

/**
 * The `local` DNS provider: applies the planned names into
 * {@link LocalDnsZones}, which the local DNS server answers from. Apply is
 * synchronous in memory, so a round's changes are all or nothing.
 * @public
 */
export class LocalDnsProvider implements DnsProvider {
  readonly type = 'local';
  readonly policies = ['geolocation', 'failover', 'weighted'] as const;

  constructor(readonly zones: LocalDnsZones) {}

  async apply(
    zone: DnsZone,
    desired: DnsRecordSet[],
    options: DnsProviderCallOptions,
  ): Promise<DnsApplyResult> {
    options.signal?.throwIfAborted();
    const records = this.zones.zone(zone.name);
    const changes: DnsChange[] = [];
    const conflicts: Array<{ hostname: string; reason: string }> = [];
    const health: DnsApplyResult['health'] = {};
    const wanted = new Set<string>();
    for (const set of desired) {
      const hostname = set.hostname.toLowerCase();
      wanted.add(hostname);
      const held = records.get(hostname);
      if (held && held.owner !== options.ownerId) {
        conflicts.push({
          hostname,
          reason: `the name is owned by ${held.owner}`,
        });
        continue;
      }
      health[hostname] = Object.fromEntries(
        set.answers.map(a => [a.setIdentifier, 'unknown' as const]),
      );
      if (set.answers.length === 0) {
        if (held) {
          records.delete(hostname);
          changes.push({ action: 'delete', hostname, setIdentifier: '' });
        }
        continue;
      }
      if (held && isDeepStrictEqual(held.recordSet, set)) continue;
      records.set(hostname, { owner: options.ownerId, recordSet: set });
      changes.push(
        ...changeList(held?.recordSet, set).map(c => ({ ...c, hostname })),
      );
    }
    for (const [hostname, held] of [...records]) {
      if (held.owner === options.ownerId && !wanted.has(hostname)) {
        records.delete(hostname);
        changes.push({ action: 'delete', hostname, setIdentifier: '' });
      }
    }
    return { changes, health, ...(conflicts.length ? { conflicts } : {}) };
  }

  async observe(
    zone: DnsZone,
    hostnames: string[],
    options: DnsProviderCallOptions,
  ): Promise<DnsObservedRecordSet[]> {
    return hostnames.flatMap(h => {
      const held = this.zones.lookup(zone.name, h.toLowerCase());
      if (!held) return [];
      return [
        {
          hostname: held.recordSet.hostname,
          owned: held.owner === options.ownerId,
          answers: held.recordSet.answers.map(a => ({
            ...a,
            health: 'unknown' as const,
          })),
          ttl: held.recordSet.ttl,
        },
      ];
    });
  }
}

function changeList(
  before: DnsRecordSet | undefined,
  after: DnsRecordSet,
): Array<Omit<DnsChange, 'hostname'>> {
  const old = new Map(before?.answers.map(a => [a.setIdentifier, a]));
  const out: Array<Omit<DnsChange, 'hostname'>> = [];
  for (const a of after.answers) {
    const prev = old.get(a.setIdentifier);
    old.delete(a.setIdentifier);
    if (!prev) out.push({ action: 'create', setIdentifier: a.setIdentifier });
    else if (!isDeepStrictEqual(prev, a) || before?.ttl !== after.ttl)
      out.push({ action: 'update', setIdentifier: a.setIdentifier });
  }
  for (const id of old.keys())
    out.push({ action: 'delete', setIdentifier: id });
  return out;
}
