/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { badRequest } from '../api/status';

/** One requirement of a label selector, in the API server's terms. */
export interface LabelRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

export type LabelSelector = LabelRequirement[];

// Keys are qualified names with an optional DNS prefix; values are at most 63 chars.
const KEY_RE =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(key: string, raw: string) {
  if (!KEY_RE.test(key) || key.length > 316) {
    throw badRequest(
      `unable to parse requirement: invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (in selector "${raw}")`,
    );
  }
}

function checkValue(value: string, raw: string) {
  if (!VALUE_RE.test(value) || value.length > 63) {
    throw badRequest(
      `unable to parse requirement: invalid label value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (in selector "${raw}")`,
    );
  }
}

/**
 * Parses the string form of a label selector (`a=b,c!=d,e in (f,g),h notin (i),j,!k`), as
 * `?labelSelector=` carries it. Throws a 400 Status on syntax errors, like the API server.
 */
export function parseLabelSelector(
  raw: string | undefined | null,
): LabelSelector {
  const input = (raw ?? '').trim();
  if (!input) return [];
  const result: LabelRequirement[] = [];
  let i = 0;
  const n = input.length;
  const skipSpace = () => {
    while (i < n && input[i] === ' ') i++;
  };
  const readIdent = () => {
    const start = i;
    while (i < n && !' ,=!()'.includes(input[i])) i++;
    return input.slice(start, i);
  };
  const fail = (why: string): never => {
    throw badRequest(
      `unable to parse requirement: ${why} (in selector "${raw}")`,
    );
  };
  // A bounded scan: every iteration consumes at least one character or throws.
  while (i < n) {
    skipSpace();
    let negated = false;
    if (input[i] === '!') {
      negated = true;
      i++;
      skipSpace();
    }
    const key = readIdent();
    if (!key) fail(`found '${input[i] ?? ''}', expected: identifier`);
    checkKey(key, raw!);
    skipSpace();
    if (negated) {
      result.push({ key, operator: 'DoesNotExist', values: [] });
    } else if (i >= n || input[i] === ',') {
      result.push({ key, operator: 'Exists', values: [] });
    } else if (input.startsWith('==', i) || input[i] === '=') {
      i += input.startsWith('==', i) ? 2 : 1;
      skipSpace();
      const value = readIdent();
      checkValue(value, raw!);
      result.push({ key, operator: 'In', values: [value] });
    } else if (input.startsWith('!=', i)) {
      i += 2;
      skipSpace();
      const value = readIdent();
      checkValue(value, raw!);
      result.push({ key, operator: 'NotIn', values: [value] });
    } else {
      const word = readIdent();
      if (word !== 'in' && word !== 'notin') {
        fail(`found '${word}', expected: in, notin, =, ==, !=, gt, lt`);
      }
      skipSpace();
      if (input[i] !== '(') fail(`found '${input[i] ?? ''}', expected: '('`);
      i++;
      const values: string[] = [];
      for (;;) {
        skipSpace();
        const value = readIdent();
        checkValue(value, raw!);
        if (value) values.push(value);
        skipSpace();
        if (input[i] === ',') {
          i++;
          continue;
        }
        if (input[i] === ')') {
          i++;
          break;
        }
        fail(`found '${input[i] ?? ''}', expected: ',', ')' or identifier`);
      }
      if (values.length === 0 && word === 'in') {
        fail("for 'in', 'notin' operators, values set can't be empty");
      }
      result.push({ key, operator: word === 'in' ? 'In' : 'NotIn', values });
    }
    skipSpace();
    if (i < n) {
      if (input[i] !== ',') fail(`found '${input[i]}', expected: ','`);
      i++;
      if (i >= n) fail("found '', expected: identifier");
    }
  }
  return result;
}

/** A metav1.LabelSelector as workloads carry it in spec.selector. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: string;
    values?: string[];
  }>;
}

/** Turns a structured selector into requirements; a null selector matches nothing. */
export function fromSelectorObject(
  selector: LabelSelectorObject | undefined | null,
): LabelSelector {
  if (!selector) return [];
  const result: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    result.push({ key, operator: 'In', values: [value] });
  }
  for (const e of selector.matchExpressions ?? []) {
    if (
      e.operator === 'In' ||
      e.operator === 'NotIn' ||
      e.operator === 'Exists' ||
      e.operator === 'DoesNotExist'
    ) {
      result.push({ key: e.key, operator: e.operator, values: e.values ?? [] });
    }
  }
  return result;
}

export function matchesLabels(
  selector: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  for (const r of selector) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.operator) {
      case 'In':
        if (!has || !r.values.includes(l[r.key])) return false;
        break;
      case 'NotIn':
        if (has && r.values.includes(l[r.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Formats requirements back to the string form (used for Scale.status.selector and tables). */
export function formatSelector(selector: LabelSelector): string {
  return selector
    .map(r => {
      switch (r.operator) {
        case 'In':
          return r.values.length === 1
            ? `${r.key}=${r.values[0]}`
            : `${r.key} in (${[...r.values].sort().join(',')})`;
        case 'NotIn':
          return r.values.length === 1
            ? `${r.key}!=${r.values[0]}`
            : `${r.key} notin (${[...r.values].sort().join(',')})`;
        case 'Exists':
          return r.key;
        default:
          return `!${r.key}`;
      }
    })
    .join(',');
}

/** One term of a field selector. */
export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/**
 * Parses `?fieldSelector=` (`metadata.name=x,status.phase!=Failed`). Only the operators the API
 * server supports for fields (=, ==, !=) are accepted; `allowed` lists the field labels this
 * resource supports, and others are refused with the API server's message.
 */
export function parseFieldSelector(
  raw: string | undefined | null,
  allowed: readonly string[],
): FieldRequirement[] {
  const input = (raw ?? '').trim();
  if (!input) return [];
  const result: FieldRequirement[] = [];
  for (const term of input.split(',')) {
    const t = term.trim();
    if (!t) continue;
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(t);
    if (!m) {
      throw badRequest(`invalid selector: '${raw}'; can't understand '${t}'`);
    }
    const field = m[1];
    if (!allowed.includes(field)) {
      throw badRequest(`field label not supported: ${field}`);
    }
    result.push({ field, op: m[2] === '!=' ? '!=' : '=', value: m[3] });
  }
  return result;
}

function fieldValue(obj: Record<string, any>, path: string): string {
  let cur: any = obj;
  for (const part of path.split('.')) {
    if (cur === null || cur === undefined) return '';
    cur = cur[part];
  }
  if (cur === null || cur === undefined) return '';
  return String(cur);
}

export function matchesFields(
  selector: FieldRequirement[],
  obj: Record<string, any>,
): boolean {
  for (const r of selector) {
    const v = fieldValue(obj, r.field);
    if (r.op === '=' ? v !== r.value : v === r.value) return false;
  }
  return true;
}
