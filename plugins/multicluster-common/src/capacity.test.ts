/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { replicaCapacity } from './capacity';
import type { ClusterStatus } from './types';

const status = (allocatable?: ClusterStatus['allocatable']) => ({
  status: {
    health: 'healthy',
    reason: '',
    checks: [],
    stale: false,
    allocatable,
  } as ClusterStatus,
});

describe('replicaCapacity', () => {
  it.each([
    ['never probed', undefined, undefined],
    ['whole pods', { cpu: 4, memoryBytes: 1, pods: 110 }, 110],
    ['fractional pods are floored', { cpu: 4, memoryBytes: 1, pods: 3.7 }, 3],
    ['zero', { cpu: 0, memoryBytes: 0, pods: 0 }, 0],
    ['negative is unknown', { cpu: 0, memoryBytes: 0, pods: -1 }, undefined],
    ['NaN is unknown', { cpu: 0, memoryBytes: 0, pods: NaN }, undefined],
  ])('%s', (_name, allocatable, expected) => {
    expect(replicaCapacity(status(allocatable))).toBe(expected);
  });
});
