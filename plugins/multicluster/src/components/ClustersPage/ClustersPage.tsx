/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Box, Button, Grid, Typography } from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  Content,
  ContentHeader,
  Header,
  LinkButton,
  Page,
  ResponseErrorPanel,
  SupportButton,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { multiclusterApiRef } from '../../api';
import {
  ClusterFilters as Filters,
  currentCursor,
  filtersFromSearchParams,
  filtersToSearchParams,
  FIRST_PAGE,
  nextPage,
  pageIndex,
  pageRangeText,
  PagingState,
  previousPage,
  toListRequest,
} from '../../lib/clusterQuery';
import { useEnvironmentsLink } from '../../lib/links';
import { useRefreshingAsync } from '../../lib/useRefreshingAsync';
import { StaleDataWarning } from '../shared/StaleDataWarning';
import { ClusterFilters } from './ClusterFilters';
import { ClusterPagination } from './ClusterPagination';
import { ClustersTable } from './ClustersTable';
import { InventorySummaryCards } from './InventorySummaryCards';

/** The page's heading; stable for end-to-end tests. */
export const CLUSTERS_PAGE_TITLE = 'Clusters';

const SUMMARY_REFRESH_MS = 60_000;

/**
 * Every cluster in the inventory: counts from `/summary`, then one page of
 * `/clusters` at a time. Nothing here ever loads the whole fleet; filters,
 * sorting and paging all go to the server, and typing is debounced.
 */
export function ClustersPage() {
  const api = useApi(multiclusterApiRef);
  const alertApi = useApi(alertApiRef);
  const environmentsLink = useEnvironmentsLink();
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = useMemo(
    () => filtersFromSearchParams(searchParams),
    [searchParams],
  );

  const setFilters = useCallback(
    (change: Partial<Filters>) =>
      setSearchParams(
        filtersToSearchParams({
          ...filtersFromSearchParams(searchParams),
          ...change,
        }),
        {
          replace: true,
        },
      ),
    [searchParams, setSearchParams],
  );

  // Paging belongs to one query: a cursor sent with other filters is
  // meaningless (the server rejects it), so a filter change starts over.
  const queryKey = filtersToSearchParams(filters).toString();
  const [paging, setPaging] = useState<{ key: string; state: PagingState }>({
    key: queryKey,
    state: FIRST_PAGE,
  });
  const pagingState = paging.key === queryKey ? paging.state : FIRST_PAGE;
  const cursor = currentCursor(pagingState);

  const page = useRefreshingAsync(
    signal => api.listClusters(toListRequest(filters, cursor), { signal }),
    [api, queryKey, cursor],
    { keepPrevious: true },
  );
  const summary = useRefreshingAsync(
    signal => api.getSummary({ signal }),
    [api],
    {
      intervalMs: SUMMARY_REFRESH_MS,
    },
  );

  const [rediscovering, setRediscovering] = useState(false);
  const rediscover = async () => {
    setRediscovering(true);
    try {
      // The server says what it did: scheduled, or already running on a replica.
      const result = await api.refreshClusters();
      alertApi.post({
        message: result?.message ?? 'Cluster discovery and probing started',
        severity: 'info',
        display: 'transient',
      });
      summary.refresh();
      page.refresh();
    } catch (e) {
      alertApi.post({
        message: `Could not start discovery: ${(e as Error).message}`,
        severity: 'error',
      });
    } finally {
      setRediscovering(false);
    }
  };

  const items = page.value?.items ?? [];
  const total = page.value?.totalItems;
  const anyFilter = Boolean(
    filters.cloud ||
      filters.health ||
      filters.selector.trim() ||
      filters.q.trim(),
  );

  return (
    <Page themeId="tool">
      <Header
        title={CLUSTERS_PAGE_TITLE}
        subtitle="Every Kubernetes cluster Archipelago discovered, across clouds, with observed health"
      />
      <Content>
        <ContentHeader title="Inventory">
          {environmentsLink && (
            <LinkButton to={environmentsLink()} variant="outlined">
              Environments
            </LinkButton>
          )}
          <Button
            variant="contained"
            color="primary"
            startIcon={<RefreshIcon />}
            onClick={rediscover}
            disabled={rediscovering}
          >
            Rediscover
          </Button>
          <SupportButton>
            Health is read from what the prober stored; no page load waits on a
            cluster. Filter with a Kubernetes label selector, e.g. env=prod,
            tier in (web,api), !legacy.
          </SupportButton>
        </ContentHeader>
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <InventorySummaryCards
              summary={summary.value}
              error={summary.error}
              loading={summary.loading}
              health={filters.health}
              cloud={filters.cloud}
              onHealth={health => setFilters({ health })}
              onCloud={cloud => setFilters({ cloud })}
            />
          </Grid>
          <Grid item xs={12}>
            <ClusterFilters
              cloud={filters.cloud}
              health={filters.health}
              sort={filters.sort}
              selector={filters.selector}
              q={filters.q}
              onCloud={cloud => setFilters({ cloud })}
              onHealth={health => setFilters({ health })}
              onSort={sort => setFilters({ sort })}
              onSelector={selector => setFilters({ selector })}
              onSearch={q => setFilters({ q })}
            />
          </Grid>
          <Grid item xs={12}>
            {page.refreshError && (
              <Box mb={2}>
                <StaleDataWarning
                  error={page.refreshError}
                  loadedAt={page.loadedAt}
                />
              </Box>
            )}
            {page.error ? (
              <ResponseErrorPanel
                title="Could not load clusters"
                error={page.error}
              />
            ) : (
              <>
                <ClustersTable
                  clusters={items}
                  totalItems={total}
                  loading={page.loading}
                  emptyContent={
                    <Box p={4} textAlign="center">
                      <Typography variant="body1">
                        {anyFilter
                          ? 'No cluster matches these filters.'
                          : 'No clusters yet. Configure a cluster provider in app-config (multicluster.providers).'}
                      </Typography>
                    </Box>
                  }
                />
                <ClusterPagination
                  rangeText={pageRangeText(
                    pagingState,
                    filters.limit,
                    items.length,
                    total ?? 0,
                  )}
                  limit={filters.limit}
                  hasPrevious={pageIndex(pagingState) > 0}
                  hasNext={Boolean(page.value?.nextCursor)}
                  disabled={page.loading}
                  onPrevious={() =>
                    setPaging({
                      key: queryKey,
                      state: previousPage(pagingState),
                    })
                  }
                  onNext={() =>
                    setPaging({
                      key: queryKey,
                      state: nextPage(pagingState, page.value?.nextCursor),
                    })
                  }
                  onLimit={limit => setFilters({ limit })}
                />
              </>
            )}
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
