/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { Box, LinearProgress, Typography } from '@material-ui/core';
import type { Environment } from '@archipelago/multicluster-common';

/** Statuses during which the environment is changing and worth watching. */
export const ACTIVE_ENVIRONMENT_STATUSES: readonly string[] = [
  'pending',
  'provisioning',
  'updating',
  'rolling-back',
  'destroying',
];

/** Components ready out of all, for the progress bar. */
export function componentProgress(env: Environment): {
  ready: number;
  total: number;
} {
  return {
    ready: env.components.filter(c => c.status === 'ready').length,
    total: env.components.length,
  };
}

/** A progress bar while the environment is provisioning; nothing otherwise. */
export function EnvironmentProgress(props: { environment: Environment }) {
  const env = props.environment;
  if (env.status !== 'provisioning' && env.status !== 'pending') {
    return null;
  }
  const { ready, total } = componentProgress(env);
  const label = `${ready} of ${total} components ready`;
  return (
    <Box my={1}>
      <Typography variant="body2" gutterBottom>
        {env.status === 'pending' ? 'Waiting to start' : 'Provisioning'}:{' '}
        {label}
      </Typography>
      <LinearProgress
        variant={total > 0 ? 'determinate' : 'indeterminate'}
        value={total > 0 ? (ready / total) * 100 : undefined}
        aria-label={label}
      />
    </Box>
  );
}
