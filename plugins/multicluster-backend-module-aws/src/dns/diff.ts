/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Change, ResourceRecordSet } from '@aws-sdk/client-route-53';
import type {
  DnsAnswer,
  DnsChange,
  DnsRecordSet,
} from '@archipelago/multicluster-node';
import {
  type DesiredRecord,
  desiredRecords,
  inZone,
  normalizeName,
  parseOwnership,
  parseOwnershipName,
  recordContent,
  recordKey,
  routingKind,
  routingSlot,
} from './records';

// The change-batch diff: desired names against the zone's current record
// sets, as one pure function. Only records whose ownership twin names our
// owner id are ever changed or deleted; a desired name that would collide with
// a record we do not own is left whole and reported as a conflict.

/** Route53's limits of one ChangeResourceRecordSets call. */
export const ROUTE53_BATCH_LIMITS = { records: 1000, characters: 32000 };

/** The zone's record sets, sorted into ours and everyone else's. */
export interface ZoneIndex {
  /** Every record set by `recordKey`. */
  all: Map<string, ResourceRecordSet>;
  /** Keys of the record sets (records and their ownership twins) we own. */
  owned: Set<string>;
  /** Record sets by normalized name. */
  byName: Map<string, ResourceRecordSet[]>;
}

/** Sorts the zone's record sets by owner: ours when an ownership twin names `ownerId`. */
export function indexZone(
  current: ResourceRecordSet[],
  ownerId: string,
): ZoneIndex {
  const all = new Map<string, ResourceRecordSet>();
  const byName = new Map<string, ResourceRecordSet[]>();
  for (const set of current) {
    all.set(recordKey(set), set);
    const name = normalizeName(set.Name ?? '');
    byName.set(name, [...(byName.get(name) ?? []), set]);
  }
  const owned = new Set<string>();
  for (const set of current) {
    if (set.Type !== 'TXT') continue;
    const target = parseOwnershipName(normalizeName(set.Name ?? ''));
    const marks = (set.ResourceRecords ?? []).map(r =>
      parseOwnership(r.Value ?? ''),
    );
    if (!target || marks.length !== 1 || marks[0]?.owner !== ownerId) continue;
    owned.add(recordKey(set));
    owned.add(`${target.hostname}|${target.type}|${set.SetIdentifier ?? ''}`);
  }
  return { all, owned, byName };
}

/** Why the records of `set` cannot be written without touching someone else's, if so. */
function conflictOf(
  set: DnsRecordSet,
  records: DesiredRecord[],
  zoneName: string,
  index: ZoneIndex,
): string | undefined {
  if (!inZone(set.hostname, zoneName)) {
    return `${set.hostname} is not inside zone ${zoneName}`;
  }
  const types = new Set(set.answers.map(a => a.type));
  if (types.has('CNAME') && types.size > 1) {
    return 'a CNAME answer cannot share its name with A or AAAA answers';
  }
  const ids = set.answers.map(a => `${a.type}|${a.setIdentifier}`);
  if (new Set(ids).size !== ids.length) {
    return 'two answers share one set identifier';
  }
  for (const { record, ownership } of records) {
    for (const wanted of [record, ownership]) {
      const name = normalizeName(wanted.Name!);
      for (const existing of index.byName.get(name) ?? []) {
        const key = recordKey(existing);
        if (index.owned.has(key)) continue;
        const what = `${existing.Type} record ${name}${
          existing.SetIdentifier ? ` (${existing.SetIdentifier})` : ''
        } that we do not own`;
        if (existing.Type !== wanted.Type) {
          if (existing.Type === 'CNAME' || wanted.Type === 'CNAME')
            return `a ${what} is there (a CNAME shares its name with nothing)`;
          continue;
        }
        if (key === recordKey(wanted)) return `a ${what} is there`;
        if (
          !existing.SetIdentifier ||
          routingKind(existing) !== routingKind(wanted)
        )
          return `a ${what} uses another routing policy`;
        const slot = routingSlot(wanted);
        if (slot && slot === routingSlot(existing))
          return `a ${what} answers the same ${slot.split(':')[0]}`;
      }
    }
  }
  return undefined;
}

/** The result of {@link planZoneChanges}. */
export interface ZonePlan {
  /** Changes per hostname, each group in a safe order (deletes first). */
  groups: Array<{ hostname: string; changes: Change[] }>;
  /** The answer-level summary (ownership twins are not listed). */
  summary: DnsChange[];
  /** Names left alone, with why. */
  conflicts: Array<{ hostname: string; reason: string }>;
  /** Health check ids the zone's records reference once the changes are made. */
  referencedHealthChecks: Set<string>;
}

/**
 * Plans the changes that make the zone hold `desired` among the records
 * `ownerId` owns: creates what is missing, puts back what was edited outside,
 * deletes owned records no longer desired (their names included), and never
 * touches a record it does not own.
 */
