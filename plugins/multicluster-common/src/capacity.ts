/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Cluster } from './types';

/**
 * How many replicas the replica planner may place on a cluster at most: the
 * pods its ready nodes can hold, as last probed. A cluster never probed is
 * unbounded (undefined). The placement preview and `multicluster:deploy`
 * both use it, so a preview and a deployment agree.
 * @public
 */
export function replicaCapacity(
  cluster: Pick<Cluster, 'status'>,
): number | undefined {
  const pods = cluster.status?.allocatable?.pods;
  return typeof pods === 'number' && Number.isFinite(pods) && pods >= 0
    ? Math.floor(pods)
    : undefined;
}
