/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  WorkloadDnsRecord,
  WorkloadDnsStatus,
} from '@archipelago/multicluster-common';
import { multiclusterApiRef } from '../../api';
import { useRefreshingAsync } from '../../lib/useRefreshingAsync';
import { ToneStatus, type StatusTone } from '../../lib/status';

const HEALTH_TONE: Record<WorkloadDnsRecord['health'], StatusTone> = {
  healthy: 'ok',
  unhealthy: 'error',
  unknown: 'pending',
};

/** Who an answer is for: its geography, failover role, weight or region. */
function routeOf(r: WorkloadDnsRecord): string {
  if (r.geography === '*') return 'everyone else (default)';
  if (r.geography) return r.geography;
  if (r.failoverRole) return r.failoverRole;
  if (r.weight !== undefined) return `weight ${r.weight}`;
  return r.region ?? '';
}

/** A workload's global name: which geography goes to which cluster, and each answer's health. */
export function WorkloadDnsTable(props: { status: WorkloadDnsStatus }) {
  const { status } = props;
  const { dns } = status;
  return (
    <Box>
      <Typography variant="body2" gutterBottom>
        <strong>{dns.hostname}</strong> · {dns.policy}
        {status.zone ? ` · zone ${status.zone}` : ''}
        {dns.ttl ? ` · TTL ${dns.ttl} s` : ''}
      </Typography>
      {status.error && (
        <Typography variant="body2" color="error" gutterBottom>
          {status.error}
        </Typography>
      )}
      {status.allUnhealthy && (
        <Typography variant="body2" color="error" gutterBottom>
          No cluster is healthy: answering per whenAllUnhealthy (
          {dns.whenAllUnhealthy ?? 'serve-all'}).
        </Typography>
      )}
      {status.records.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No answers published yet.
        </Typography>
      ) : (
        <Table size="small" aria-label={`DNS answers of ${dns.hostname}`}>
          <TableHead>
            <TableRow>
              <TableCell>Clients</TableCell>
              <TableCell>Cluster</TableCell>
              <TableCell>Answer</TableCell>
              <TableCell>Health</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {status.records.map(r => (
              <TableRow key={r.setIdentifier}>
                <TableCell>{routeOf(r)}</TableCell>
                <TableCell>{r.cluster}</TableCell>
                <TableCell>
                  {r.type} {r.values.join(', ')}
                </TableCell>
                <TableCell>
                  <ToneStatus tone={HEALTH_TONE[r.health]}>
                    {r.health}
                  </ToneStatus>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {status.clusters
        .filter(c => c.reason)
        .map(c => (
          <Typography
            key={c.cluster}
            variant="caption"
            color="textSecondary"
            display="block"
          >
            {c.cluster}: {c.reason}
          </Typography>
        ))}
    </Box>
  );
}

/** Loads and shows a workload's global name (`GET /workloads/:name/dns`). */
export function WorkloadDnsView(props: { name: string; intervalMs?: number }) {
  const api = useApi(multiclusterApiRef);
  const state = useRefreshingAsync(
    signal => api.getWorkloadDns(props.name, { signal }),
    [api, props.name],
    { intervalMs: props.intervalMs ?? 15_000 },
  );
  if (state.loading) return <Progress />;
  if (state.error || !state.value)
    return (
      <ResponseErrorPanel
        title="Could not load the DNS records"
        error={state.error ?? new Error('No data')}
      />
    );
  return <WorkloadDnsTable status={state.value} />;
}
