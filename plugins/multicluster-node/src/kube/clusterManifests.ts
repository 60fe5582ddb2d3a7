/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  applyOverrides,
  type ClusterHealth,
  type JsonPatchOperation,
  type Placement,
  type PlacementExclusion,
  planReplicas,
  type ReplicaPreference,
  selectClusters,
} from '@archipelago/multicluster-common';
import { InputError } from '@backstage/errors';
import {
  describeManifest,
  isWorkload,
  type Manifest,
  matchesTarget,
  workloadKey,
} from './manifests';

/**
 * Per-cluster JSON patches on the objects a target (`kind`, `name`, both
 * optional) selects, applied after the replica plan.
 * @public
 */
export interface ManifestOverride {
  /** The cluster it applies to. */
  clusterName: string;
  /** Only objects of this kind (default every kind). */
  kind?: string;
  /** Only objects of this name (default every name). */
  name?: string;
  /** JSON patches applied to each matching object. */
  patches: JsonPatchOperation[];
}

/** How replicas of each Deployment and StatefulSet are divided (KubeFed's ReplicaSchedulingPreference). @public */
export interface ReplicaDivision {
  /** Replicas to divide across the clusters. */
  totalReplicas: number;
  /** Weight, minimum and maximum per cluster name (`*` for every cluster). */
  preferences: Record<string, ReplicaPreference>;
  /** Whether replicas already placed may move. */
  rebalance?: boolean;
}

/** A cluster as the deploy action keeps it between steps (no credentials). @public */
export type TargetCluster = {
  id: string;
  name: string;
  labels: Record<string, string>;
  health: ClusterHealth;
  /** Pods its ready nodes can hold, as last probed; absent means unbounded. */
  capacity?: number;
};

/** Reasons worth reporting: the others (not named, selector mismatch) are the placement working. */
const REPORTED_REASONS = new Set([
  'in-exclude',
  'unreachable',
  'unauthorized',
  'unknown-cluster',
]);

/** Replicas per cluster name, then per workload key (`namespace/name`). @public */
export type ClusterReplicaPlan = Record<string, Record<string, number>>;

/**
 * The clusters a placement selects from the inventory, and the excluded ones
 * a person would want to hear about. A placement with neither names nor a
 * selector is an input error rather than an empty deployment.
 * @public
 */
export function chooseClusters(
  placement: Placement,
  clusters: TargetCluster[],
): { selected: TargetCluster[]; excluded: PlacementExclusion[] } {
  if (
    !placement.clusterNames?.length &&
    placement.clusterSelector === undefined
  ) {
    throw new InputError(
      'Invalid input: placement needs clusterNames or a clusterSelector (an empty selector selects every cluster)',
    );
  }
  const { selected, excluded } = selectClusters(
    placement,
    clusters.map(c => ({ name: c.name, labels: c.labels, health: c.health })),
  );
  const byName = new Map(clusters.map(c => [c.name, c]));
  return {
    selected: selected.map(name => byName.get(name)!),
    excluded: excluded.filter(e => REPORTED_REASONS.has(e.reason)),
  };
}

/** Every override must select at least one manifest: a typo would otherwise deploy silently unpatched. @public */
export function checkOverrideTargets(
  manifests: Manifest[],
  overrides: ManifestOverride[],
): void {
  overrides.forEach((override, i) => {
    if (!manifests.some(m => matchesTarget(m, override))) {
      const target = [
        override.kind && `kind ${override.kind}`,
        override.name && `name ${override.name}`,
      ]
        .filter(Boolean)
        .join(', ');
      throw new InputError(
        `Invalid input: overrides.${i} (${
          target || 'any object'
        }) matches no object in the manifests`,
      );
    }
  });
}

/**
 * Replicas of each Deployment and StatefulSet on each cluster. With `replicas`
 * every workload is planned on its own with the KubeFed planner (key
 * `namespace/name`, replicas already running kept unless `rebalance`, capped
 * by each cluster's capacity); without it every cluster gets the manifest's
 * `spec.replicas` (1 when unset, as Kubernetes defaults it).
 * @public
 */
export function planDeployment(options: {
  manifests: Manifest[];
  namespace: string;
  clusters: TargetCluster[];
  replicas?: ReplicaDivision;
  /** Replicas running now, per cluster name then workload key (missing: not deployed there). */
  current?: ClusterReplicaPlan;
}): { plan: ClusterReplicaPlan; overflow: ClusterReplicaPlan } {
  const { manifests, namespace, clusters, replicas, current = {} } = options;
  const workloads = manifests.filter(isWorkload);
  const plan: ClusterReplicaPlan = Object.fromEntries(
    clusters.map(c => [c.name, {}]),
  );
  const overflow: ClusterReplicaPlan = {};
  const capacity: Record<string, number> = {};
  for (const c of clusters)
    if (c.capacity !== undefined) capacity[c.name] = c.capacity;

  for (const workload of workloads) {
    const key = workloadKey(workload, namespace);
    if (!replicas) {
      const fixed =
        (workload.spec as { replicas?: number } | undefined)?.replicas ?? 1;
      for (const c of clusters) plan[c.name][key] = fixed;
      continue;
    }
    const running: Record<string, number> = {};
    for (const c of clusters) {
      const n = current[c.name]?.[key];
      if (n !== undefined) running[c.name] = n;
    }
    const result = planReplicas({
      totalReplicas: replicas.totalReplicas,
      clusters: clusters.map(c => c.name),
      preferences: replicas.preferences,
      rebalance: replicas.rebalance,
      current: running,
      capacity,
      key,
    });
    for (const c of clusters) plan[c.name][key] = result.plan[c.name] ?? 0;
    for (const [name, n] of Object.entries(result.overflow)) {
      if (n > 0) (overflow[name] ??= {})[key] = n;
    }
  }
  return { plan, overflow };
}

/**
 * The objects for one cluster: workloads get the planned replicas, then the
 * cluster's overrides apply (so an override may pin replicas, as in KubeFed).
 * Pure; the inputs are never mutated.
 * @public
 */
export function manifestsForCluster(options: {
  manifests: Manifest[];
  namespace: string;
  clusterName: string;
  replicas: Record<string, number>;
  overrides: ManifestOverride[];
}): Manifest[] {
  const { manifests, namespace, clusterName, replicas, overrides } = options;
  const mine = overrides.filter(o => o.clusterName === clusterName);
  return manifests.map(manifest => {
    let out: Manifest = manifest;
    const key = workloadKey(manifest, namespace);
    if (isWorkload(manifest) && replicas[key] !== undefined) {
      out = {
        ...manifest,
        spec: {
          ...((manifest.spec as object | undefined) ?? {}),
          replicas: replicas[key],
        },
      };
    }
    const patches = mine
      .filter(o => matchesTarget(manifest, o))
      .flatMap(o => o.patches);
    if (patches.length === 0) return out;
    try {
      return applyOverrides(out, patches);
    } catch (error) {
      throw new InputError(
        `Invalid input: overrides for cluster ${clusterName} on ${describeManifest(
          manifest,
          namespace,
        )}: ${(error as Error).message}`,
      );
    }
  });
}

/** Final replicas of each workload in a cluster's objects (after overrides). @public */
export function replicasOf(
  manifests: Manifest[],
  namespace: string,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of manifests) {
    if (isWorkload(m))
      out[workloadKey(m, namespace)] =
        (m.spec as { replicas?: number } | undefined)?.replicas ?? 1;
  }
  return out;
}
