/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { Faults, FaultsInput, ResolvedClusterOptions } from './options';
import { KubeObject } from './store/store';
import { ResourceRef } from './api/resources';
import { KubeConfig } from './kubeconfig';
import { Role } from './auth/roles';
import { z } from 'zod';

/**
 * Direct access to a cluster's objects, for tests and tools (writes go through admission).
 * @public
 */
export interface ClusterStore {
  /** Objects of a type ("pods", "deployments.apps", "apps/v1/deployments", …), optionally in a namespace. */
  list(resource: ResourceRef, namespace?: string): KubeObject[];
  /** One object by type and name, optionally in a namespace. */
  get(
    resource: ResourceRef,
    name: string,
    namespace?: string,
  ): KubeObject | undefined;
  /** Creates an object (as a POST would: it gets a uid and resourceVersion). */
  create(resource: ResourceRef, object: KubeObject): KubeObject;
  /** Replaces an object (as a PUT would). */
  update(resource: ResourceRef, object: KubeObject): KubeObject;
  /** Deletes an object, if it exists. */
  delete(resource: ResourceRef, name: string, namespace?: string): void;
  /** The cluster-wide resourceVersion (etcd revision). */
  readonly resourceVersion: number;
}

/**
 * Changing a cluster's faults at run time.
 * @public
 */
export interface FaultControl {
  /** The faults in force. */
  get(): Faults;
  /** Changes the given faults; the others keep their value. */
  setFaults(faults: FaultsInput): Promise<void>;
  /** Back to a healthy cluster. */
  clearFaults(): Promise<void>;
}

/**
 * Which identity a one-cluster kubeconfig holds.
 * @public
 */
export interface ClusterKubeConfigOptions {
  /** The role whose token the context uses (default `admin`). */
  role?: Role;
  /**
   * The view token, in a context named `<name>-readonly`.
   * @deprecated use `{ role: 'view' }`
   */
  readOnly?: boolean;
}

/**
 * One emulated Kubernetes API server.
 * @public
 */
export interface EmulatedCluster {
  /** The cluster's name, e.g. `emulator-1`. */
  readonly name: string;
  /** https://127.0.0.1:PORT */
  readonly url: string;
  /** The HTTPS port on 127.0.0.1. */
  readonly port: number;
  /** PEM of the cluster's CA. */
  readonly caData: string;
  /** One bearer token per role (see {@link Role}). */
  readonly tokens: Readonly<Record<Role, string>>;
  /** The admin token: the same as `tokens.admin`. */
  readonly adminToken: string;
  /**
   * The view token: reads except Secrets succeed; writes get 403 Forbidden.
   * @deprecated use `tokens.view`
   */
  readonly readOnlyToken: string;
  /** Whether it is serving. */
  readonly running: boolean;
  /** The options it was started with, defaults applied. */
  readonly options: ResolvedClusterOptions;
  /** Reads and changes its faults. */
  readonly faults: FaultControl;
  /** Changes the given faults; the others keep their value. */
  setFaults(faults: FaultsInput): Promise<void>;
  /** Back to a healthy cluster. */
  clearFaults(): Promise<void>;
  /**
   * Resizes the node pool of the running cluster, as a managed node group
   * is resized: new nodes register, existing ones take the new capacity and
   * labels, nodes past the count are removed.
   */
  resizeNodes(pool: NodePoolChange): Promise<void>;
  /** Its objects, read and written directly (no HTTP). */
  readonly store: ClusterStore;
  /**
   * A kubeconfig with this cluster as its one context, named after the cluster, with the
   * identity of `role` (default `admin`).
   */
  kubeconfig(options?: ClusterKubeConfigOptions): KubeConfig;
  /** {@link EmulatedCluster.kubeconfig} as YAML. */
  kubeconfigYaml(options?: ClusterKubeConfigOptions): string;
  /** Stops serving (connections are closed); the objects stay, and are persisted if configured. */
  stop(): Promise<void>;
  /** Serves again on the same port. */
  start(): Promise<void>;
}

/** A change of a running cluster's node pool; what is left out stays. @public */
export interface NodePoolChange {
  /** How many nodes the pool has. */
  nodes?: number;
  /** Allocatable CPU of each node, a Kubernetes quantity (e.g. `4`). */
  cpu?: string;
  /** Allocatable memory of each node, a Kubernetes quantity (e.g. `16Gi`). */
  memory?: string;
  /** Labels every node carries. */
  labels?: Record<string, string>;
}

export const nodePoolChangeSchema = z
  .object({
    nodes: z.number().int().min(0).max(5_000).optional(),
    cpu: z.string().min(1).optional(),
    memory: z.string().min(1).optional(),
    labels: z.record(z.string()).optional(),
  })
  .strict();
