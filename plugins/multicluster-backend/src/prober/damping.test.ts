/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ClusterHealth } from '@archipelago/multicluster-common';
import { dampHealth, type DampingState } from './damping';

function run(
  observations: ClusterHealth[],
  threshold: number,
  start?: DampingState,
) {
  let state: DampingState = start ?? {
    health: 'unknown',
    pendingCount: 0,
    everProbed: false,
  };
  const shown: ClusterHealth[] = [];
  for (const o of observations) {
    state = dampHealth(state, o, threshold);
    shown.push(state.health);
  }
  return shown;
}

describe('dampHealth', () => {
  it.each<[string, ClusterHealth[], number, ClusterHealth[]]>([
    ['first probe applies at once', ['healthy'], 2, ['healthy']],
    [
      'first probe applies at once even when bad',
      ['unreachable'],
      3,
      ['unreachable'],
    ],
    [
      'one blip is ignored',
      ['healthy', 'unreachable', 'healthy'],
      2,
      ['healthy', 'healthy', 'healthy'],
    ],
    [
      'two in a row flip',
      ['healthy', 'unreachable', 'unreachable'],
      2,
      ['healthy', 'healthy', 'unreachable'],
    ],
    [
      'alternating never flips',
      ['healthy', 'degraded', 'unhealthy', 'degraded', 'unhealthy'],
      2,
      ['healthy', 'healthy', 'healthy', 'healthy', 'healthy'],
    ],
    [
      'threshold 3',
      ['healthy', 'degraded', 'degraded', 'degraded'],
      3,
      ['healthy', 'healthy', 'healthy', 'degraded'],
    ],
    [
      'threshold 1 applies everything',
      ['healthy', 'degraded', 'healthy'],
      1,
      ['healthy', 'degraded', 'healthy'],
    ],
  ])('%s', (_name, observations, threshold, expected) => {
    expect(run(observations, threshold)).toEqual(expected);
  });

  it('resets the pending change when the current health is seen again', () => {
    const s1 = dampHealth(
      { health: 'healthy', pendingCount: 0, everProbed: true },
      'unreachable',
      3,
    );
    expect(s1).toMatchObject({
      health: 'healthy',
      pendingHealth: 'unreachable',
      pendingCount: 1,
      applied: false,
    });
    const s2 = dampHealth(s1, 'healthy', 3);
    expect(s2).toMatchObject({
      health: 'healthy',
      pendingCount: 0,
      applied: true,
    });
    expect(s2.pendingHealth).toBeUndefined();
  });
});
