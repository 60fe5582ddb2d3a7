/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Capture, server-side apply, readiness wait and rollback on one cluster: the
// shared apply library.
export {
  type ApplyProgress,
  applyCluster,
  captureCluster,
  capturedSecrets,
  type ClusterSnapshot,
  dryRunApply,
  DryRunRejection,
  namespaceToEnsure,
  type ObjectSnapshot,
  restorable,
  rollbackCluster,
  type WaitOutcome,
  waitForWorkloads,
} from '@archipelago/multicluster-node';
