/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { childType, TypeNode } from '../api/schema';
import { jsonEqual } from '../util';
import { deepClone, PatchError } from './jsonPatch';

type Obj = Record<string, any>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const DELETE = Symbol('delete');

/** Removes SMP directives ($patch, $retainKeys, …) from a value that is inserted as is. */
function stripDirectives(value: any): any {
  if (Array.isArray(value)) {
    return value
      .filter(v => !(isObject(v) && v.$patch === 'delete'))
      .map(stripDirectives);
  }
  if (!isObject(value)) return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('$')) continue;
    if (v === null) continue;
    out[k] = stripDirectives(v);
  }
  return out;
}

function keyMatches(item: unknown, mergeKey: string, value: unknown) {
  return isObject(item) && jsonEqual(item[mergeKey], value);
}

function reorder(list: any[], order: unknown[], mergeKey?: string): any[] {
  const placed: any[] = [];
  const rest = [...list];
  for (const o of order) {
    const idx = rest.findIndex(item =>
      mergeKey && isObject(o)
        ? keyMatches(item, mergeKey, o[mergeKey])
        : jsonEqual(item, o),
    );
    if (idx >= 0) placed.push(rest.splice(idx, 1)[0]);
  }
  return [...placed, ...rest];
}

function mergeList(
  original: unknown,
  patch: any[],
  type: TypeNode,
  applyMode: boolean,
): any[] {
  const orig = Array.isArray(original) ? original : [];
  const list = type.kind === 'array' ? type.list : undefined;
  const merging = applyMode
    ? list && list.listType !== 'atomic'
    : list?.strategy?.startsWith('merge');
  if (!list || !merging) return stripDirectives(patch);

  if (patch.some(p => isObject(p) && p.$patch === 'replace')) {
    return stripDirectives(
      patch.filter(p => !(isObject(p) && p.$patch === 'replace')),
    );
  }
  const mergeKey = list.mergeKey;
  if (!mergeKey) {
    // A set of primitives: union, keeping the original order first.
    const out = [...orig];
    for (const p of patch) if (!out.some(o => jsonEqual(o, p))) out.push(p);
    return out;
  }
  const itemType = type.kind === 'array' ? type.items : type;
  const out = [...orig];
  for (const p of patch) {
    if (!isObject(p)) {
      throw new PatchError(
        `unable to merge an item without the merge key ${mergeKey}`,
        422,
      );
    }
    if (!(mergeKey in p)) {
      throw new PatchError(
        `map: ${JSON.stringify(
          p,
        )} does not contain declared merge key: ${mergeKey}`,
        422,
      );
    }
    const idx = out.findIndex(o => keyMatches(o, mergeKey, p[mergeKey]));
    if (p.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) {
      const merged = mergeObject(out[idx], p, itemType, applyMode);
      if (merged === DELETE) out.splice(idx, 1);
      else out[idx] = merged;
    } else {
      out.push(stripDirectives(p));
    }
  }
  return out;
}

function mergeObject(
  original: unknown,
  patch: Obj,
  type: TypeNode,
  applyMode: boolean,
): Obj | typeof DELETE {
  if (patch.$patch === 'delete') return DELETE;
  if (patch.$patch === 'replace') return stripDirectives(patch);
  const result: Obj = isObject(original) ? { ...original } : {};
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set<string>(patch.$retainKeys);
    for (const k of Object.keys(result)) if (!keep.has(k)) delete result[k];
  }
  const orders: Array<[string, unknown[]]> = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$setElementOrder/')) {
      if (Array.isArray(value))
        orders.push([key.slice('$setElementOrder/'.length), value]);
      continue;
    }
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(result[field]) && Array.isArray(value)) {
        result[field] = result[field].filter(
          (v: unknown) => !value.some(d => jsonEqual(d, v)),
        );
      }
      continue;
    }
    if (key.startsWith('$')) continue;
    if (value === null) {
      delete result[key];
      continue;
    }
    const fieldType = childType(type, key);
    if (Array.isArray(value)) {
      result[key] = mergeList(result[key], value, fieldType, applyMode);
    } else if (isObject(value)) {
      const merged = mergeObject(result[key], value, fieldType, applyMode);
      if (merged === DELETE) delete result[key];
      else result[key] = merged;
    } else {
      result[key] = value;
    }
  }
  for (const [field, order] of orders) {
    if (!Array.isArray(result[field])) continue;
    const t = childType(type, field);
    result[field] = reorder(
      result[field],
      order,
      t.kind === 'array' ? t.list.mergeKey : undefined,
    );
  }
  return result;
}

/**
 * Applies a strategic merge patch: maps merge, lists with patchStrategy=merge merge by their
 * patchMergeKey (or as sets), other lists are replaced; $patch, $retainKeys, $setElementOrder and
 * $deleteFromPrimitiveList directives are honoured.
 */
export function applyStrategicMergePatch(
  target: unknown,
  patch: unknown,
  type: TypeNode,
): any {
  if (!isObject(patch)) {
    throw new PatchError('strategic merge patch must be a JSON object', 400);
  }
  const merged = mergeObject(deepClone(target), patch, type, false);
  return merged === DELETE ? {} : merged;
}

/**
 * Merges an applied configuration into a live object for server-side apply: like a strategic
 * merge, but every list with listType map or set merges by its keys (no directives involved).
 */
export function mergeApplied(live: unknown, applied: Obj, type: TypeNode): Obj {
  const merged = mergeObject(deepClone(live), applied, type, true);
  return merged === DELETE ? {} : merged;
}
