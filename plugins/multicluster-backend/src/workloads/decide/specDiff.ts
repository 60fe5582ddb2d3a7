/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { WorkloadObjectDiff } from '@archipelago/multicluster-common';
import {
  describeManifest,
  isSecret,
  type Manifest,
} from '@archipelago/multicluster-node';
import { leafDifferences } from './drift';

const identity = (m: Manifest) =>
  `${m.apiVersion.split('/').length > 1 ? m.apiVersion.split('/')[0] : ''}/${
    m.kind
  }/${m.metadata.name}`;

/** Paths that differ between two objects, both ways; a Secret's values by key only. */
function changedFields(before: Manifest, after: Manifest): string[] {
  const strip = (m: Manifest) => {
    const { status: _s, ...rest } = m;
    return rest;
  };
  const paths = new Set<string>();
  for (const [p] of leafDifferences(strip(after), strip(before))) paths.add(p);
  for (const [p, , now] of leafDifferences(strip(before), strip(after)))
    if (now === undefined) paths.add(p);
  const out = [...paths].sort();
  if (!isSecret(after) && !isSecret(before)) return out;
  // Never a value, not even its length: `data.password` names the key only.
  return [
    ...new Set(
      out.map(p => {
        const m = /^(data|stringData)\.([^.[\]]+)/.exec(p);
        return m ? `${m[1]}.${m[2]}` : p;
      }),
    ),
  ];
}

/**
 * The change from the live revision's objects to a proposed one's, object by
 * object, for a dry run: added, removed, changed (with the field paths) or
 * unchanged. Objects are matched by group, kind and name. Pure.
 */
export function diffManifests(
  live: Manifest[],
  proposed: Manifest[],
  namespace: string,
): WorkloadObjectDiff[] {
  const before = new Map(live.map(m => [identity(m), m]));
  const out: WorkloadObjectDiff[] = [];
  for (const m of proposed) {
    const old = before.get(identity(m));
    before.delete(identity(m));
    const object = describeManifest(m, namespace);
    if (!old) {
      out.push({ object, change: 'added' });
      continue;
    }
    const fields = changedFields(old, m);
    out.push(
      fields.length
        ? { object, change: 'changed', fields }
        : { object, change: 'unchanged' },
    );
  }
  for (const m of before.values())
    out.push({ object: describeManifest(m, namespace), change: 'removed' });
  return out;
}
