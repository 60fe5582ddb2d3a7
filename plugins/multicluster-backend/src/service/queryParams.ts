/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type ClusterCloud,
  type ClusterHealth,
  type MulticlusterLimits,
  parseBoundedSelector,
} from '@archipelago/multicluster-common';
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import type {
  ClusterListQuery,
  ClusterSort,
} from '../inventory/InventoryStore';
import { type ClusterOrder, cursorSortKey } from '../inventory/types';

/**
 * Semantic checks of query parameters that openapi.yaml cannot express. The
 * validator has already checked names, types, enums and bounds; what is left
 * is the selector (syntax and limits) and the contents of a cursor. Each
 * problem is a 400 naming the parameter.
 */

/** Values per keyset cursor of each sort (the store's ORDER BY columns). */
const CURSOR_VALUES: Record<ClusterSort, number> = {
  name: 2,
  health: 3,
  cloud: 3,
  lastProbeAt: 2,
};

const NOT_A_CURSOR =
  'cursor: not a cursor returned by this API (pass nextCursor as is)';

const cursorSchema = z.tuple([
  z.string(),
  z.string(),
  z.array(z.union([z.string(), z.number()])),
]);

/**
 * A cursor of `GET /clusters` must be one the API made for this sort: the
 * store's keyset comparison needs exactly one value per sort column.
 * @internal
 */
export function checkClusterCursor(
  cursor: string,
  sort: ClusterSort,
  order?: ClusterOrder,
): void {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InputError(NOT_A_CURSOR);
  }
  const parsed = cursorSchema.safeParse(decoded);
  if (!parsed.success) throw new InputError(NOT_A_CURSOR);
  const [cursorSort, , values] = parsed.data;
  const expected = cursorSortKey(sort, order);
  if (cursorSort !== expected) {
    const [madeSort, madeOrder = 'asc'] = String(cursorSort)
      .slice(0, 20)
      .split(':');
    throw new InputError(
      `cursor: it was made for sort=${madeSort}&order=${madeOrder}, not sort=${sort}&order=${
        order ?? 'asc'
      }; keep selector, cloud, health, q, sort and order unchanged while paging`,
    );
  }
  if (values.length !== CURSOR_VALUES[sort]) throw new InputError(NOT_A_CURSOR);
}

/** A comma-separated list as the validator leaves it (string or string[]). @internal */
export function csv<T extends string>(value: unknown): T[] | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value])
    .flatMap(v => String(v).split(','))
    .map(s => s.trim())
    .filter(Boolean);
  return parts.length ? ([...new Set(parts)] as T[]) : undefined;
}

/** The validated query of `GET /clusters`, as the store takes it. @internal */
export function clusterListQuery(
  query: Record<string, unknown>,
  limits: Pick<MulticlusterLimits, 'selectorLength' | 'selectorRequirements'>,
): ClusterListQuery {
  const sort = (query.sort as ClusterSort | undefined) ?? 'name';
  const order = (query.order as ClusterOrder | undefined) ?? 'asc';
  const cursor = query.cursor as string | undefined;
  if (cursor !== undefined) checkClusterCursor(cursor, sort, order);
  const selectorText = query.selector as string | undefined;
  const q = (query.q as string | undefined)?.trim();
  return {
    selector:
      selectorText !== undefined && selectorText.trim() !== ''
        ? parseBoundedSelector(selectorText, limits)
        : undefined,
    clouds: csv<ClusterCloud>(query.cloud),
    healths: csv<ClusterHealth>(query.health),
    q: q ? q : undefined,
    limit: query.limit === undefined ? 50 : Number(query.limit),
    cursor,
    sort,
    order,
  };
}

/**
 * `clusterLimit` of `GET /entities/...` (the validator checked it is an
 * integer from 1 to 500): undefined when absent, meaning every cluster.
 * @internal
 */
export function entityClusterLimit(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 500) {
    throw new InputError(
      'clusterLimit: must be an integer from 1 to 500 (omit it for every cluster)',
    );
  }
  return n;
}
