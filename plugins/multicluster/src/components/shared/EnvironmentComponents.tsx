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
export function EnvironmentComponent(props: { component: ComponentState }) {
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
      <CapabilityList kind={c.kind} capabilities={c.capabilities} />
    </section>
  );
}

/** Every component of an environment, in the order the server lists them. */
export function EnvironmentComponents(props: { components: ComponentState[] }) {
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
          <EnvironmentComponent component={c} />
        </Fragment>
      ))}
    </Box>
  );
}
