/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { Fragment, ReactNode } from 'react';
import { makeStyles, Typography } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  list: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.75),
    alignItems: 'center',
    margin: 0,
  },
  term: {
    margin: 0,
    color: theme.palette.text.secondary,
  },
  detail: {
    margin: 0,
    minWidth: 0,
    overflowWrap: 'anywhere',
  },
}));

/** Label / value pairs, as a definition list so screen readers pair them. */
export function FactList(props: { facts: Array<[string, ReactNode]> }) {
  const classes = useStyles();
  return (
    <dl className={classes.list}>
      {props.facts.map(([term, detail]) => (
        <Fragment key={term}>
          <dt className={classes.term}>
            <Typography variant="body2" component="span">
              {term}
            </Typography>
          </dt>
          <dd className={classes.detail}>
            <Typography variant="body2" component="div">
              {detail}
            </Typography>
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}
