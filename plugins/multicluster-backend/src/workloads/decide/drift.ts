/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  describeManifest,
  isSecret,
  type Manifest,
} from '@archipelago/multicluster-node';
import { parseQuantity } from '../../prober/quantity';

type Json = unknown;

const isRecord = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Metadata we apply and so own; the rest is the server's. */
const OWNED_METADATA = ['labels', 'annotations'];

/** Keys that identify an element of a list of objects, in order of preference (listType=map keys). */
const LIST_KEYS = ['name', 'containerPort', 'port', 'mountPath', 'key', 'ip'];

function listKey(items: Json[]): string | undefined {
  if (items.length === 0 || !items.every(isRecord)) return undefined;
  return LIST_KEYS.find(k =>
    items.every(i => (i as Record<string, Json>)[k] !== undefined),
  );
}

/** Equal as the API server would store them: `80` and `"80"`, `500m` and `0.5` alike. */
function sameScalar(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined)
    return false;
  if (String(a) === String(b)) return true;
  const qa = parseQuantity(a);
  const qb = parseQuantity(b);
  return qa !== undefined && qb !== undefined && Math.abs(qa - qb) < 1e-9;
}

/**
 * Every leaf of `desired` whose value `actual` does not hold, as
 * `[path, desiredValue, actualValue]`. Lists of objects are matched by their
 * key (`containers[web]`, `ports[80]`), other lists as a whole. Fields only
 * `actual` has (defaults, status, other managers' fields) are ignored:
 * server-side apply owns exactly the fields it applies.
 */
export function leafDifferences(
  desired: Json,
  actual: Json,
  path = '',
): Array<[string, Json, Json]> {
  if (isRecord(desired)) {
    if (!isRecord(actual)) return [[path, desired, actual]];
    return Object.entries(desired).flatMap(([k, v]) =>
      leafDifferences(v, actual[k], path ? `${path}.${k}` : k),
    );
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(actual)) return [[path, desired, actual]];
    const key = listKey(desired);
    if (key) {
      return desired.flatMap(item => {
        const id = (item as Record<string, Json>)[key];
        const match = actual.find(a => isRecord(a) && sameScalar(a[key], id));
        return leafDifferences(item, match, `${path}[${String(id)}]`);
      });
    }
    if (
      desired.length !== actual.length ||
      desired.some((d, i) => leafDifferences(d, actual[i]).length > 0)
    ) {
      return [[path, desired, actual]];
    }
    return [];
  }
  return sameScalar(desired, actual) ? [] : [[path, desired, actual]];
}

const MAX_VALUE = 60;

function show(value: Json): string {
  if (value === undefined) return 'unset';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
}

/** The parts of an object that drift is judged on: what we apply, minus identity. */
function appliedFields(object: Record<string, Json>): Record<string, Json> {
  const { apiVersion: _a, kind: _k, metadata, status: _s, ...rest } = object;
  const meta = isRecord(metadata) ? metadata : {};
  const owned: Record<string, Json> = {};
  for (const field of OWNED_METADATA)
    if (meta[field] !== undefined) owned[field] = meta[field];
  return Object.keys(owned).length ? { metadata: owned, ...rest } : rest;
}

/** A Secret's values as the server stores them: `stringData` folds into base64 `data`. */
function secretData(object: Record<string, Json>): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(object.data))
    for (const [k, v] of Object.entries(object.data)) out[k] = String(v);
  if (isRecord(object.stringData))
    for (const [k, v] of Object.entries(object.stringData))
      out[k] = Buffer.from(String(v), 'utf8').toString('base64');
  return out;
}

/**
 * What differs between the object we apply and the live one, in words a
 * person reads in the workload's events: `Deployment shop/web is missing`,
 * `Deployment shop/web: spec.replicas is 5, want 3`. A Secret's values are
 * compared but never shown. Pure.
 */
export function objectDrift(
  desired: Manifest,
  live: Record<string, Json> | undefined,
  namespace: string,
): string[] {
  const what = describeManifest(desired, namespace);
  if (!live) return [`${what} is missing`];
  if (isSecret(desired)) {
    const want = secretData(desired);
    const have = isRecord(live.data) ? live.data : {};
    const { data: _d, stringData: _s, ...rest } = desired;
    const changed = Object.keys(want)
      .filter(k => !sameScalar(want[k], have[k]))
      .map(k => `${what}: data.${k} differs`);
    return [
      ...changed,
      ...leafDifferences(
        appliedFields(rest as Record<string, Json>),
        appliedFields(live),
      ).map(([p]) => `${what}: ${p} differs`),
    ];
  }
  return leafDifferences(
    appliedFields(desired as Record<string, Json>),
    appliedFields(live),
  ).map(([p, want, have]) =>
    have === undefined && typeof want === 'object' && want !== null
      ? `${what}: ${p} is missing`
      : `${what}: ${p || 'the object'} is ${show(have)}, want ${show(want)}`,
  );
}
