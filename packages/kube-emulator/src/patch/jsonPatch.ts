/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { jsonEqual } from '../util';

/** Thrown for patches that cannot be applied; the API layer turns it into a Status. */
export class PatchError extends Error {
  constructor(
    message: string,
    /** 422 for JSON patch failures (as the API server answers), 400 for malformed patches */
    readonly code: 400 | 422 = 422,
  ) {
    super(message);
    this.name = 'PatchError';
  }
}

export function deepClone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) {
    throw new PatchError(`invalid JSON pointer: "${path}"`, 400);
  }
  return path
    .slice(1)
    .split('/')
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function arrayIndex(arr: unknown[], token: string, forAdd: boolean): number {
  if (forAdd && token === '-') return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) {
    throw new PatchError(`invalid array index: ${token}`);
  }
  const i = Number(token);
  if (i > arr.length || (!forAdd && i === arr.length)) {
    throw new PatchError(`array index out of bounds: ${token}`);
  }
  return i;
}

/** Resolves the parent container of a pointer; throws when a step is missing. */
function parentOf(doc: any, tokens: string[], path: string) {
  let cur = doc;
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i];
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, t, false)];
    else if (isObject(cur) && t in cur) cur = cur[t];
    else {
      throw new PatchError(`doc is missing path: "${path}": missing value`);
    }
  }
  return cur;
}

function getAt(doc: any, path: string): unknown {
  const tokens = parsePointer(path);
  let cur = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, t, false)];
    else if (isObject(cur) && t in cur) cur = cur[t];
    else throw new PatchError(`doc is missing path: "${path}": missing value`);
  }
  return cur;
}

function addAt(doc: any, path: string, value: unknown): any {
  const tokens = parsePointer(path);
  if (!tokens.length) return value;
  const parent = parentOf(doc, tokens, path);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(parent, last, true), 0, value);
  } else if (isObject(parent)) {
    parent[last] = value;
  } else {
    throw new PatchError(`doc is missing path: "${path}": missing value`);
  }
  return doc;
}

function removeAt(doc: any, path: string): any {
  const tokens = parsePointer(path);
  if (!tokens.length) throw new PatchError('cannot remove the whole document');
  const parent = parentOf(doc, tokens, path);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(parent, last, false), 1);
  } else if (isObject(parent) && last in parent) {
    delete parent[last];
  } else {
    throw new PatchError(
      `Unable to remove nonexistent key: ${last}: missing value`,
    );
  }
  return doc;
}

/** Applies an RFC 6902 JSON patch to a copy of `target`. */
export function applyJsonPatch(target: unknown, patch: unknown): any {
  if (!Array.isArray(patch)) {
    throw new PatchError(
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
      400,
    );
  }
  let doc = deepClone(target);
  // Bounded by the patch length: one pass over the operations.
  for (const op of patch) {
    if (!isObject(op) || typeof op.op !== 'string') {
      throw new PatchError('Unexpected kind: missing op', 400);
    }
    const path = op.path;
    if (typeof path !== 'string') {
      throw new PatchError(`${op.op} operation missing path`, 400);
    }
    switch (op.op) {
      case 'add':
        if (!('value' in op))
          throw new PatchError(
            'add operation does not apply: doc is missing value',
            400,
          );
        doc = addAt(doc, path, deepClone(op.value));
        break;
      case 'remove':
        doc = removeAt(doc, path);
        break;
      case 'replace': {
        getAt(doc, path);
        const tokens = parsePointer(path);
        if (!tokens.length) {
          doc = deepClone(op.value);
        } else {
          doc = removeAt(doc, path);
          doc = addAt(doc, path, deepClone(op.value));
        }
        break;
      }
      case 'move': {
        if (typeof op.from !== 'string')
          throw new PatchError('move operation missing from', 400);
        const value = getAt(doc, op.from);
        doc = removeAt(doc, op.from);
        doc = addAt(doc, path, value);
        break;
      }
      case 'copy': {
        if (typeof op.from !== 'string')
          throw new PatchError('copy operation missing from', 400);
        doc = addAt(doc, path, deepClone(getAt(doc, op.from)));
        break;
      }
      case 'test': {
        const actual = getAt(doc, path);
        if (!jsonEqual(actual, op.value)) {
          throw new PatchError(`testing value ${path} failed: test failed`);
        }
        break;
      }
      default:
        throw new PatchError(`Unexpected kind: ${op.op}`, 400);
    }
  }
  return doc;
}

/** Applies an RFC 7386 JSON merge patch to a copy of `target`. */
export function applyMergePatch(target: unknown, patch: unknown): any {
  return mergeInto(deepClone(target), patch);
}

function mergeInto(target: unknown, patch: unknown): any {
  if (!isObject(patch)) return deepClone(patch);
  const result: Record<string, any> = isObject(target) ? target : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete result[k];
    else result[k] = mergeInto(result[k], v);
  }
  return result;
}
