/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { useParams } from 'react-router-dom';
import {
  Box,
  Chip,
  Grid,
  IconButton,
  Tooltip,
  Typography,
} from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  Content,
  CopyTextButton,
  EmptyState,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  Cluster,
  ClusterCheck,
  ClusterProbe,
  ClusterSource,
} from '@archipelago/multicluster-common';
import { multiclusterApiRef } from '../../api';
import { isNotFound } from '../../lib/errors';
import {
  formatBytes,
  formatCpu,
  formatRelativeTime,
  formatTimestamp,
} from '../../lib/format';
import { useClustersLink, useEnvironmentLink } from '../../lib/links';
import { HealthStatus, ToneStatus } from '../../lib/status';
import { useRefreshingAsync } from '../../lib/useRefreshingAsync';
import { FactList } from '../shared/FactList';
import { HealthHistoryStrip } from '../shared/HealthHistoryStrip';
import { StaleDataWarning } from '../shared/StaleDataWarning';

const REFRESH_MS = 30_000;
/** Probes listed in the history table; the strip shows more. */
const HISTORY_ROWS = 20;

/** The environment that created a cluster, linked when the environments page is installed. */
function EnvironmentName(props: { name?: string }) {
  const environmentLink = useEnvironmentLink();
  if (!props.name) {
    return <>—</>;
  }
  return environmentLink ? (
    <Link to={environmentLink(props.name)}>{props.name}</Link>
  ) : (
    <>{props.name}</>
  );
}

function Overview(props: { cluster: Cluster }) {
  const { cluster } = props;
  const s = cluster.status;
  const now = Date.now();
  return (
    <FactList
      facts={[
        [
          'Health',
          <>
            <HealthStatus health={s.health} />
            {s.reason && (
              <Typography
                variant="body2"
                color="textSecondary"
                component="span"
              >
                {' '}
                — {s.reason}
              </Typography>
            )}
          </>,
        ],
        [
          'API server',
          <Box display="flex" alignItems="center">
            <code>{cluster.url}</code>
            <CopyTextButton
              variant="tertiary"
              text={cluster.url}
              aria-label="Copy API server URL"
            />
          </Box>,
        ],
        ['Cloud', [cluster.cloud, cluster.region].filter(Boolean).join(' · ')],
        ['Distribution', cluster.distribution],
        ['Version', s.version ?? '—'],
        [
          'Kubelets',
          s.kubeletVersions?.length ? s.kubeletVersions.join(', ') : '—',
        ],
        ['Nodes', s.nodes ? `${s.nodes.ready} of ${s.nodes.total} ready` : '—'],
        [
          'Allocatable',
          s.allocatable
            ? `${formatCpu(s.allocatable.cpu)} · ${formatBytes(
                s.allocatable.memoryBytes,
              )} · ${s.allocatable.pods} pods`
            : '—',
        ],
        ['Provider state', s.providerState ?? '—'],
        [
          'Last probe',
          <Tooltip title={formatTimestamp(s.lastProbeAt)}>
            <span>
              {formatRelativeTime(s.lastProbeAt, now)}
              {s.latencyMs !== undefined ? ` (${s.latencyMs} ms)` : ''}
            </span>
          </Tooltip>,
        ],
        [
          'Last discovered',
          <Tooltip title={formatTimestamp(s.lastSeenAt)}>
            <span>{formatRelativeTime(s.lastSeenAt, now)}</span>
          </Tooltip>,
        ],
        ['Environment', <EnvironmentName name={cluster.environment} />],
      ]}
    />
  );
}

const checkColumns: TableColumn<ClusterCheck>[] = [
  { title: 'Check', field: 'name', highlight: true },
  {
    title: 'Result',
    field: 'ok',
    render: c => (
      <ToneStatus tone={c.ok ? 'ok' : 'error'}>
        {c.ok ? 'ok' : 'failed'}
      </ToneStatus>
    ),
  },
  { title: 'Message', field: 'message', render: c => c.message ?? '' },
];

const sourceColumns: TableColumn<ClusterSource>[] = [
  { title: 'Provider', field: 'provider', highlight: true },
  {
    title: 'Provider id',
    field: 'sourceId',
    render: s => <code>{s.sourceId}</code>,
  },
  {
    title: 'Last seen',
    field: 'lastSeenAt',
    render: s => (
      <Tooltip title={formatTimestamp(s.lastSeenAt)}>
        <span>{formatRelativeTime(s.lastSeenAt, Date.now())}</span>
      </Tooltip>
    ),
  },
  {
    title: 'State',
    field: 'stale',
    render: s => (
      <ToneStatus tone={s.stale ? 'warning' : 'ok'}>
        {s.stale ? 'stale' : 'current'}
      </ToneStatus>
    ),
  },
];

const probeColumns: TableColumn<ClusterProbe>[] = [
  {
    title: 'At',
    field: 'at',
    render: p => (
      <Tooltip title={formatTimestamp(p.at)}>
        <span>{formatRelativeTime(p.at, Date.now())}</span>
      </Tooltip>
    ),
  },
  {
    title: 'Health',
    field: 'health',
    render: p => <HealthStatus health={p.health} />,
  },
  { title: 'Latency', field: 'latencyMs', render: p => `${p.latencyMs} ms` },
  { title: 'Reason', field: 'reason' },
];

