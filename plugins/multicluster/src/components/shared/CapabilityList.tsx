/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { Fragment } from 'react';
import { makeStyles, Typography } from '@material-ui/core';
import { CopyTextButton } from '@backstage/core-components';
import { displayCapabilities } from '../../lib/capabilities';
import { SecretValue } from './SecretValue';

const useStyles = makeStyles(theme => ({
  table: {
    display: 'grid',
    gridTemplateColumns: 'minmax(8em, max-content) 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    alignItems: 'center',
    margin: 0,
  },
  name: {
    fontFamily: theme.typography.fontFamily,
    color: theme.palette.text.secondary,
    margin: 0,
  },
  value: {
    display: 'flex',
    alignItems: 'center',
    minWidth: 0,
    margin: 0,
  },
  text: {
    fontFamily: 'monospace',
    overflowWrap: 'anywhere',
  },
}));

/**
 * A component's capabilities: name, value and a copy button. Secrets render
 * as "stored secret", with a button that reveals one to its owner.
 */
export function CapabilityList(props: {
  kind: string;
  capabilities: Record<string, unknown>;
  /** Where the capabilities belong: secrets can then be revealed to their owner. */
  environment?: string;
  component?: string;
}) {
  const classes = useStyles();
  const items = displayCapabilities(props.kind, props.capabilities);
  if (items.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No capabilities yet
      </Typography>
    );
  }
  return (
    <dl className={classes.table}>
      {items.map(item => (
        <Fragment key={item.name}>
          <dt className={classes.name}>
            <Typography variant="body2" component="span">
              {item.name}
            </Typography>
          </dt>
          <dd className={classes.value}>
            {item.type === 'secret' && (
              <SecretValue
                secret={
                  props.environment && props.component
                    ? {
                        environment: props.environment,
                        component: props.component,
                        capability: item.name,
                      }
                    : undefined
                }
              />
            )}
            {item.type === 'unsupported' && (
              <Typography variant="body2" color="textSecondary">
                (value not shown: unexpected format)
              </Typography>
            )}
            {item.type === 'value' && (
              <>
                <Typography
                  variant="body2"
                  component="span"
                  className={classes.text}
                >
                  {item.text}
                </Typography>
                <CopyTextButton
                  text={item.copyText}
                  aria-label={`Copy ${item.name}`}
                  tooltipText={`${item.name} copied`}
                />
              </>
            )}
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}
