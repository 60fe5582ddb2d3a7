/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { childType, TypeNode } from '../api/schema';
import { mergeApplied } from './strategic';
import { deepClone } from './jsonPatch';

type Obj = Record<string, any>;

/** A metav1.ManagedFieldsEntry. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Obj;
  subresource?: string;
}

/** One server-side apply conflict: another manager owns a field the apply changes. */
export interface ApplyConflict {
  manager: string;
  apiVersion: string;
  field: string;
}

// Path elements ("f:spec", "k:{\"name\":\"x\"}", "v:\"x\"") joined with a separator that no
// JSON-encoded element can contain.
const SEP = '\u0001';

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Metadata fields the server owns; they are never part of a manager's field set. */
const SERVER_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
  'generateName',
]);

// Key fields with a server-side default: an applied item that omits them still names the
// same list entry as the defaulted live one.
const KEY_DEFAULTS: Obj = { protocol: 'TCP' };

function itemKey(item: Obj, keys: string[]): string {
  const k: Obj = {};
  for (const name of [...keys].sort()) {
    if (name in item) k[name] = item[name];
    else if (name in KEY_DEFAULTS) k[name] = KEY_DEFAULTS[name];
  }
  return `k:${JSON.stringify(k)}`;
}

function walk(
  value: unknown,
  type: TypeNode,
  path: string,
  out: Map<string, string>,
) {
  if (isObject(value) && type.kind !== 'primitive') {
    const keys = Object.keys(value);
    if (!keys.length) {
      out.set(path, '{}');
      return;
    }
    if (type.kind === 'map') out.set(path, '');
    for (const k of keys) {
      walk(value[k], childType(type, k), `${path}${SEP}f:${k}`, out);
    }
    return;
  }
  if (
    Array.isArray(value) &&
    type.kind === 'array' &&
    type.list.listType !== 'atomic'
  ) {
    const list = type.list;
    if (list.listType === 'map' && list.mapKeys) {
      for (const item of value) {
        if (!isObject(item)) continue;
        const itemPath = `${path}${SEP}${itemKey(item, list.mapKeys)}`;
        out.set(itemPath, '');
        for (const k of Object.keys(item)) {
          walk(
            item[k],
            childType(type.items, k),
            `${itemPath}${SEP}f:${k}`,
            out,
          );
        }
      }
    } else {
      for (const item of value)
        out.set(`${path}${SEP}v:${JSON.stringify(item)}`, '');
    }
    return;
  }
  out.set(path, JSON.stringify(value));
}

/**
 * The fields an object sets, each with a signature of its value: leaves, list items, maps.
 * `scope` picks the main resource (everything but status) or the status subresource.
 */
export function fieldValues(
  obj: Obj,
  type: TypeNode,
  scope: 'main' | 'status',
): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if ((k === 'status') !== (scope === 'status')) continue;
    if (k === 'metadata' && isObject(v)) {
      for (const [mk, mv] of Object.entries(v)) {
        if (SERVER_METADATA.has(mk)) continue;
        walk(
          mv,
          childType(childType(type, 'metadata'), mk),
          `f:metadata${SEP}f:${mk}`,
          out,
        );
      }
      continue;
    }
    walk(v, childType(type, k), `f:${k}`, out);
  }
  return out;
}

/** Renders a set of paths as FieldsV1 JSON ("." marks a node that is itself owned). */
export function toFieldsV1(paths: Iterable<string>): Obj {
  const root: Obj = {};
  const all = [...paths];
  const set = new Set(all);
  for (const p of all) {
    let node = root;
    for (const el of p.split(SEP)) {
      node[el] = node[el] ?? {};
      node = node[el];
    }
  }
  const mark = (node: Obj, prefix: string) => {
    for (const [k, child] of Object.entries(node)) {
      if (k === '.') continue;
      const path = prefix ? `${prefix}${SEP}${k}` : k;
      if (Object.keys(child).length) {
        if (set.has(path)) child['.'] = {};
        mark(child, path);
      }
    }
  };
  mark(root, '');
  return root;
}

