/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// The apply library shared by `multicluster:deploy` (the one-shot push) and
// the workloads reconciler: a small Kubernetes REST client, manifest parsing
// and bounds, per-cluster objects (replica plan and overrides), server-side
// apply with a field manager, readiness, capture and restore, redaction of
// Secret values.
export {
  KubeApiError,
  KubeClient,
  type KubeClientOptions,
  type KubeConnection,
  type KubeRequestOptions,
  type ResourceInfo,
  type TransportFailure,
} from './KubeClient';
export {
  describeManifest,
  hasReadiness,
  isWorkload,
  type Manifest,
  matchesTarget,
  normaliseManifests,
  parseManifestText,
  READINESS_KINDS,
  WORKLOAD_KINDS,
  workloadKey,
} from './manifests';
export {
  checkParsedManifests,
  checkRawManifests,
  DEFAULT_MANIFEST_LIMITS,
  type ManifestLimits,
} from './manifestLimits';
export { type Readiness, workloadReadiness } from './readiness';
export {
  hasSecretDataRemoved,
  isSecret,
  LAST_APPLIED,
  REDACTED,
  Redactor,
  SECRET_DATA_REMOVED,
  secretValues,
  withoutSecretData,
} from './redact';
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
} from './clusterOps';
export { type WaitOutcome, waitForWorkloads } from './waitForWorkloads';
export {
  checkOverrideTargets,
  chooseClusters,
  type ClusterReplicaPlan,
  type ManifestOverride,
  manifestsForCluster,
  planDeployment,
  type ReplicaDivision,
  replicasOf,
  type TargetCluster,
} from './clusterManifests';
