/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { useEffect, useRef } from 'react';
import { Typography } from '@material-ui/core';
import Skeleton from '@material-ui/lab/Skeleton';
import { useApi } from '@backstage/core-plugin-api';
import { multiclusterApiRef } from '../../api';
import { useRefreshingAsync } from '../../lib/useRefreshingAsync';
import { HealthHistoryStrip } from './HealthHistoryStrip';

/**
 * Loads one cluster's probe history and draws it. Each row loads its own, so
 * a card only asks for the clusters it shows. `refreshKey` reloads it when the
 * card refreshes.
 */
export function ClusterHistoryStrip(props: {
  clusterId: string;
  refreshKey?: unknown;
  max?: number;
}) {
  const api = useApi(multiclusterApiRef);
  const { value, error, loading, refresh } = useRefreshingAsync(
    signal => api.getClusterHealth(props.clusterId, { signal }),
    [api, props.clusterId],
  );
  // Reload in the background when the card refreshes, keeping the strip drawn meanwhile.
  const firstKey = useRef(props.refreshKey);
  useEffect(() => {
    if (props.refreshKey !== firstKey.current) {
      refresh();
    }
  }, [props.refreshKey, refresh]);
  if (loading) {
    return (
      <Skeleton
        variant="rect"
        width={180}
        height={16}
        aria-label="Loading health history"
      />
    );
  }
  if (error || !value) {
    return (
      <Typography variant="caption" color="textSecondary">
        Health history unavailable{error ? `: ${error.message}` : ''}
      </Typography>
    );
  }
  return <HealthHistoryStrip history={value.history} max={props.max} />;
}