/** Parses FieldsV1 JSON back to a set of paths. */
export function fromFieldsV1(fields: unknown): Set<string> {
  const out = new Set<string>();
  const visit = (node: unknown, prefix: string, depth: number) => {
    if (!isObject(node) || depth > 64) return;
    const keys = Object.keys(node);
    if (!keys.length && prefix) out.add(prefix);
    for (const k of keys) {
      if (k === '.') {
        if (prefix) out.add(prefix);
        continue;
      }
      visit(node[k], prefix ? `${prefix}${SEP}${k}` : k, depth + 1);
    }
  };
  visit(fields, '', 0);
  return out;
}

/** A path as the API server prints it in conflicts: `.spec.containers[name="web"].image`. */
function displayPath(p: string): string {
  return p
    .split(SEP)
    .map(el => {
      const body = el.slice(2);
      if (el.startsWith('f:')) return `.${body}`;
      if (el.startsWith('k:')) {
        try {
          const key = JSON.parse(body) as Record<string, unknown>;
          return `[${Object.entries(key)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(',')}]`;
        } catch {
          return `[${body}]`;
        }
      }
      if (el.startsWith('v:')) return `[=${body}]`;
      return `[${body}]`;
    })
    .join('');
}

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

function entriesOf(obj: Obj | undefined): ManagedFieldsEntry[] {
  const mf = obj?.metadata?.managedFields;
  return Array.isArray(mf) ? (mf as ManagedFieldsEntry[]) : [];
}

function sameSlot(
  e: ManagedFieldsEntry,
  manager: string,
  operation: string,
  subresource: string,
) {
  return (
    e.manager === manager &&
    e.operation === operation &&
    (e.subresource ?? '') === subresource
  );
}

function rebuild(
  entries: Array<{ entry: ManagedFieldsEntry; set: Set<string> }>,
): ManagedFieldsEntry[] {
  return entries
    .filter(e => e.set.size > 0)
    .map(e => ({ ...e.entry, fieldsV1: toFieldsV1(e.set) }));
}

/**
 * Records a create/update/patch by `manager`: it takes ownership of every field whose value it
 * changed (taking it away from other managers), and removed fields leave every set.
 */
export function trackUpdate(options: {
  previous: Obj | undefined;
  next: Obj;
  manager: string;
  apiVersion: string;
  type: TypeNode;
  subresource?: string;
}): ManagedFieldsEntry[] {
  const { previous, next, manager, apiVersion, type } = options;
  const subresource = options.subresource ?? '';
  const scope = subresource === 'status' ? 'status' : 'main';
  const before = previous
    ? fieldValues(previous, type, scope)
    : new Map<string, string>();
  const after = fieldValues(next, type, scope);
  const changed = new Set<string>();
  for (const [p, v] of after) if (before.get(p) !== v) changed.add(p);
  const removed = new Set<string>();
  for (const p of before.keys()) if (!after.has(p)) removed.add(p);

  const entries = entriesOf(previous).map(entry => ({
    entry,
    set: fromFieldsV1(entry.fieldsV1),
  }));
  if (!changed.size && !removed.size) return entriesOf(previous);
  for (const e of entries) {
    for (const p of removed) e.set.delete(p);
    if (!sameSlot(e.entry, manager, 'Update', subresource)) {
      for (const p of changed) e.set.delete(p);
    }
  }
  let mine = entries.find(e =>
    sameSlot(e.entry, manager, 'Update', subresource),
  );
  if (!mine) {
    mine = {
      entry: {
        manager,
        operation: 'Update',
        apiVersion,
        time: now(),
        fieldsType: 'FieldsV1',
        fieldsV1: {},
        ...(subresource ? { subresource } : {}),
      },
      set: new Set(),
    };
    entries.push(mine);
  }
  mine.entry = { ...mine.entry, apiVersion, time: now() };
  for (const p of changed) mine.set.add(p);
  return rebuild(entries);
}

