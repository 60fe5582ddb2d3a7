/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  OnClusterRemovedPolicy,
  WorkloadDns,
  WorkloadOverride,
  WorkloadPhase,
  WorkloadPlacement,
  WorkloadRollout,
} from '@archipelago/multicluster-common';
import type { Manifest, ReplicaDivision } from '@archipelago/multicluster-node';
import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import type { RolloutState } from '../decide/rollout';

/**
 * A revision's desired state as stored: defaults applied, manifests
 * normalised and in apply order, every Secret value replaced by
 * `[REDACTED]` (the sealed values live beside it).
 */
export interface WorkloadSpec {
  name: string;
  owner: string;
  entityRef?: string;
  namespace: string;
  manifests: Manifest[];
  placement: WorkloadPlacement;
  replicas?: Required<ReplicaDivision>;
  overrides: WorkloadOverride[];
  rollout: WorkloadRollout;
  failover: { graceSeconds: number };
  onClusterRemoved: OnClusterRemovedPolicy;
  dns?: WorkloadDns;
}

/**
 * The clusters a revision's writer may deploy to, from their
 * `multicluster.cluster.deploy` decision: every cluster, or those meeting
 * the conditional decision's criteria. The reconciler, which runs without
 * the user, never places the revision outside it.
 */
export type DeployScope =
  | { all: true }
  | { all: false; criteria: PermissionCriteria<any> };

/** A workload row. */
export interface WorkloadRecord {
  name: string;
  owner: string;
  entityRef?: string;
  namespace: string;
  revision: number;
  generation: number;
  observedGeneration: number;
  paused: boolean;
  deleting: boolean;
  phase: WorkloadPhase;
  reason: string;
  rollout?: RolloutState;
  stableRevision?: number;
  createdBy?: string;
  createdAt: number;
  updatedAt: number;
}

/** A revision row. */
export interface RevisionRecord {
  workload: string;
  revision: number;
  spec: WorkloadSpec;
  /** Ciphertexts by reference. */
  secrets: Record<string, string>;
  scope: DeployScope;
  cause: string;
  createdBy?: string;
  createdAt: number;
}

/** A workload's row for one cluster. */
export interface ClusterRecord {
  workload: string;
  clusterId: string;
  clusterName: string;
  revision: number;
  replicas: Record<string, number>;
  desiredReplicas: number;
  readyReplicas: number;
  drift: string[];
  driftAt?: number;
  failedOver: boolean;
  unfitSince?: number;
  lastSyncAt?: number;
  error?: string;
}

/** One event. */
export interface EventRecord {
  id: number;
  at: number;
  level: 'info' | 'warning' | 'error';
  cluster?: string;
  message: string;
}
