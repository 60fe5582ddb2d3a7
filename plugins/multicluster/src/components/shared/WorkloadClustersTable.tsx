/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@material-ui/core';
import WarningIcon from '@material-ui/icons/Warning';
import { Link } from '@backstage/core-components';
import type { Workload } from '@archipelago/multicluster-common';
import { formatRelativeTime, formatTimestamp } from '../../lib/format';
import { useClusterLink } from '../../lib/links';

/**
 * Each cluster of a workload: ready and desired replicas, the revision it
 * runs, the last drift found (repaired since), the last sync, and whether
 * its replicas failed over to the others.
 */
export function WorkloadClustersTable(props: {
  workload: Workload;
  now?: number;
}) {
  const { workload } = props;
  const now = props.now ?? Date.now();
  const clusterLink = useClusterLink();
  if (workload.status.clusters.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        Not placed on any cluster yet: {workload.status.reason}
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label={`Clusters of ${workload.name}`}>
      <TableHead>
        <TableRow>
          <TableCell>Cluster</TableCell>
          <TableCell align="right">Ready</TableCell>
          <TableCell align="right">Revision</TableCell>
          <TableCell>Drift</TableCell>
          <TableCell>Last sync</TableCell>
          <TableCell>Failed over</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {workload.status.clusters.map(c => (
          <TableRow key={c.cluster}>
            <TableCell>
              {clusterLink ? (
                <Link to={clusterLink(c.cluster)}>{c.name}</Link>
              ) : (
                c.name
              )}
              {c.error && (
                <Tooltip title={c.error}>
                  <WarningIcon
                    fontSize="small"
                    color="error"
                    aria-label={`Error on ${c.name}: ${c.error}`}
                    style={{ verticalAlign: 'middle', marginLeft: 4 }}
                  />
                </Tooltip>
              )}
            </TableCell>
            <TableCell align="right">
              {c.readyReplicas}/{c.desiredReplicas}
            </TableCell>
            <TableCell align="right">
              {c.revision === workload.revision ? (
                c.revision
              ) : (
                <Tooltip
                  title={`The workload is at revision ${workload.revision}`}
                >
                  <span>{c.revision || '—'} (behind)</span>
                </Tooltip>
              )}
            </TableCell>
            <TableCell>
              {c.drift.length ? (
                <Tooltip title={c.drift.join('\n')}>
                  <Chip
                    size="small"
                    variant="outlined"
                    label={`${c.drift.length} drifted, ${formatRelativeTime(
                      c.driftAt,
                      now,
                    )}`}
                  />
                </Tooltip>
              ) : (
                'none'
              )}
            </TableCell>
            <TableCell>
              <Tooltip title={formatTimestamp(c.lastSyncAt)}>
                <span>{formatRelativeTime(c.lastSyncAt, now)}</span>
              </Tooltip>
            </TableCell>
            <TableCell>
              {c.failedOver ? (
                <Chip size="small" color="secondary" label="failed over" />
              ) : (
                'no'
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
