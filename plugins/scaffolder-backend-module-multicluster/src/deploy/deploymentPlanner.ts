/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Placement, replica plan and per-cluster objects (pure): the shared apply
// library.
export {
  checkOverrideTargets,
  chooseClusters,
  type ClusterReplicaPlan as ReplicaPlan,
  manifestsForCluster,
  planDeployment,
  replicasOf,
  type TargetCluster,
} from '@archipelago/multicluster-node';
