/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { Fragment } from 'react';
import { Box, Chip, Divider, makeStyles, Typography } from '@material-ui/core';
import type { ComponentState } from '@archipelago/multicluster-common';
import { ComponentStatusIndicator } from '../../lib/status';
import { CapabilityList } from './CapabilityList';

const useStyles = makeStyles(theme => ({
  component: {
    padding: theme.spacing(1.5, 0),
  },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  key: {
    fontWeight: theme.typography.fontWeightBold as number,
  },
  meta: {
    color: theme.palette.text.secondary,
  },
  error: {
    color: theme.palette.error.main,
    marginBottom: theme.spacing(1),
  },
}));

/** One component: key, kind, template, driver, status and its capabilities. */
export function EnvironmentComponent(props: {
  component: ComponentState;
  environment?: string;
}) {
  const classes = useStyles();
  const c = props.component;
  return (
    <section className={classes.component} aria-label={`Component ${c.key}`}>
      <div className={classes.header}>
        <Typography variant="subtitle2" component="h3" className={classes.key}>
          {c.key}
        </Typography>
        <Chip size="small" label={c.kind} />
        <ComponentStatusIndicator status={c.status} />
        {c.status === 'drifted' && (
          <Chip
            size="small"
            color="secondary"
            label="drift"
            aria-label={`${c.key} has drifted`}
          />
        )}
      </div>
      <Typography variant="body2" className={classes.meta} gutterBottom>
        template <code>{c.template}</code> · driver <code>{c.driver}</code>
      </Typography>
      {c.error && (
        <Typography variant="body2" className={classes.error}>
          {c.error}
        </Typography>
      )}
      {c.drift && c.drift.differences.length > 0 && (
        <ul aria-label={`What drifted in ${c.key}`} className={classes.meta}>
          {c.drift.differences.map((d, i) => (
            <li key={i}>
              <Typography variant="body2" component="span">
                <code>{d.field ?? d.resource}</code>
                {(d.expected !== undefined || d.actual !== undefined) &&
                  `: expected ${d.expected ?? '—'}, found ${d.actual ?? '—'}`}
              </Typography>
            </li>
          ))}
        </ul>
      )}
      <CapabilityList
        kind={c.kind}
        capabilities={c.capabilities}
        environment={props.environment}
        component={c.key}
      />
    </section>
  );
}

/** Every component of an environment, in the order the server lists them. */
export function EnvironmentComponents(props: {
  components: ComponentState[];
  /** The environment's name: its secrets can then be revealed to its owner. */
  environment?: string;
}) {
  if (props.components.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        This environment has no components yet.
      </Typography>
    );
  }
  return (
    <Box>
      {props.components.map((c, i) => (
        <Fragment key={c.key}>
          {i > 0 && <Divider />}
          <EnvironmentComponent component={c} environment={props.environment} />
        </Fragment>
      ))}
    </Box>
  );
}
