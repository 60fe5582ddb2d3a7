/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type ClusterHealth,
  type PlacementExclusion,
  selectClusters,
  type WorkloadPlacement,
} from '@archipelago/multicluster-common';

/** A cluster of the inventory, as placement needs it. */
export interface InventoryCluster {
  id: string;
  name: string;
  labels: Record<string, string>;
  health: ClusterHealth;
  /** Pods its ready nodes can hold; absent means unbounded. */
  capacity?: number;
}

/** A cluster the workload is placed on, as the last round left it. */
export interface PlacedCluster {
  clusterId: string;
  clusterName: string;
  /** The revision applied there (0: none yet). */
  revision: number;
  /** Planned replicas per workload key: the planner's `current`. */
  replicas: Record<string, number>;
  failedOver: boolean;
  /** Epoch ms since the cluster is unfit (unhealthy, unreachable…), when it is. */
  unfitSince?: number;
}

/**
 * What a placed or selected cluster is fit for this round:
 * `fit` — healthy or degraded: it runs its share;
 * `grace` — unfit for less than the grace period: it keeps its share, nothing moves yet;
 * `failed-over` — unfit past the grace period: its share moves to the others;
 * `waiting` — selected but never placed and not (yet) healthy: it gets nothing until it is.
 */
export type Fitness = 'fit' | 'grace' | 'failed-over' | 'waiting';

/** One cluster the placement selects, in scope. */
export interface PlacementTarget {
  cluster: InventoryCluster;
  fitness: Fitness;
  /** Set while unfit: since when. */
  unfitSince?: number;
  /** Whether the workload ran there before this round. */
  placed: boolean;
}

/** A placed cluster that no longer belongs: objects removed (or orphaned) per `onClusterRemoved`. */
export interface RemovedCluster {
  clusterId: string;
  clusterName: string;
  /** Whether the inventory still lists it (else nothing can be done there). */
  inInventory: boolean;
  reason: string;
}

/** The placement of one workload in one round. */
export interface PlacementDecision {
  /** Selected, in-scope clusters, in inventory order. */
  targets: PlacementTarget[];
  removed: RemovedCluster[];
  /** What the placement left out and why (not-in-clusterNames and selector mismatches omitted). */
  excluded: PlacementExclusion[];
  /** Selected clusters outside the writer's deploy scope, by name. */
  outOfScope: string[];
  /** The earliest future moment a grace period ends (a round should run then). */
  nextDeadline?: number;
}

const FIT: ReadonlySet<ClusterHealth> = new Set(['healthy', 'degraded']);

/** Exclusions worth telling people about; the others are the placement working. */
const REPORTED = new Set(['in-exclude', 'unknown-cluster']);

/**
 * Where a workload runs this round, and how fit each cluster is. Pure.
 * Selection ignores health (failover decides what an unhealthy cluster
 * gets); clusters outside the writer's deploy scope are never selected; a
 * placed cluster that stops matching, leaves the scope or leaves the
 * inventory is removed.
 */
export function decidePlacement(input: {
  placement: WorkloadPlacement;
  clusters: InventoryCluster[];
  /** The writer's deploy scope: may the workload go to this cluster? */
  inScope: (cluster: InventoryCluster) => boolean;
  placed: PlacedCluster[];
  graceSeconds: number;
  now: number;
}): PlacementDecision {
  const { clusters, now } = input;
  const graceMs = input.graceSeconds * 1000;
  const placedById = new Map(input.placed.map(p => [p.clusterId, p]));
  const { selected, excluded } = selectClusters(
    input.placement,
    clusters.map(c => ({ name: c.name, labels: c.labels })),
  );
  const selectedNames = new Set(selected);
  const targets: PlacementTarget[] = [];
  const outOfScope: string[] = [];
  let nextDeadline: number | undefined;

  for (const cluster of clusters) {
    if (!selectedNames.has(cluster.name)) continue;
    if (!input.inScope(cluster)) {
      outOfScope.push(cluster.name);
      continue;
    }
    const placed = placedById.get(cluster.id);
    if (FIT.has(cluster.health)) {
      targets.push({ cluster, fitness: 'fit', placed: Boolean(placed) });
      continue;
    }
    if (!placed) {
      // A new cluster that is not healthy yet (never probed, or down): wait for it.
      targets.push({ cluster, fitness: 'waiting', placed: false });
      continue;
    }
    const unfitSince = placed.unfitSince ?? now;
    const deadline = unfitSince + graceMs;
    if (now >= deadline) {
      targets.push({
        cluster,
        fitness: 'failed-over',
        unfitSince,
        placed: true,
      });
    } else {
      targets.push({ cluster, fitness: 'grace', unfitSince, placed: true });
      nextDeadline =
        nextDeadline === undefined
          ? deadline
          : Math.min(nextDeadline, deadline);
    }
  }

  const targetIds = new Set(targets.map(t => t.cluster.id));
  const byId = new Map(clusters.map(c => [c.id, c]));
  const removed: RemovedCluster[] = [];
  for (const p of input.placed) {
    if (targetIds.has(p.clusterId)) continue;
    const cluster = byId.get(p.clusterId);
    let reason = 'the cluster left the inventory';
    if (cluster) {
      reason = outOfScope.includes(cluster.name)
        ? "the cluster is outside the deploy scope of the revision's writer"
        : 'the cluster no longer matches the placement';
    }
    removed.push({
      clusterId: p.clusterId,
      clusterName: cluster?.name ?? p.clusterName,
      inInventory: Boolean(cluster),
      reason,
    });
  }

  return {
    targets,
    removed,
    excluded: excluded.filter(e => REPORTED.has(e.reason)),
    outOfScope,
    ...(nextDeadline !== undefined ? { nextDeadline } : {}),
  };
}
