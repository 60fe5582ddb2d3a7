/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ReactNode, memo } from 'react';
import { Box, Chip, Tooltip, Typography } from '@material-ui/core';
import { Link, Table, TableColumn } from '@backstage/core-components';
import type { Cluster } from '@archipelago/multicluster-common';
import {
  formatBytes,
  formatCount,
  formatCpu,
  formatRelativeTime,
  formatTimestamp,
} from '../../lib/format';
import { useClusterLink } from '../../lib/links';
import { HealthStatus } from '../../lib/status';

const MAX_LABELS = 3;

function Labels(props: { labels: Record<string, string> }) {
  const entries = Object.entries(props.labels);
  const shown = entries.slice(0, MAX_LABELS);
  const rest = entries.length - shown.length;
  return (
    <Box display="flex" flexWrap="wrap" gridGap={4}>
      {shown.map(([k, v]) => (
        <Chip key={k} size="small" label={`${k}=${v}`} />
      ))}
      {rest > 0 && (
        <Tooltip
          title={entries
            .slice(MAX_LABELS)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}
        >
          <Chip size="small" variant="outlined" label={`+${rest}`} />
        </Tooltip>
      )}
    </Box>
  );
}

/**
 * One page of clusters. Paging, sorting and filtering are the server's: the
 * table only renders the rows it was given (material-table's own paging,
 * sorting and search are off).
 */
/** Memoised: typing in the filters re-renders the page, never this table. */
export const ClustersTable = memo(function ClustersTableRows(props: {
  clusters: Cluster[];
  totalItems?: number;
  loading: boolean;
  emptyContent: ReactNode;
}) {
  const clusterLink = useClusterLink();
  const now = Date.now();
  const columns: TableColumn<Cluster>[] = [
    {
      title: 'Name',
      field: 'name',
      highlight: true,
      render: c => (
        <>
          {clusterLink ? (
            <Link to={clusterLink(c.id)}>{c.title}</Link>
          ) : (
            c.title
          )}
          {c.title !== c.name && (
            <Typography variant="caption" display="block" color="textSecondary">
              {c.name}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Health',
      field: 'status.health',
      render: c => (
        <>
          <HealthStatus health={c.status.health} />
          {c.status.stale && (
            <Chip
              size="small"
              variant="outlined"
              label="stale"
              style={{ marginLeft: 4 }}
            />
          )}
          {c.status.reason && (
            <Typography variant="caption" display="block" color="textSecondary">
              {c.status.reason}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Cloud',
      field: 'cloud',
      render: c => (
        <>
          {c.cloud}
          {c.region && (
            <Typography variant="caption" display="block" color="textSecondary">
              {c.region}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Version',
      field: 'status.version',
      render: c => (
        <>
          {c.status.version ?? '—'}
          <Typography variant="caption" display="block" color="textSecondary">
            {c.distribution}
          </Typography>
        </>
      ),
    },
    {
      title: 'Nodes',
      field: 'status.nodes',
      render: c =>
        c.status.nodes
          ? `${c.status.nodes.ready}/${c.status.nodes.total}`
          : '—',
    },
    {
      title: 'CPU',
      field: 'status.allocatable.cpu',
      render: c => formatCpu(c.status.allocatable?.cpu),
    },
    {
      title: 'Memory',
      field: 'status.allocatable.memoryBytes',
      render: c => formatBytes(c.status.allocatable?.memoryBytes),
    },
    {
      title: 'Last probe',
      field: 'status.lastProbeAt',
      render: c => (
        <Tooltip title={formatTimestamp(c.status.lastProbeAt)}>
          <span>{formatRelativeTime(c.status.lastProbeAt, now)}</span>
        </Tooltip>
      ),
    },
    {
      title: 'Labels',
      field: 'labels',
      render: c => <Labels labels={c.labels} />,
    },
  ];
  return (
    <Table<Cluster>
      title={
        props.totalItems === undefined
          ? 'Clusters'
          : `Clusters (${formatCount(props.totalItems)})`
      }
      columns={columns}
      data={props.clusters}
      isLoading={props.loading}
      emptyContent={props.emptyContent}
      options={{
        paging: false,
        search: false,
        sorting: false,
        draggable: false,
        padding: 'dense',
      }}
    />
  );
});
