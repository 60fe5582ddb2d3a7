/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ReactNode } from 'react';
import {
  Box,
  ButtonBase,
  Grid,
  makeStyles,
  Tooltip,
  Typography,
} from '@material-ui/core';
import {
  InfoCard,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import Skeleton from '@material-ui/lab/Skeleton';
import {
  CLUSTER_CLOUDS,
  CLUSTER_HEALTHS,
  ClusterCloud,
  ClusterHealth,
  InventorySummary,
} from '@archipelago/multicluster-common';
import { formatCount, formatRelativeTime } from '../../lib/format';
import { healthPresentation, HealthStatus } from '../../lib/status';

const useStyles = makeStyles(theme => ({
  counts: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  count: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    padding: theme.spacing(1, 1.5),
    borderRadius: theme.shape.borderRadius,
    border: `1px solid ${theme.palette.divider}`,
    minWidth: 110,
    textAlign: 'left',
  },
  selected: {
    borderColor: theme.palette.primary.main,
    boxShadow: `inset 0 0 0 1px ${theme.palette.primary.main}`,
  },
  number: {
    fontSize: theme.typography.h5.fontSize,
    fontWeight: theme.typography.fontWeightBold as number,
  },
}));

function CountButton(props: {
  label: ReactNode;
  count: number;
  selected: boolean;
  onClick: () => void;
  ariaLabel: string;
  tooltip?: string;
}) {
  const classes = useStyles();
  const button = (
    <ButtonBase
      className={`${classes.count} ${props.selected ? classes.selected : ''}`}
      onClick={props.onClick}
      aria-pressed={props.selected}
      aria-label={props.ariaLabel}
    >
      <span className={classes.number}>{formatCount(props.count)}</span>
      {props.label}
    </ButtonBase>
  );
  return props.tooltip ? (
    <Tooltip title={props.tooltip}>{button}</Tooltip>
  ) : (
    button
  );
}

/**
 * Counts by health and by cloud from `GET /summary`; clicking a count
 * filters the table (clicking it again clears the filter).
 */
export function InventorySummaryCards(props: {
  summary?: InventorySummary;
  error?: Error;
  loading: boolean;
  health?: ClusterHealth;
  cloud?: ClusterCloud;
  onHealth: (health: ClusterHealth | undefined) => void;
  onCloud: (cloud: ClusterCloud | undefined) => void;
}) {
  const classes = useStyles();
  const { summary } = props;
  if (props.error && !summary) {
    return (
      <ResponseErrorPanel
        title="Could not load the inventory summary"
        error={props.error}
      />
    );
  }
  // Only the clouds the API can filter on are offered, so a click never yields a 400.
  const clouds = summary
    ? CLUSTER_CLOUDS.filter(c => (summary.byCloud[c] ?? 0) > 0)
    : [];
  const failing = summary?.providers.filter(p => !p.ok) ?? [];
  return (
    <Grid container spacing={3}>
      {failing.length > 0 && (
        <Grid item xs={12}>
          <WarningPanel
            title={`${failing.length} cluster ${
              failing.length === 1 ? 'provider' : 'providers'
            } failed their last discovery round`}
            message="Clusters they list keep their last known state and are marked stale."
          >
            {failing.map(p => (
              <Typography key={p.id} variant="body2">
                {p.id}: {p.error ?? 'failed'}
              </Typography>
            ))}
          </WarningPanel>
        </Grid>
      )}
      {(summary?.staleClusters ?? 0) > 0 && (
        <Grid item xs={12}>
          <WarningPanel
            title={`${formatCount(summary!.staleClusters!)} ${
              summary!.staleClusters === 1 ? 'cluster has' : 'clusters have'
            } not been probed for several intervals`}
            message={`Probe rounds are not running (last round ${formatRelativeTime(
              summary!.lastProbeRoundAt,
              Date.now(),
            )}): their health is unknown and marked stale until a replica probes them again.`}
          />
        </Grid>
      )}
      <Grid item xs={12} md={7}>
        <InfoCard
          title="By health"
          subheader={
            summary
              ? `${formatCount(
                  summary.totalClusters,
                )} clusters · last probe round ${formatRelativeTime(
                  summary.lastProbeRoundAt,
                  Date.now(),
                )}`
              : undefined
          }
        >
          {props.loading && !summary ? (
            <Skeleton variant="rect" height={64} />
          ) : (
            <Box className={classes.counts}>
              {CLUSTER_HEALTHS.map(h => (
                <CountButton
                  key={h}
                  label={<HealthStatus health={h} />}
                  count={summary?.byHealth[h] ?? 0}
                  selected={props.health === h}
                  onClick={() =>
                    props.onHealth(props.health === h ? undefined : h)
                  }
                  ariaLabel={`Show ${healthPresentation(
                    h,
                  ).label.toLocaleLowerCase('en-US')} clusters`}
                  tooltip={healthPresentation(h).description}
                />
              ))}
            </Box>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={5}>
        <InfoCard title="By cloud">
          {props.loading && !summary ? (
            <Skeleton variant="rect" height={64} />
          ) : (
            <Box className={classes.counts}>
              {clouds.length === 0 && (
                <Typography variant="body2" color="textSecondary">
                  No clusters discovered yet
                </Typography>
              )}
              {clouds.map(c => (
                <CountButton
                  key={c}
                  label={<Typography variant="body2">{c}</Typography>}
                  count={summary?.byCloud[c] ?? 0}
                  selected={props.cloud === c}
                  onClick={() =>
                    props.onCloud(props.cloud === c ? undefined : c)
                  }
                  ariaLabel={`Show ${c} clusters`}
                />
              ))}
            </Box>
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}
