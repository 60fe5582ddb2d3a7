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
  Typography,
} from '@material-ui/core';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  type Environment,
  multiclusterEnvironmentUpdatePermission,
} from '@archipelago/multicluster-common';
import { multiclusterApiRef } from '../../api';
import { formatTimestamp } from '../../lib/format';
import { useRefreshingAsync } from '../../lib/useRefreshingAsync';
import { ChangePlanView, formatCost } from '../shared/ChangePlanView';
import { PlannedActionDialog } from './PlannedActionDialog';

/**
 * The kept revisions of an environment, newest first, each with what it
 * asked for and its cost; the caller who may change the environment can roll
 * back to an applied one (planned first).
 */
export function EnvironmentRevisions(props: {
  environment: Environment;
  onChanged: () => void;
}) {
  const env = props.environment;
  const api = useApi(multiclusterApiRef);
  const update = usePermission({
    permission: multiclusterEnvironmentUpdatePermission,
    resourceRef: env.name,
  });
  const revisions = useRefreshingAsync(
    signal => api.listEnvironmentRevisions(env.name, { signal }),
    [api, env.name, env.revision, env.status],
    { intervalMs: 60_000 },
  );
  const [rollbackTo, setRollbackTo] = useState<number>();
  if (revisions.loading) return <Progress />;
  if (revisions.error)
    return (
      <ResponseErrorPanel
        title="Could not load revisions"
        error={revisions.error}
      />
    );
  return (
    <>
      <Table size="small" aria-label="Revisions">
        <TableHead>
          <TableRow>
            <TableCell>Revision</TableCell>
            <TableCell>Change</TableCell>
            <TableCell>Type</TableCell>
            <TableCell>Inputs</TableCell>
            <TableCell>Cost</TableCell>
            <TableCell>When</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {(revisions.value ?? []).map(r => (
            <TableRow key={r.revision} aria-label={`Revision ${r.revision}`}>
              <TableCell>
                {r.revision}{' '}
                {r.current && (
                  <Chip size="small" color="primary" label="current" />
                )}
              </TableCell>
              <TableCell>
                {r.operation}
                {r.restores !== undefined && ` of revision ${r.restores}`}
                {r.status !== 'applied' && (
                  <Chip
                    size="small"
                    color="secondary"
                    label={r.status}
                    style={{ marginLeft: 4 }}
                  />
                )}
                {r.reason && (
                  <Typography
                    variant="caption"
                    display="block"
                    color="textSecondary"
                  >
                    {r.reason}
                  </Typography>
                )}
              </TableCell>
              <TableCell>{r.type}</TableCell>
              <TableCell>
                <code>{JSON.stringify(r.inputs)}</code>
              </TableCell>
              <TableCell>{formatCost(r.cost)}</TableCell>
              <TableCell>
                {formatTimestamp(r.createdAt)}
                {r.createdBy && (
                  <Typography
                    variant="caption"
                    display="block"
                    color="textSecondary"
                  >
                    {r.createdBy}
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                {update.allowed && !r.current && r.status === 'applied' && (
                  <Button
                    size="small"
                    disabled={env.status !== 'ready'}
                    onClick={() => setRollbackTo(r.revision)}
                  >
                    Roll back
                  </Button>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <PlannedActionDialog
        title={`Roll ${env.name} back to revision ${rollbackTo}`}
        open={rollbackTo !== undefined}
        onClose={() => setRollbackTo(undefined)}
        applyLabel="Roll back"
        plan={async () => (
          <ChangePlanView
            plan={await api.planEnvironmentRollback(env.name, rollbackTo!)}
          />
        )}
        apply={async () => {
          await api.rollbackEnvironment(env.name, rollbackTo!);
          props.onChanged();
        }}
      />
    </>
  );
}
