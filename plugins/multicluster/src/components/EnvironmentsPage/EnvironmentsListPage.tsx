/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { Box, Tooltip, Typography } from '@material-ui/core';
import {
  Content,
  ContentHeader,
  Header,
  Link,
  LinkButton,
  Page,
  ResponseErrorPanel,
  SupportButton,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  Environment,
  MulticlusterApi,
} from '@archipelago/multicluster-common';
import { multiclusterApiRef } from '../../api';
import { formatRelativeTime, formatTimestamp, ttlLeft } from '../../lib/format';
import { useClustersLink, useEnvironmentLink } from '../../lib/links';
import { EnvironmentStatusIndicator } from '../../lib/status';
import { useRefreshingAsync } from '../../lib/useRefreshingAsync';
import {
  ACTIVE_ENVIRONMENT_STATUSES,
  componentProgress,
} from '../shared/EnvironmentProgress';
import { OwnerLink } from '../shared/OwnerLink';
import { StaleDataWarning } from '../shared/StaleDataWarning';

/** The page's heading; stable for end-to-end tests. */
export const ENVIRONMENTS_PAGE_TITLE = 'Environments';

/** Poll quickly while something is being created or destroyed. */
function refreshInterval(envs: Environment[] | undefined): number {
  return envs?.some(e => ACTIVE_ENVIRONMENT_STATUSES.includes(e.status))
    ? 5_000
    : 60_000;
}

/** Every page of `GET /environments`, up to 20 pages of 500. */
async function listAllEnvironments(
  api: MulticlusterApi,
  signal: AbortSignal,
): Promise<Environment[]> {
  const all: Environment[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const result = await api.listEnvironments(
      { limit: 500, ...(cursor ? { cursor } : {}) },
      { signal },
    );
    all.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return all;
}

/**
 * Every environment: status, owner, type, cloud and TTL. Environments are
 * few (each one is real infrastructure), so the list is loaded whole and
 * searched in the browser.
 */
export function EnvironmentsListPage() {
  const api = useApi(multiclusterApiRef);
  const environmentLink = useEnvironmentLink();
  const clustersLink = useClustersLink();
  const state = useRefreshingAsync(
    signal => listAllEnvironments(api, signal),
    [api],
    {
      intervalMs: refreshInterval,
    },
  );
  const now = Date.now();

  const columns: TableColumn<Environment>[] = [
    {
      title: 'Name',
      field: 'name',
      highlight: true,
      render: e =>
        environmentLink ? (
          <Link to={environmentLink(e.name)}>{e.name}</Link>
        ) : (
          e.name
        ),
    },
    {
      title: 'Status',
      field: 'status',
      render: e => {
        const { ready, total } = componentProgress(e);
        return (
          <>
            <EnvironmentStatusIndicator status={e.status} />
            {(e.status === 'provisioning' || e.status === 'pending') && (
              <Typography
                variant="caption"
                display="block"
                color="textSecondary"
              >
                {ready} of {total} components ready
              </Typography>
            )}
            {e.components.some(c => c.status === 'drifted') && (
              <Typography variant="caption" display="block" color="secondary">
                drift detected
              </Typography>
            )}
          </>
        );
      },
    },
    {
      title: 'Owner',
      field: 'owner',
      render: e => <OwnerLink owner={e.owner} />,
    },
    { title: 'Type', field: 'type' },
    { title: 'Cloud', field: 'cloud' },
    {
      title: 'TTL',
      field: 'expiresAt',
      render: e => (
        <Tooltip
          title={
            e.expiresAt
              ? `Expires ${formatTimestamp(e.expiresAt)}`
              : 'Lives until deleted'
          }
        >
          <span>{ttlLeft(e.expiresAt, now).text}</span>
        </Tooltip>
      ),
    },
    {
      title: 'Created',
      field: 'createdAt',
      defaultSort: 'desc',
      render: e => (
        <Tooltip title={formatTimestamp(e.createdAt)}>
          <span>{formatRelativeTime(e.createdAt, now)}</span>
        </Tooltip>
      ),
    },
  ];

  return (
    <Page themeId="tool">
      <Header
        title={ENVIRONMENTS_PAGE_TITLE}
        subtitle="Development and production environments created from component templates"
      />
      <Content>
        <ContentHeader title="All environments">
          {clustersLink && (
            <LinkButton to={clustersLink()} variant="outlined">
              Clusters
            </LinkButton>
          )}
          <SupportButton>
            Create environments with the "Create an environment" software
            template; each one is a set of components (network, cluster,
            database, object store) from the type and cloud you pick.
          </SupportButton>
        </ContentHeader>
        {state.refreshError && (
          <Box mb={2}>
            <StaleDataWarning
              error={state.refreshError}
              loadedAt={state.loadedAt}
            />
          </Box>
        )}
        {state.error ? (
          <ResponseErrorPanel
            title="Could not load environments"
            error={state.error}
          />
        ) : (
          <Table<Environment>
            title={
              state.value
                ? `${ENVIRONMENTS_PAGE_TITLE} (${state.value.length})`
                : ENVIRONMENTS_PAGE_TITLE
            }
            columns={columns}
            data={state.value ?? []}
            isLoading={state.loading}
            options={{
              paging: true,
              pageSize: 20,
              search: true,
              padding: 'dense',
              draggable: false,
            }}
            emptyContent={
              <Box p={4} textAlign="center">
                <Typography variant="body1">
                  No environments yet. Create one with the "Create an
                  environment" template.
                </Typography>
              </Box>
            }
          />
        )}
      </Content>
    </Page>
  );
}
