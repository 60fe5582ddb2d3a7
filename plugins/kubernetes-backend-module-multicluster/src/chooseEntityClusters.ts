/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import type {
  ClusterHealth,
  EntityRelationsResponse,
} from '@archipelago/multicluster-common';
import type { VisibleCluster } from './MulticlusterClusterSupplier';

/**
 * Healths the locator hands over by default: clusters that answer. A degraded
 * cluster still serves its API, and its workloads are what one wants to see.
 * @public
 */
export const DEFAULT_LOCATOR_HEALTHS: readonly ClusterHealth[] = [
  'healthy',
  'degraded',
];

/** Why a cluster related to an entity was not handed over. @public */
export interface LeftOutCluster {
  /** The cluster's name. */
  cluster: string;
  /** Why it was left out, e.g. its health or that the caller may not see it. */
  reason: string;
}

/**
 * Picks an entity's clusters for the Kubernetes plugin. Pure, so the rules are
 * table-tested:
 * - inventory clusters the multicluster plugin related to the entity (its
 *   `archipelago.dev/cluster-selector`, its `archipelago.dev/environment`'s
 *   cluster, the names in `backstage.io/kubernetes-cluster`) and the clusters its
 *   workloads are placed on (`status.clusters`);
 * - default-supplier clusters whose name `backstage.io/kubernetes-cluster` lists;
 * - only those the caller may see (`visible`), and only inventory clusters
 *   whose health is in `healths` (the health the relations carry wins over
 *   the supplier's cached one, being fresher);
 * - each once, by name.
 * @public
 */
export function chooseEntityClusters(input: {
  relations: Pick<EntityRelationsResponse, 'clusters' | 'workloads'>;
  /** Names from the entity's `backstage.io/kubernetes-cluster` annotation. */
  kubernetesClusterNames: string[];
  visible: VisibleCluster[];
  healths: readonly ClusterHealth[];
}): { clusters: ClusterDetails[]; leftOut: LeftOutCluster[] } {
  const { relations, kubernetesClusterNames, visible, healths } = input;
  const byId = new Map<string, VisibleCluster>();
  const defaultsByName = new Map<string, VisibleCluster>();
  for (const v of visible) {
    if (v.id) byId.set(v.id, v);
    else defaultsByName.set(v.details.name, v);
  }
  const wanted = new Map<string, ClusterHealth | undefined>();
  for (const c of relations.clusters) wanted.set(c.id, c.status.health);
  for (const w of relations.workloads ?? []) {
    for (const placed of w.status?.clusters ?? []) {
      if (!wanted.has(placed.cluster)) wanted.set(placed.cluster, undefined);
    }
  }

  const chosen = new Map<string, ClusterDetails>();
  const leftOut: LeftOutCluster[] = [];
  for (const [id, relatedHealth] of wanted) {
    const v = byId.get(id);
    if (!v) {
      // Not supplied: the caller may not see it, or it cannot be handed over.
      leftOut.push({ cluster: id, reason: 'not supplied to this caller' });
      continue;
    }
    const health = relatedHealth ?? v.health ?? 'unknown';
    if (!healths.includes(health)) {
      leftOut.push({ cluster: id, reason: health });
      continue;
    }
    chosen.set(v.details.name, v.details);
  }
  for (const name of kubernetesClusterNames) {
    const v = defaultsByName.get(name);
    if (v && !chosen.has(name)) chosen.set(name, v.details);
  }
  return {
    clusters: [...chosen.values()].sort((a, b) => a.name.localeCompare(b.name)),
    leftOut,
  };
}
