/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  gkeProviderState,
  gkeProviderStateReason,
  gkeStatusName,
} from './state';

describe('gkeProviderState', () => {
  it.each([
    ['PROVISIONING', 'provisioning'],
    ['RUNNING', 'active'],
    ['RECONCILING', 'updating'],
    ['STOPPING', 'deleting'],
    ['ERROR', 'failed'],
    ['DEGRADED', 'active'],
    ['STATUS_UNSPECIFIED', 'unknown'],
    [1, 'provisioning'],
    [2, 'active'],
    [3, 'updating'],
    [4, 'deleting'],
    [5, 'failed'],
    [6, 'active'],
    [0, 'unknown'],
    [99, 'unknown'],
    [null, 'unknown'],
    [undefined, 'unknown'],
  ])('%j → %s', (status, state) => {
    expect(gkeProviderState(status)).toBe(state);
  });

  it('names numeric statuses', () => {
    expect(gkeStatusName(3)).toBe('RECONCILING');
    expect(gkeStatusName('RUNNING')).toBe('RUNNING');
    expect(gkeStatusName(undefined)).toBe('STATUS_UNSPECIFIED');
  });

  it('describes status, version and message', () => {
    expect(
      gkeProviderStateReason({
        status: 5,
        statusMessage: 'quota',
        currentMasterVersion: '1.30.5-gke.1',
      }),
    ).toBe('GKE status ERROR, Kubernetes 1.30.5-gke.1; quota');
    expect(gkeProviderStateReason({})).toBe('GKE status STATUS_UNSPECIFIED');
  });
});
