/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  CLUSTER_HEALTHS,
  ClusterHealth,
} from '@archipelago/multicluster-common';
import {
  compareHealthWorstFirst,
  ComponentStatusIndicator,
  EnvironmentStatusIndicator,
  healthPresentation,
  HealthStatus,
} from './status';

describe('health mapping', () => {
  it.each([
    ['healthy', 'status-ok', 'Healthy'],
    ['degraded', 'status-warning', 'Degraded'],
    ['unhealthy', 'status-error', 'Unhealthy'],
    ['unreachable', 'status-error', 'Unreachable'],
    ['unauthorized', 'status-aborted', 'Unauthorized'],
    ['unknown', 'status-pending', 'Unknown'],
  ])('renders %s with %s', async (health, testId, label) => {
    await renderInTestApp(<HealthStatus health={health} />);
    expect(screen.getByTestId(testId)).toBeInTheDocument();
    expect(screen.getByText(label)).toBeInTheDocument();
  });

  it('covers every health the API defines', () => {
    for (const health of CLUSTER_HEALTHS) {
      expect(healthPresentation(health).description).not.toMatch(
        /does not know/,
      );
    }
  });

  it('shows a health from a newer backend as pending with its own name', async () => {
    await renderInTestApp(<HealthStatus health="hibernating" />);
    expect(screen.getByTestId('status-pending')).toBeInTheDocument();
    expect(screen.getByText('hibernating')).toBeInTheDocument();
  });

  it('orders the worst first', () => {
    const sorted = [...CLUSTER_HEALTHS].sort(compareHealthWorstFirst);
    expect(sorted).toEqual<ClusterHealth[]>([
      'unreachable',
      'unhealthy',
      'unauthorized',
      'degraded',
      'unknown',
      'healthy',
    ]);
  });
});

describe('environment and component mapping', () => {
  it.each([
    ['ready', 'status-ok', 'Ready'],
    ['provisioning', 'status-running', 'Provisioning'],
    ['failed', 'status-error', 'Failed'],
    ['rolling-back', 'status-warning', 'Rolling back'],
    ['destroyed', 'status-aborted', 'Destroyed'],
  ])('renders environment status %s', async (status, testId, label) => {
    await renderInTestApp(<EnvironmentStatusIndicator status={status} />);
    expect(screen.getByTestId(testId)).toBeInTheDocument();
    expect(screen.getByText(label)).toBeInTheDocument();
  });

  it.each([
    ['drifted', 'status-warning', 'Drifted'],
    ['creating', 'status-running', 'Creating'],
    ['pending', 'status-pending', 'Pending'],
  ])('renders component status %s', async (status, testId, label) => {
    await renderInTestApp(<ComponentStatusIndicator status={status} />);
    expect(screen.getByTestId(testId)).toBeInTheDocument();
    expect(screen.getByText(label)).toBeInTheDocument();
  });
});
