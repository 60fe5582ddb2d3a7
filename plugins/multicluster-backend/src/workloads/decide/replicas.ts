/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type ClusterReplicaPlan,
  isWorkload,
  type Manifest,
  planDeployment,
  type ReplicaDivision,
  workloadKey,
} from '@archipelago/multicluster-node';
import type { PlacedCluster, PlacementTarget } from './placement';

/**
 * Replicas of each Deployment and StatefulSet on each target, by cluster
 * name then workload key. KubeFed's planner runs over the clusters fit to
 * take replicas and those still in their grace period, with the replicas
 * planned last round as `current`, so nothing moves without a reason: a
 * cluster failed over gets none (its share goes to the others), a recovered
 * one gets its share back only with `rebalance`. While a cluster is failed
 * over or in its grace period the plan keeps `current` even with
 * `rebalance`: KubeFed's rebalance rounds shares up, which could take a live
 * cluster's replicas away (40 over 9 clusters: eight of 5 and one of 0) at
 * the very moment capacity is short. Without `replicas` every cluster runs
 * the manifest's count. Pure.
 */
export function planWorkloadReplicas(input: {
  manifests: Manifest[];
  namespace: string;
  replicas?: ReplicaDivision;
  targets: PlacementTarget[];
  placed: PlacedCluster[];
}): { plan: ClusterReplicaPlan; overflow: ClusterReplicaPlan } {
  const planning = input.targets.filter(
    t => t.fitness === 'fit' || t.fitness === 'grace',
  );
  const byId = new Map(input.placed.map(p => [p.clusterId, p]));
  const current: ClusterReplicaPlan = {};
  for (const t of planning) {
    const p = byId.get(t.cluster.id);
    if (p && !p.failedOver) current[t.cluster.name] = p.replicas;
  }
  const { plan, overflow } = planDeployment({
    manifests: input.manifests,
    namespace: input.namespace,
    clusters: planning.map(t => ({
      id: t.cluster.id,
      name: t.cluster.name,
      labels: t.cluster.labels,
      health: t.cluster.health,
      ...(t.cluster.capacity !== undefined
        ? { capacity: t.cluster.capacity }
        : {}),
    })),
    replicas:
      input.replicas?.rebalance &&
      input.targets.some(
        t => t.fitness === 'failed-over' || t.fitness === 'grace',
      )
        ? { ...input.replicas, rebalance: false }
        : input.replicas,
    current,
  });
  const keys = input.manifests
    .filter(isWorkload)
    .map(m => workloadKey(m, input.namespace));
  for (const t of input.targets) {
    if (plan[t.cluster.name]) continue;
    plan[t.cluster.name] = Object.fromEntries(keys.map(k => [k, 0]));
  }
  return { plan, overflow };
}
