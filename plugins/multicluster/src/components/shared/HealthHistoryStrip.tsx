/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { makeStyles, Tooltip, Typography } from '@material-ui/core';
import type { ClusterProbe } from '@archipelago/multicluster-common';
import { healthPresentation, StatusTone } from '../../lib/status';
import { formatTimestamp } from '../../lib/format';

const useStyles = makeStyles(theme => ({
  strip: {
    display: 'flex',
    alignItems: 'flex-end',
    gap: 2,
    height: 16,
  },
  tick: {
    width: 5,
    height: '100%',
    borderRadius: 1,
  },
  ok: { backgroundColor: theme.palette.status.ok },
  warning: { backgroundColor: theme.palette.status.warning },
  error: { backgroundColor: theme.palette.status.error },
  pending: { backgroundColor: theme.palette.status.pending },
  running: { backgroundColor: theme.palette.status.running },
  aborted: { backgroundColor: theme.palette.status.aborted },
}));

/** How many probes a strip shows by default: about the last half hour at the default probe interval. */
export const DEFAULT_STRIP_LENGTH = 30;

/** Counts per health label, for the strip's accessible name. */
function summarize(probes: ClusterProbe[]): string {
  const counts = new Map<string, number>();
  for (const p of probes) {
    const label = healthPresentation(p.health).label.toLocaleLowerCase('en-US');
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts.entries()].map(([label, n]) => `${n} ${label}`).join(', ');
}

/**
 * The last probes of a cluster as coloured ticks, oldest left, newest right,
 * each with its time and reason on hover. Colours come from the shared
 * status mapping, so a tick is the colour of the status it stands for.
 */
export function HealthHistoryStrip(props: {
  history: ClusterProbe[];
  max?: number;
}) {
  const classes = useStyles();
  const max = props.max ?? DEFAULT_STRIP_LENGTH;
  const probes = [...props.history]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .slice(-max);
  if (probes.length === 0) {
    return (
      <Typography variant="caption" color="textSecondary">
        No probes recorded yet
      </Typography>
    );
  }
  return (
    <div
      className={classes.strip}
      role="img"
      aria-label={`Health history, last ${probes.length} probes: ${summarize(
        probes,
      )}`}
    >
      {probes.map((probe, i) => {
        const p = healthPresentation(probe.health);
        const tone: StatusTone = p.tone;
        return (
          <Tooltip
            key={`${probe.at}-${i}`}
            title={`${formatTimestamp(probe.at)}: ${p.label}${
              probe.reason ? ` — ${probe.reason}` : ''
            }`}
          >
            <span
              className={`${classes.tick} ${classes[tone]}`}
              data-testid={`history-tick-${probe.health}`}
            />
          </Tooltip>
        );
      })}
    </div>
  );
}
