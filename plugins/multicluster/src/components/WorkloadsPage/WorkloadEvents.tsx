/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  Chip,
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  Tooltip,
} from '@material-ui/core';
import { EmptyState } from '@backstage/core-components';
import type { WorkloadEvent } from '@archipelago/multicluster-common';
import { formatRelativeTime, formatTimestamp } from '../../lib/format';
import { eventLevelPresentation, ToneStatus } from '../../lib/status';

/** What the reconciler did and found, newest first, with the cluster it concerns. */
export function WorkloadEvents(props: {
  events: WorkloadEvent[];
  now?: number;
}) {
  const events = [...props.events].sort((a, b) => b.id - a.id);
  if (events.length === 0)
    return <EmptyState missing="data" title="No events yet" />;
  const now = props.now ?? Date.now();
  return (
    <List dense aria-label="Workload events">
      {events.map((e, i) => {
        const level = eventLevelPresentation(e.level);
        return (
          <ListItem
            key={e.id}
            alignItems="flex-start"
            divider={i < events.length - 1}
          >
            <ListItemIcon>
              <ToneStatus tone={level.tone}>{level.label}</ToneStatus>
            </ListItemIcon>
            <ListItemText
              primary={
                <>
                  {e.cluster && (
                    <Chip
                      size="small"
                      label={e.cluster}
                      style={{ marginRight: 8 }}
                    />
                  )}
                  {e.message}
                </>
              }
              secondary={
                <Tooltip title={formatTimestamp(e.at)}>
                  <span>{formatRelativeTime(e.at, now)}</span>
                </Tooltip>
              }
            />
          </ListItem>
        );
      })}
    </List>
  );
}
