/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  CLUSTER_CLOUDS,
  CLUSTER_HEALTHS,
  type ClusterHealth,
  type LabelSelector,
  LABEL_SELECTOR_SYNTAX,
  LabelSelectorError,
  parseLabelSelector,
} from '@archipelago/multicluster-common';
import { InputError } from '@backstage/errors';
import {
  CLUSTER_SORTS,
  type ClusterListQuery,
  type ClusterSort,
} from '../inventory/InventoryStore';

type RawQuery = Record<string, unknown>;

const LIST_PARAMS = [
  'selector',
  'cloud',
  'health',
  'q',
  'limit',
  'cursor',
  'sort',
] as const;

function single(query: RawQuery, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new InputError(
      `Invalid query parameter ${name}: give it once, as a string`,
    );
  }
  return value;
}

/** `cloud=aws,gcp` or `cloud=aws&cloud=gcp`; each value must be allowed. */
function multi<T extends string>(
  query: RawQuery,
  name: string,
  allowed: readonly T[],
): T[] | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap(v => {
    if (typeof v !== 'string') {
      throw new InputError(
        `Invalid query parameter ${name}: expected one or more of ${allowed.join(
          ', ',
        )}`,
      );
    }
    return v
      .split(',')
      .map(s => s.trim())
      .filter(Boolean);
  });
  for (const p of parts) {
    if (!allowed.includes(p as T)) {
      throw new InputError(
        `Invalid query parameter ${name}: ${JSON.stringify(
          p.slice(0, 40),
        )} is not one of ${allowed.join(', ')}`,
      );
    }
  }
  return parts.length ? [...new Set(parts as T[])] : undefined;
}

export function parseSelectorParam(
  text: string,
  name = 'selector',
): LabelSelector {
  if (text.length > 2000) {
    throw new InputError(
      `Invalid query parameter ${name}: longer than 2000 characters`,
    );
  }
  try {
    return parseLabelSelector(text);
  } catch (error) {
    if (error instanceof LabelSelectorError) {
      const detail = error.message.replace(/^Invalid label selector:\s*/, '');
      throw new InputError(
        `Invalid query parameter ${name}: ${detail}${
          detail.includes('Allowed syntax')
            ? ''
            : `. Allowed syntax: ${LABEL_SELECTOR_SYNTAX}`
        }`,
      );
    }
    throw error;
  }
}

/**
 * Validates the query of `GET /clusters`. Every error is a 400 naming the
 * parameter and what is allowed; unknown parameters are rejected so a typo
 * (`?healt=`) is not silently ignored.
 */
export function parseListQuery(query: RawQuery): ClusterListQuery {
  for (const key of Object.keys(query)) {
    if (!(LIST_PARAMS as readonly string[]).includes(key)) {
      throw new InputError(
        `Unknown query parameter ${JSON.stringify(
          key.slice(0, 40),
        )}; allowed: ${LIST_PARAMS.join(', ')}`,
      );
    }
  }
  const selectorText = single(query, 'selector');
  const q = single(query, 'q');
  if (q !== undefined && q.length > 200) {
    throw new InputError('Invalid query parameter q: at most 200 characters');
  }
  const limitText = single(query, 'limit');
  let limit = 50;
  if (limitText !== undefined) {
    if (
      !/^\d{1,4}$/.test(limitText) ||
      Number(limitText) < 1 ||
      Number(limitText) > 500
    ) {
      throw new InputError(
        'Invalid query parameter limit: must be an integer from 1 to 500 (default 50)',
      );
    }
    limit = Number(limitText);
  }
  const sortText = single(query, 'sort') ?? 'name';
  if (!(CLUSTER_SORTS as readonly string[]).includes(sortText)) {
    throw new InputError(
      `Invalid query parameter sort: must be one of ${CLUSTER_SORTS.join(
        ', ',
      )}`,
    );
  }
  const cursor = single(query, 'cursor');
  if (cursor !== undefined && (cursor.length === 0 || cursor.length > 4000)) {
    throw new InputError(
      'Invalid query parameter cursor: not a cursor returned by this API (use nextCursor as is)',
    );
  }
  const selector =
    selectorText !== undefined && selectorText.trim() !== ''
      ? parseSelectorParam(selectorText)
      : undefined;
  return {
    selector,
    clouds: multi(query, 'cloud', CLUSTER_CLOUDS),
    healths: multi<ClusterHealth>(query, 'health', CLUSTER_HEALTHS),
    q: q?.trim() ? q.trim() : undefined,
    limit,
    cursor,
    sort: sortText as ClusterSort,
  };
}

/** Path ids are slugs; anything else cannot be a cluster. */
export function parseClusterId(id: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,127}$/.test(id)) {
    throw new InputError(
      'Invalid path parameter id: a cluster id is lower-case letters, digits and dashes (as returned by GET /clusters)',
    );
  }
  return id;
}

export function rejectQuery(query: RawQuery, allowed: readonly string[] = []) {
  for (const key of Object.keys(query)) {
    if (!allowed.includes(key)) {
      throw new InputError(
        `Unknown query parameter ${JSON.stringify(key.slice(0, 40))}; ${
          allowed.length
            ? `allowed: ${allowed.join(', ')}`
            : 'this endpoint takes none'
        }`,
      );
    }
  }
}
