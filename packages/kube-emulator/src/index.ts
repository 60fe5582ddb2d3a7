/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * A Kubernetes API server emulator: many HTTPS clusters in one process, for local dev
 * environments, tests and benchmarks. The real kubectl, @kubernetes/client-node and Backstage's
 * Kubernetes plugin talk to it as to a real cluster.
 *
 * @packageDocumentation
 */

export { startCluster } from './cluster';
export type { EmulatedCluster, ClusterStore, FaultControl } from './cluster';
export { startFleet } from './fleet';
export type { Fleet } from './fleet';
export type {
  ClusterOptions,
  FleetOptions,
  Faults,
  FaultsInput,
  NodeTemplate,
} from './options';
export { NO_FAULTS } from './options';
export type { KubeConfig } from './kubeconfig';
export type { KubeObject } from './store/store';
export type { ResourceRef } from './api/resources';