function removePath(obj: Obj, path: string[]) {
  let cur: any = obj;
  for (let i = 0; i < path.length; i++) {
    const el = path[i];
    const last = i === path.length - 1;
    if (el.startsWith('f:')) {
      if (!isObject(cur)) return;
      const k = el.slice(2);
      if (last) {
        delete cur[k];
        return;
      }
      cur = cur[k];
    } else if (el.startsWith('k:')) {
      if (!Array.isArray(cur)) return;
      const key = JSON.parse(el.slice(2)) as Obj;
      const idx = cur.findIndex(
        item =>
          isObject(item) &&
          Object.entries(key).every(
            ([k, v]) => JSON.stringify(item[k]) === JSON.stringify(v),
          ),
      );
      if (idx < 0) return;
      if (last) {
        cur.splice(idx, 1);
        return;
      }
      cur = cur[idx];
    } else if (el.startsWith('v:')) {
      if (!Array.isArray(cur) || !last) return;
      const value = el.slice(2);
      const idx = cur.findIndex(item => JSON.stringify(item) === value);
      if (idx >= 0) cur.splice(idx, 1);
      return;
    } else {
      return;
    }
  }
}

/**
 * Server-side apply of `config` by `manager` onto `live` (undefined when the object is new).
 * Fields another manager owns with a different value conflict unless `force`; fields this
 * manager applied before and no longer applies are removed unless someone else owns them.
 */
export function applyConfiguration(options: {
  live: Obj | undefined;
  config: Obj;
  manager: string;
  apiVersion: string;
  type: TypeNode;
  force: boolean;
  subresource?: string;
}): { object: Obj; conflicts: ApplyConflict[] } {
  const { live, config, manager, apiVersion, type, force } = options;
  const subresource = options.subresource ?? '';
  const scope = subresource === 'status' ? 'status' : 'main';
  const applied = fieldValues(config, type, scope);
  const liveValues = live
    ? fieldValues(live, type, scope)
    : new Map<string, string>();
  const entries = entriesOf(live).map(entry => ({
    entry,
    set: fromFieldsV1(entry.fieldsV1),
  }));
  const isMine = (e: ManagedFieldsEntry) =>
    sameSlot(e, manager, 'Apply', subresource);

  const conflicts: ApplyConflict[] = [];
  for (const e of entries) {
    if (isMine(e.entry)) continue;
    for (const p of applied.keys()) {
      if (!e.set.has(p)) continue;
      const liveValue = liveValues.get(p);
      if (liveValue === undefined || liveValue === applied.get(p)) continue;
      if (force) e.set.delete(p);
      else {
        conflicts.push({
          manager: e.entry.manager,
          apiVersion: e.entry.apiVersion,
          field: displayPath(p),
        });
      }
    }
  }
  if (conflicts.length) return { object: live ?? config, conflicts };

  const mine = entries.find(e => isMine(e.entry));
  const previous = mine?.set ?? new Set<string>();
  const others = new Set<string>();
  for (const e of entries)
    if (!isMine(e.entry)) for (const p of e.set) others.add(p);

  const object = live
    ? mergeApplied(live, stripServerFields(config), type)
    : deepClone(config);
  // Shallow paths first, so that removing a list item makes its fields moot.
  const toRemove = [...previous]
    .filter(p => !applied.has(p) && !others.has(p))
    .sort((a, b) => a.split(SEP).length - b.split(SEP).length);
  for (const p of toRemove) removePath(object, p.split(SEP));

  const next = entries.filter(e => !isMine(e.entry));
  next.push({
    entry: {
      manager,
      operation: 'Apply',
      apiVersion,
      time: now(),
      fieldsType: 'FieldsV1',
      fieldsV1: {},
      ...(subresource ? { subresource } : {}),
    },
    set: new Set(applied.keys()),
  });
  object.metadata = {
    ...(object.metadata ?? {}),
    managedFields: rebuild(next),
  };
  return { object, conflicts };
}

function stripServerFields(config: Obj): Obj {
  const out = { ...config };
  if (isObject(out.metadata)) {
    const meta = { ...out.metadata };
    delete meta.managedFields;
    delete meta.resourceVersion;
    delete meta.uid;
    delete meta.creationTimestamp;
    delete meta.generation;
    out.metadata = meta;
  }
  return out;
}
