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
  Typography,
} from '@material-ui/core';
import type {
  ComponentChangeAction,
  EnvironmentChangePlan,
  EnvironmentCost,
} from '@archipelago/multicluster-common';

/** What each action reads as. */
export const CHANGE_ACTION_LABELS: Record<ComponentChangeAction, string> = {
  unchanged: 'unchanged',
  create: 'created',
  update: 'updated in place',
  replace: 'replaced',
  recreate: 'recreated',
  delete: 'deleted',
};

const ACTION_COLORS: Record<
  ComponentChangeAction,
  'default' | 'primary' | 'secondary'
> = {
  unchanged: 'default',
  create: 'primary',
  update: 'primary',
  recreate: 'primary',
  replace: 'secondary',
  delete: 'secondary',
};

const shown = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v));

/** `≈ 562.10 USD / month`, and a note when some components have no price. */
export function formatCost(cost: EnvironmentCost | undefined): string {
  if (!cost) return '—';
  const money = cost.monthly.toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  return `≈ ${money} ${cost.currency} / month${
    cost.unpriced.length ? ` (no price for ${cost.unpriced.join(', ')})` : ''
  }`;
}

/**
 * A plan of a change: per component what happens, which inputs change and
 * how, which capabilities change; then the order and the cost.
 */
export function ChangePlanView(props: { plan: EnvironmentChangePlan }) {
  const { plan } = props;
  return (
    <div aria-label="Change plan">
      <Typography variant="body2" gutterBottom>
        {plan.from.type} → {plan.to.type} on {plan.to.cloud}, revision{' '}
        {plan.fromRevision} → {plan.toRevision}
        {!plan.changed && ' — nothing to change on the components'}
      </Typography>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>Component</TableCell>
            <TableCell>Change</TableCell>
            <TableCell>Inputs</TableCell>
            <TableCell>Capabilities that change</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {plan.components.map(c => (
            <TableRow key={c.key} aria-label={`Plan of ${c.key}`}>
              <TableCell>
                <strong>{c.key}</strong>
                <Typography
                  variant="caption"
                  display="block"
                  color="textSecondary"
                >
                  {c.fromTemplate
                    ? `${c.fromTemplate} → ${c.template}`
                    : c.template}
                </Typography>
              </TableCell>
              <TableCell>
                <Chip
                  size="small"
                  label={CHANGE_ACTION_LABELS[c.action]}
                  color={ACTION_COLORS[c.action]}
                  variant={c.action === 'unchanged' ? 'outlined' : 'default'}
                />
                {c.reasons.map(r => (
                  <Typography
                    key={r}
                    variant="caption"
                    display="block"
                    color="textSecondary"
                  >
                    {r}
                  </Typography>
                ))}
              </TableCell>
              <TableCell>
                {c.inputs.map(i => (
                  <Typography key={i.name} variant="body2">
                    <code>{i.name}</code>{' '}
                    {i.how === 'dependency'
                      ? '(reads a capability that changes)'
                      : `${shown(i.from)} → ${shown(i.to)}`}
                  </Typography>
                ))}
              </TableCell>
              <TableCell>
                {c.capabilities.map(x => x.name).join(', ')}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {plan.stages.length > 0 && (
        <Typography variant="body2" style={{ marginTop: 8 }}>
          Order: {plan.stages.map(s => s.join(' + ')).join(' → ')}
        </Typography>
      )}
      <Typography variant="body2">
        Estimated cost: {formatCost(plan.cost.from)} →{' '}
        {formatCost(plan.cost.to)}
      </Typography>
    </div>
  );
}
