/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  currentCursor,
  DEFAULT_FILTERS,
  filtersFromSearchParams,
  filtersToSearchParams,
  FIRST_PAGE,
  nextPage,
  pageIndex,
  pageRangeText,
  previousPage,
  toListRequest,
} from './clusterQuery';

describe('filtersFromSearchParams', () => {
  it.each([
    ['', DEFAULT_FILTERS],
    [
      'cloud=aws&health=degraded',
      { ...DEFAULT_FILTERS, cloud: 'aws', health: 'degraded' },
    ],
    ['cloud=mars&health=sad&sort=size&limit=7', DEFAULT_FILTERS],
    [
      'selector=env%3Dprod&q=eu&sort=health&limit=100',
      {
        ...DEFAULT_FILTERS,
        selector: 'env=prod',
        q: 'eu',
        sort: 'health',
        limit: 100,
      },
    ],
    [
      'sort=health&order=desc',
      { ...DEFAULT_FILTERS, sort: 'health', order: 'desc' },
    ],
    ['order=sideways', DEFAULT_FILTERS],
  ])('reads %p', (query, expected) => {
    expect(filtersFromSearchParams(new URLSearchParams(query))).toEqual(
      expected,
    );
  });

  it('round-trips through the URL form', () => {
    const filters = {
      cloud: 'gcp' as const,
      health: 'unreachable' as const,
      selector: 'tier in (a,b)',
      q: 'x',
      sort: 'cloud' as const,
      order: 'desc' as const,
      limit: 50,
    };
    expect(filtersFromSearchParams(filtersToSearchParams(filters))).toEqual(
      filters,
    );
  });

  it('leaves defaults out of the URL', () => {
    expect(filtersToSearchParams(DEFAULT_FILTERS).toString()).toBe('');
  });
});

describe('toListRequest', () => {
  it('sends only what is set, trimmed', () => {
    expect(
      toListRequest(
        { ...DEFAULT_FILTERS, selector: ' env=prod ', q: '  ' },
        undefined,
      ),
    ).toEqual({
      limit: 25,
      sort: 'name',
      selector: 'env=prod',
    });
  });

  it('passes the cursor and every filter', () => {
    expect(
      toListRequest(
        {
          cloud: 'aws',
          health: 'healthy',
          selector: '',
          q: 'eu',
          sort: 'health',
          order: 'desc',
          limit: 100,
        },
        'c2',
      ),
    ).toEqual({
      cloud: 'aws',
      health: 'healthy',
      q: 'eu',
      sort: 'health',
      order: 'desc',
      limit: 100,
      cursor: 'c2',
    });
  });
});

describe('cursor paging', () => {
  it('goes forward with the server cursor and back through the kept ones', () => {
    let state = FIRST_PAGE;
    expect(currentCursor(state)).toBeUndefined();
    state = nextPage(state, 'c1');
    state = nextPage(state, 'c2');
    expect(pageIndex(state)).toBe(2);
    expect(currentCursor(state)).toBe('c2');
    state = previousPage(state);
    expect(currentCursor(state)).toBe('c1');
    state = previousPage(previousPage(state));
    expect(state).toEqual(FIRST_PAGE);
  });

  it('stays on the last page when there is no next cursor', () => {
    const state = nextPage(FIRST_PAGE, 'c1');
    expect(nextPage(state, undefined)).toBe(state);
  });

  it.each([
    [FIRST_PAGE, 25, 25, 5000, '1–25 of 5,000'],
    [nextPage(FIRST_PAGE, 'c'), 25, 25, 5000, '26–50 of 5,000'],
    [nextPage(FIRST_PAGE, 'c'), 25, 3, 28, '26–28 of 28'],
    [FIRST_PAGE, 25, 0, 0, '0 of 0'],
  ])('describes the range', (state, limit, shown, total, text) => {
    expect(pageRangeText(state, limit, shown, total)).toBe(text);
  });
});