const tableOptions = {
  paging: false,
  search: false,
  sorting: false,
  draggable: false,
  padding: 'dense',
} as const;

/** One cluster: overview, checks, health history, sources and labels. */
export function ClusterPage() {
  const { id = '' } = useParams();
  const api = useApi(multiclusterApiRef);
  const clustersLink = useClustersLink();
  const cluster = useRefreshingAsync(
    signal => api.getCluster(id, { signal }),
    [api, id],
    {
      intervalMs: REFRESH_MS,
    },
  );
  const health = useRefreshingAsync(
    signal => api.getClusterHealth(id, { signal }),
    [api, id],
    {
      intervalMs: REFRESH_MS,
    },
  );
  const refresh = () => {
    cluster.refresh();
    health.refresh();
  };

  const header = (
    <Header
      title={cluster.value?.title ?? id}
      subtitle={cluster.value?.url}
      type="Cluster"
      typeLink={clustersLink?.()}
    />
  );

  if (cluster.loading) {
    return (
      <Page themeId="tool">
        {header}
        <Content>
          <Progress />
        </Content>
      </Page>
    );
  }
  if (cluster.error || !cluster.value) {
    return (
      <Page themeId="tool">
        {header}
        <Content>
          {isNotFound(cluster.error) ? (
            <EmptyState
              missing="data"
              title="Cluster not found"
              description={`No cluster with id "${id}" is in the inventory. It may have been removed by its provider.`}
              action={
                clustersLink ? (
                  <Link to={clustersLink()}>Back to all clusters</Link>
                ) : undefined
              }
            />
          ) : (
            <ResponseErrorPanel
              title="Could not load the cluster"
              error={cluster.error ?? new Error('No data')}
            />
          )}
        </Content>
      </Page>
    );
  }

  const c = cluster.value;
  const probes = [...(health.value?.history ?? [])].sort(
    (a, b) => Date.parse(b.at) - Date.parse(a.at),
  );
  return (
    <Page themeId="tool">
      {header}
      <Content>
        <Grid container spacing={3}>
          {cluster.refreshError && (
            <Grid item xs={12}>
              <StaleDataWarning
                error={cluster.refreshError}
                loadedAt={cluster.loadedAt}
              />
            </Grid>
          )}
          {c.status.stale && (
            <Grid item xs={12}>
              <WarningPanel
                title="Stale data"
                message="Every provider that lists this cluster failed its last discovery round; what is shown may be out of date."
              />
            </Grid>
          )}
          {c.status.tlsVerificationDisabled && (
            <Grid item xs={12}>
              <WarningPanel
                severity="warning"
                title="TLS verification is disabled for this cluster"
                message="Archipelago does not verify this API server's certificate. Configure its CA instead."
              />
            </Grid>
          )}
          <Grid item xs={12} md={6}>
            <InfoCard
              title="Overview"
              action={
                <Tooltip title="Reload">
                  <IconButton aria-label="Reload cluster" onClick={refresh}>
                    <RefreshIcon />
                  </IconButton>
                </Tooltip>
              }
            >
              <Overview cluster={c} />
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <InfoCard
              title="Health history"
              subheader="Oldest left, newest right"
            >
              {health.loading && <Progress />}
              {health.error && (
                <ResponseErrorPanel
                  title="Could not load the health history"
                  error={health.error}
                />
              )}
              {health.value && (
                <>
                  <Box mb={2}>
                    <HealthHistoryStrip
                      history={health.value.history}
                      max={60}
                    />
                  </Box>
                  <Table<ClusterProbe>
                    title={`Last ${Math.min(
                      HISTORY_ROWS,
                      probes.length,
                    )} probes`}
                    columns={probeColumns}
                    data={probes.slice(0, HISTORY_ROWS)}
                    options={tableOptions}
                  />
                </>
              )}
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <Table<ClusterCheck>
              title="Checks"
              subtitle="From /readyz?verbose and the node check, at the last probe"
              columns={checkColumns}
              data={c.status.checks}
              options={tableOptions}
              emptyContent={
                <Box p={2}>
                  <Typography variant="body2">No checks recorded.</Typography>
                </Box>
              }
            />
          </Grid>
          <Grid item xs={12} md={6}>
            <Table<ClusterSource>
              title="Sources"
              subtitle="The providers that list this cluster"
              columns={sourceColumns}
              data={c.sources}
              options={tableOptions}
            />
          </Grid>
          <Grid item xs={12}>
            <InfoCard title="Labels">
              {Object.keys(c.labels).length === 0 ? (
                <Typography variant="body2" color="textSecondary">
                  No labels
                </Typography>
              ) : (
                <Box display="flex" flexWrap="wrap" gridGap={8}>
                  {Object.entries(c.labels)
                    .sort(([a], [b]) => a.localeCompare(b))
                    .map(([k, v]) => (
                      <Chip key={k} size="small" label={`${k}=${v}`} />
                    ))}
                </Box>
              )}
            </InfoCard>
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
