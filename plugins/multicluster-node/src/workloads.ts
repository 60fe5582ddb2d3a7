/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { WorkloadRequest } from '@archipelago/multicluster-common';
import type { Manifest } from './kube';

/**
 * One cluster's share of a workload, as the multicluster plugin decided it:
 * placement, replica plan, per-cluster overrides and rollout step are the
 * plugin's; making the cluster run the objects is the reconciler's.
 * @public
 */
export interface WorkloadClusterTarget {
  /** The cluster (inventory id and name). */
  cluster: { id: string; name: string };
  /** The revision the objects belong to. */
  revision: number;
  /**
   * The objects for this cluster, in apply order: replicas planned,
   * overrides applied, Secret values in the clear (never log them).
   */
  objects: Manifest[];
  /**
   * `apply`: write every object (a new revision, new replicas); `repair`:
   * read, and write only the objects that drifted or are missing;
   * `observe`: read only (a paused workload, a rollout step being watched).
   */
  mode: 'apply' | 'repair' | 'observe';
}

/** What the plugin asks of a reconciler in one round for one workload. @public */
export interface WorkloadReconcileRequest {
  /** The workload's name. */
  workload: string;
  /** Namespace of the namespaced objects (created where missing). */
  namespace: string;
  /** One target per cluster the workload is on. */
  targets: WorkloadClusterTarget[];
}

/** What a reconciler found and did on one cluster. Holds no Secret value. @public */
export interface WorkloadClusterOutcome {
  /** Inventory id of the cluster. */
  clusterId: string;
  /** False when the cluster was not reached (unreachable, unauthorized, no usable connection, timed out). */
  reached: boolean;
  /** Objects written in this call. */
  applied: number;
  /** What differed from the objects before any write (fields we own, objects missing). */
  drift: string[];
  /** Replicas the Deployments and StatefulSets ask for, and have ready. */
  desiredReplicas: number;
  /** Replicas of those that are ready. */
  readyReplicas: number;
  /** Whether every object with a readiness is ready; `failed` when waiting longer cannot help. */
  ready: boolean;
  /** Whether a rollout failed for good (waiting longer cannot help). */
  failed: boolean;
  /** Why not ready, or the error. */
  reason?: string;
  /** The error, when the cluster was not reached or a call failed. */
  error?: string;
}

/** Objects to take off clusters. @public */
export interface WorkloadRemoveRequest {
  /** The workload's name. */
  workload: string;
  /** Namespace of the namespaced objects. */
  namespace: string;
  /** The objects to delete, per cluster. */
  targets: Array<{
    cluster: { id: string; name: string };
    objects: Manifest[];
  }>;
}

/** What removing did on one cluster. @public */
export interface WorkloadRemoveOutcome {
  /** Inventory id of the cluster. */
  clusterId: string;
  /** False when the cluster was not reached. */
  reached: boolean;
  /** Objects deleted (or already gone). */
  removed: number;
  /** The error, when the cluster was not reached or a delete failed. */
  error?: string;
}

/**
 * The part of the workloads engine that talks to clusters: desired objects
 * per cluster in, per-cluster status out. Every call is bounded per cluster
 * (a hung cluster never delays the others) and idempotent. The built-in one
 * server-side applies with each cluster's deploy identity; a module may put
 * another in its place (Argo CD ApplicationSets, Karmada, Open Cluster
 * Management) through {@link multiclusterWorkloadsExtensionPoint}.
 * @public
 */
export interface WorkloadReconciler {
  /** Makes each target cluster run its objects (as `mode` says) and reports what it found. */
  reconcile(
    request: WorkloadReconcileRequest,
    options?: { signal?: AbortSignal },
  ): Promise<WorkloadClusterOutcome[]>;
  /** Deletes the objects from each cluster; deleting what is gone succeeds. */
  remove(
    request: WorkloadRemoveRequest,
    options?: { signal?: AbortSignal },
  ): Promise<WorkloadRemoveOutcome[]>;
}

/** The workloads extension point's interface (see {@link multiclusterWorkloadsExtensionPoint}). @public */
export interface MulticlusterWorkloadsExtensionPoint {
  /** Replaces the built-in reconciler; at most one module may. */
  setReconciler(reconciler: WorkloadReconciler): void;
  /**
   * Workloads created at startup when absent, never overwritten (demo and
   * platform defaults). They may be placed on any cluster: they come from
   * installed code, not from a user.
   */
  addWorkloads(...workloads: WorkloadRequest[]): void;
}

/**
 * Replace the workloads reconciler, or add workloads at startup.
 * @public
 */
export const multiclusterWorkloadsExtensionPoint =
  createExtensionPoint<MulticlusterWorkloadsExtensionPoint>({
    id: 'multicluster.workloads',
  });
