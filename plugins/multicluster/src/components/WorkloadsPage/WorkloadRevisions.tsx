/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { useState } from 'react';
import {
  Button,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
} from '@material-ui/core';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type { WorkloadRevision } from '@archipelago/multicluster-common';
import { multiclusterApiRef } from '../../api';
import { formatRelativeTime, formatTimestamp } from '../../lib/format';

/**
 * The kept revisions, newest first, each with why it was made and its
 * images, and — for those allowed to change the workload — a button that
 * rolls back to it (a new revision with its desired state).
 */
export function WorkloadRevisions(props: {
  name: string;
  revisions: WorkloadRevision[];
  canRollback: boolean;
  onChange: () => void;
  now?: number;
}) {
  const api = useApi(multiclusterApiRef);
  const alerts = useApi(alertApiRef);
  const [busy, setBusy] = useState<number | undefined>();
  const now = props.now ?? Date.now();

  const rollback = async (revision: number) => {
    setBusy(revision);
    try {
      const w = await api.rollbackWorkload(props.name, revision);
      alerts.post({
        message: `Rolling back ${props.name} to revision ${revision} as revision ${w.revision}`,
        severity: 'success',
        display: 'transient',
      });
      props.onChange();
    } catch (error) {
      alerts.post({
        message: `Could not roll back: ${(error as Error).message}`,
        severity: 'error',
      });
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Table size="small" aria-label="Revision history">
      <TableHead>
        <TableRow>
          <TableCell>Revision</TableCell>
          <TableCell>Made</TableCell>
          <TableCell>By</TableCell>
          <TableCell>Images</TableCell>
          <TableCell />
        </TableRow>
      </TableHead>
      <TableBody>
        {props.revisions.map(r => (
          <TableRow key={r.revision}>
            <TableCell>
              {r.revision} {r.current && <Chip size="small" label="current" />}
            </TableCell>
            <TableCell>
              <Tooltip title={formatTimestamp(r.createdAt)}>
                <span>
                  {r.cause}, {formatRelativeTime(r.createdAt, now)}
                </span>
              </Tooltip>
            </TableCell>
            <TableCell>{r.createdBy ?? '—'}</TableCell>
            <TableCell>{r.images.join(', ') || '—'}</TableCell>
            <TableCell align="right">
              {!r.current && props.canRollback && (
                <Button
                  size="small"
                  variant="outlined"
                  disabled={busy !== undefined}
                  onClick={() => rollback(r.revision)}
                  aria-label={`Roll back to revision ${r.revision}`}
                >
                  Roll back
                </Button>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
