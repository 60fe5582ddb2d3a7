/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type Cluster,
  type PlacementPreviewRequest,
  type PlacementPreviewResponse,
  planReplicas,
  replicaCapacity,
  selectClusters,
} from '@archipelago/multicluster-common';

/**
 * The preview of a placement over stored clusters: which are chosen, how many
 * replicas each would get, which are left out and why. Pure, so the rules are
 * table-tested; the request must already be validated.
 *
 * Replicas already running are not known here (the inventory does not read
 * workloads), so the plan is the one a first deployment gets, or any
 * deployment with `rebalance`.
 */
export function previewPlacement(
  request: PlacementPreviewRequest,
  clusters: Cluster[],
): PlacementPreviewResponse {
  const { selected, excluded } = selectClusters(
    request.placement,
    clusters.map(c => ({
      name: c.name,
      labels: c.labels,
      health: c.status.health,
    })),
  );
  // Names are unique in the inventory; the first wins, as in selectClusters.
  const byName = new Map<string, Cluster>();
  for (const c of clusters) if (!byName.has(c.name)) byName.set(c.name, c);

  if (!request.replicas) {
    return {
      clusters: selected.map(name => ({ name, id: byName.get(name)!.id })),
      excluded,
      overflow: {},
    };
  }

  const capacity: Record<string, number> = {};
  for (const name of selected) {
    const cap = replicaCapacity(byName.get(name)!);
    if (cap !== undefined) capacity[name] = cap;
  }
  const { plan, overflow } = planReplicas({
    totalReplicas: request.replicas.totalReplicas,
    clusters: selected,
    preferences: request.replicas.preferences,
    rebalance: request.replicas.rebalance,
    capacity,
    ...(request.replicas.key !== undefined
      ? { key: request.replicas.key }
      : {}),
  });
  return {
    clusters: selected.map(name => ({
      name,
      id: byName.get(name)!.id,
      replicas: plan[name] ?? 0,
    })),
    excluded,
    overflow,
  };
}
