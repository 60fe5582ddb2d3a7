/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// The Kubernetes client lives in the apply library of
// @archipelago/multicluster-node, shared with the workloads reconciler.
export {
  KubeApiError,
  KubeClient,
  type KubeClientOptions,
  type KubeConnection as ClusterConnection,
  type KubeRequestOptions,
  type ResourceInfo,
  type TransportFailure,
} from '@archipelago/multicluster-node';
