/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ClusterHealth } from '@archipelago/multicluster-common';

/** What the inventory stores to damp flapping. */
export interface DampingState {
  /** The health currently shown. */
  health: ClusterHealth;
  /** A different health seen in the latest consecutive probes, not yet applied. */
  pendingHealth?: ClusterHealth;
  pendingCount: number;
  /** False until a first probe result was applied. */
  everProbed: boolean;
}

/**
 * Applies one observed health. A change needs `threshold` consecutive equal
 * observations; the very first probe of a cluster applies at once so a new
 * cluster does not sit in `unknown` for several rounds.
 */
export function dampHealth(
  state: DampingState,
  observed: ClusterHealth,
  threshold: number,
): DampingState & { applied: boolean } {
  if (!state.everProbed || threshold <= 1) {
    return {
      health: observed,
      pendingCount: 0,
      everProbed: true,
      applied: true,
    };
  }
  if (observed === state.health) {
    return {
      health: state.health,
      pendingCount: 0,
      everProbed: true,
      applied: true,
    };
  }
  const count = state.pendingHealth === observed ? state.pendingCount + 1 : 1;
  if (count >= threshold) {
    return {
      health: observed,
      pendingCount: 0,
      everProbed: true,
      applied: true,
    };
  }
  return {
    health: state.health,
    pendingHealth: observed,
    pendingCount: count,
    everProbed: true,
    applied: false,
  };
}
