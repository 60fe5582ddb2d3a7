/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { WarningPanel } from '@backstage/core-components';
import { formatRelativeTime } from '../../lib/format';

/**
 * Shown above data that could not be refreshed: the data stays visible, with
 * its age and why the refresh failed.
 */
export function StaleDataWarning(props: {
  error: Error;
  loadedAt?: number;
  now?: number;
}) {
  const loaded = props.loadedAt
    ? formatRelativeTime(
        new Date(props.loadedAt).toISOString(),
        props.now ?? Date.now(),
      )
    : 'earlier';
  return (
    <WarningPanel
      title={`Showing data from ${loaded}: refreshing failed`}
      message={props.error.message}
    />
  );
}
