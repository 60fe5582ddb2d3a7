/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * A Kubernetes API server emulator: many HTTPS clusters in one process, for local dev
 * environments, tests and benchmarks. The real kubectl, `@kubernetes/client-node` and Backstage's
 * Kubernetes plugin talk to it as to a real cluster.
 *
 * @packageDocumentation
 */

export { startCluster } from './cluster';
export type {
  EmulatedCluster,
  ClusterStore,
  ClusterKubeConfigOptions,
  FaultControl,
  NodePoolChange,
} from './clusterTypes';
export { startFleet } from './fleet';
export type { Fleet } from './fleet';
export { startWorkerFleet } from './workers/fleet';
export type { WorkerFleet, WorkerCluster } from './workers/fleet';
export type { LightRole } from './light/cluster';
export { ROLES } from './auth/roles';
export type { Role } from './auth/roles';
export type {
  ClusterOptions,
  FleetOptions,
  WorkerFleetOptions,
  LightClusterOptions,
  Faults,
  FaultsInput,
  NodeTemplate,
} from './options';
export {
  NO_FAULTS,
  faultsSchema,
  nodeTemplateSchema,
  clusterOptionsSchema,
  fleetOptionsSchema,
  lightClusterOptionsSchema,
  workerFleetOptionsSchema,
} from './options';
export type { ResolvedClusterOptions } from './options';
export type { KubeConfig, KubeConfigOptions } from './kubeconfig';
export type { KubeObject, ObjectMeta } from './store/store';
export type { ResourceRef } from './api/resources';
export { BEHAVIOR_ANNOTATION } from './controllers/images';
export type { ContainerBehavior } from './controllers/images';
