/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  CLUSTER_CLOUDS,
  CLUSTER_HEALTHS,
  ClusterCloud,
  ClusterHealth,
  ListClustersRequest,
} from '@archipelago/multicluster-common';

/**
 * Sort fields `GET /clusters` accepts, each ascending or descending: the
 * server pages with keyset cursors over these column sets, so either
 * direction is one index scan.
 */
export const CLUSTER_SORT_FIELDS = [
  'name',
  'health',
  'cloud',
  'lastProbeAt',
] as const;
export type ClusterSortField = (typeof CLUSTER_SORT_FIELDS)[number];

export const CLUSTER_SORT_LABELS: Record<ClusterSortField, string> = {
  name: 'Name',
  health: 'Health (best first)',
  cloud: 'Cloud',
  lastProbeAt: 'Last probe (oldest first)',
};

/** Directions of the sort (`order` of `GET /clusters`). */
export const CLUSTER_SORT_ORDERS = ['asc', 'desc'] as const;
export type ClusterSortOrder = (typeof CLUSTER_SORT_ORDERS)[number];

/** What descending means for each field, for the direction button. */
export const CLUSTER_SORT_DESC_LABELS: Record<ClusterSortField, string> = {
  name: 'Name, Z to A',
  health: 'Health, worst first',
  cloud: 'Cloud, Z to A',
  lastProbeAt: 'Last probe, newest first',
};

/** Rows per page offered; the server allows up to 500 but a page must render fast. */
export const PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

/** What the user chose on the clusters page; mirrored in the URL. */
export interface ClusterFilters {
  cloud?: ClusterCloud;
  health?: ClusterHealth;
  /** Label selector text, as typed (validated before use). */
  selector: string;
  /** Free text. */
  q: string;
  sort: ClusterSortField;
  order: ClusterSortOrder;
  limit: number;
}

export const DEFAULT_FILTERS: ClusterFilters = {
  selector: '',
  q: '',
  sort: 'name',
  order: 'asc',
  limit: DEFAULT_PAGE_SIZE,
};

function oneOf<T extends string>(
  values: readonly T[],
  value: string | null,
): T | undefined {
  return value !== null && (values as readonly string[]).includes(value)
    ? (value as T)
    : undefined;
}

/**
 * Reads filters from the page URL (`?cloud=aws&health=degraded&selector=…`).
 * Unknown values are dropped rather than sent: a stale bookmark should show
 * all clusters, not an error.
 */
export function filtersFromSearchParams(
  params: URLSearchParams,
): ClusterFilters {
  const limit = Number(params.get('limit'));
  return {
    cloud: oneOf(CLUSTER_CLOUDS, params.get('cloud')),
    health: oneOf(CLUSTER_HEALTHS, params.get('health')),
    selector: params.get('selector') ?? '',
    q: params.get('q') ?? '',
    sort:
      oneOf(CLUSTER_SORT_FIELDS, params.get('sort')) ?? DEFAULT_FILTERS.sort,
    order:
      oneOf(CLUSTER_SORT_ORDERS, params.get('order')) ?? DEFAULT_FILTERS.order,
    limit: (PAGE_SIZES as readonly number[]).includes(limit)
      ? limit
      : DEFAULT_PAGE_SIZE,
  };
}

/** The URL form of the filters; defaults are left out to keep links short. */
export function filtersToSearchParams(
  filters: ClusterFilters,
): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.cloud) params.set('cloud', filters.cloud);
  if (filters.health) params.set('health', filters.health);
  if (filters.selector.trim()) params.set('selector', filters.selector);
  if (filters.q.trim()) params.set('q', filters.q);
  if (filters.sort !== DEFAULT_FILTERS.sort) params.set('sort', filters.sort);
  if (filters.order !== DEFAULT_FILTERS.order)
    params.set('order', filters.order);
  if (filters.limit !== DEFAULT_PAGE_SIZE)
    params.set('limit', String(filters.limit));
  return params;
}

/**
 * The request for one page. `selector` must already be validated; blank text
 * fields are left out so the server does no needless filtering.
 */
export function toListRequest(
  filters: ClusterFilters,
  cursor: string | undefined,
): ListClustersRequest {
  const request: ListClustersRequest = {
    limit: filters.limit,
    sort: filters.sort,
  };
  if (filters.order === 'desc') request.order = 'desc';
  if (filters.cloud) request.cloud = filters.cloud;
  if (filters.health) request.health = filters.health;
  if (filters.selector.trim()) request.selector = filters.selector.trim();
  if (filters.q.trim()) request.q = filters.q.trim();
  if (cursor) request.cursor = cursor;
  return request;
}

/**
 * Where the user is in a cursor-paged list. The server only goes forward, so
 * the cursors of the pages already seen are kept to go back.
 */
export interface PagingState {
  /** `cursors[i]` fetches page i; page 0 has none. */
  cursors: Array<string | undefined>;
}

export const FIRST_PAGE: PagingState = { cursors: [undefined] };

export function currentCursor(state: PagingState): string | undefined {
  return state.cursors[state.cursors.length - 1];
}

export function pageIndex(state: PagingState): number {
  return state.cursors.length - 1;
}

export function nextPage(
  state: PagingState,
  nextCursor: string | undefined,
): PagingState {
  return nextCursor ? { cursors: [...state.cursors, nextCursor] } : state;
}

export function previousPage(state: PagingState): PagingState {
  return state.cursors.length > 1
    ? { cursors: state.cursors.slice(0, -1) }
    : state;
}

/** `26–50 of 5,000`, as under Material UI tables. */
export function pageRangeText(
  state: PagingState,
  limit: number,
  shown: number,
  total: number,
): string {
  if (total === 0 || shown === 0) {
    return `0 of ${total.toLocaleString('en-US')}`;
  }
  const from = pageIndex(state) * limit + 1;
  const to = from + shown - 1;
  return `${from.toLocaleString('en-US')}–${to.toLocaleString(
    'en-US',
  )} of ${total.toLocaleString('en-US')}`;
}