export function planZoneChanges(input: {
  zoneName: string;
  ownerId: string;
  desired: DnsRecordSet[];
  current: ResourceRecordSet[];
  healthCheckId?: (hostname: string, answer: DnsAnswer) => string | undefined;
}): ZonePlan {
  const { zoneName, ownerId } = input;
  const index = indexZone(input.current, ownerId);
  const groups = new Map<string, Change[]>();
  const summary: DnsChange[] = [];
  const conflicts: ZonePlan['conflicts'] = [];
  const add = (hostname: string, change: Change) =>
    groups.set(hostname, [...(groups.get(hostname) ?? []), change]);
  const note = (action: DnsChange['action'], set: ResourceRecordSet) => {
    if (set.Type !== 'TXT')
      summary.push({
        action,
        hostname: normalizeName(set.Name!),
        setIdentifier: set.SetIdentifier ?? '',
      });
  };

  const wantedKeys = new Set<string>();
  const skipped = new Set<string>();
  const seen = new Set<string>();
  for (const set of input.desired) {
    const hostname = normalizeName(set.hostname);
    if (seen.has(hostname)) {
      conflicts.push({ hostname, reason: 'the name is planned twice' });
      skipped.add(hostname);
      continue;
    }
    seen.add(hostname);
    const records = desiredRecords({ ...set, hostname }, ownerId, a =>
      input.healthCheckId?.(hostname, a),
    );
    const conflict = conflictOf({ ...set, hostname }, records, zoneName, index);
    if (conflict) {
      conflicts.push({ hostname, reason: conflict });
      skipped.add(hostname);
      continue;
    }
    for (const wanted of records.flatMap(r => [r.record, r.ownership])) {
      const key = recordKey(wanted);
      wantedKeys.add(key);
      const existing = index.all.get(key);
      // UPSERT, not CREATE, even for new records: this round's listing showed
      // the key free (conflicts above), and a re-created record then matches
      // how moto and Route53 both accept it (moto refuses a CREATE it has seen
      // before while the name has other records).
      if (!existing) {
        add(hostname, { Action: 'UPSERT', ResourceRecordSet: wanted });
        note('create', wanted);
      } else if (recordContent(existing) !== recordContent(wanted)) {
        // Route53 will not switch a record's routing policy in place.
        if (routingKind(existing) === routingKind(wanted)) {
          add(hostname, { Action: 'UPSERT', ResourceRecordSet: wanted });
        } else {
          add(hostname, { Action: 'DELETE', ResourceRecordSet: existing });
          add(hostname, { Action: 'UPSERT', ResourceRecordSet: wanted });
        }
        note('update', wanted);
      }
    }
  }

  // Owned records that are no longer wanted go, with their ownership twins;
  // names left alone for a conflict keep theirs.
  for (const existing of input.current) {
    const key = recordKey(existing);
    if (!index.owned.has(key) || wantedKeys.has(key)) continue;
    const name = normalizeName(existing.Name!);
    const hostname =
      existing.Type === 'TXT'
        ? parseOwnershipName(name)?.hostname ?? name
        : name;
    if (skipped.has(hostname)) continue;
    add(hostname, { Action: 'DELETE', ResourceRecordSet: existing });
    note('delete', existing);
  }

  const ordered = [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([hostname, changes]) => ({
      hostname,
      changes: [
        ...changes.filter(c => c.Action === 'DELETE'),
        ...changes.filter(c => c.Action !== 'DELETE'),
      ],
    }));

  // What references health checks afterwards: everything now in the zone,
  // minus what is deleted, plus what is written.
  const after = new Map(index.all);
  for (const { changes } of ordered) {
    for (const c of changes) {
      const key = recordKey(c.ResourceRecordSet!);
      if (c.Action === 'DELETE') after.delete(key);
      else after.set(key, c.ResourceRecordSet!);
    }
  }
  const referencedHealthChecks = new Set(
    [...after.values()].flatMap(s =>
      s.HealthCheckId ? [s.HealthCheckId] : [],
    ),
  );
  return { groups: ordered, summary, conflicts, referencedHealthChecks };
}

/** What a change costs against Route53's limits (an UPSERT counts twice). */
function cost(change: Change): { records: number; characters: number } {
  const values = change.ResourceRecordSet?.ResourceRecords ?? [];
  const factor = change.Action === 'UPSERT' ? 2 : 1;
  return {
    records: Math.max(1, values.length) * factor,
    characters: values.reduce((n, v) => n + (v.Value ?? '').length, 0) * factor,
  };
}

/**
 * Packs the groups into as few change batches as Route53's limits allow: one
 * batch per round unless it is over 1,000 records or 32,000 characters. A
 * name's changes stay in one batch whenever they fit in one.
 */
export function toChangeBatches(
  groups: ZonePlan['groups'],
  limits = ROUTE53_BATCH_LIMITS,
): Change[][] {
  const batches: Change[][] = [];
  let batch: Change[] = [];
  let used = { records: 0, characters: 0 };
  const flush = () => {
    if (batch.length) batches.push(batch);
    batch = [];
    used = { records: 0, characters: 0 };
  };
  const fits = (c: { records: number; characters: number }) =>
    used.records + c.records <= limits.records &&
    used.characters + c.characters <= limits.characters;
  for (const { changes } of groups) {
    const costs = changes.map(cost);
    const total = costs.reduce(
      (t, c) => ({
        records: t.records + c.records,
        characters: t.characters + c.characters,
      }),
      { records: 0, characters: 0 },
    );
    if (!fits(total)) flush();
    for (let i = 0; i < changes.length; i++) {
      if (!fits(costs[i])) flush();
      batch.push(changes[i]);
      used = {
        records: used.records + costs[i].records,
        characters: used.characters + costs[i].characters,
      };
    }
  }
  flush();
  return batches;
}
