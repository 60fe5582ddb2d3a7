/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createPermission } from '@backstage/plugin-permission-common';

/** Resource type of clusters in permission policies and conditional decisions. @public */
export const MULTICLUSTER_CLUSTER_RESOURCE_TYPE = 'multicluster-cluster';

/** Resource type of environments. @public */
export const MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE =
  'multicluster-environment';

/** Resource type of workloads. @public */
export const MULTICLUSTER_WORKLOAD_RESOURCE_TYPE = 'multicluster-workload';

/**
 * See a cluster (list, details, health). A resource permission so a policy can
 * hide clusters by cloud, label or environment.
 * @public
 */
export const multiclusterClusterReadPermission = createPermission({
  name: 'multicluster.cluster.read',
  attributes: { action: 'read' },
  resourceType: MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
});

/** Trigger discovery and probing now (`POST /clusters/refresh`). @public */
export const multiclusterClusterRefreshPermission = createPermission({
  name: 'multicluster.cluster.refresh',
  attributes: { action: 'update' },
});

/**
 * Write to a cluster (workloads, `multicluster:deploy`). Checked for every
 * target cluster; seeing a cluster never implies this.
 * @public
 */
export const multiclusterClusterDeployPermission = createPermission({
  name: 'multicluster.cluster.deploy',
  attributes: { action: 'update' },
  resourceType: MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
});

/** See an environment, its components and events. @public */
export const multiclusterEnvironmentReadPermission = createPermission({
  name: 'multicluster.environment.read',
  attributes: { action: 'read' },
  resourceType: MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE,
});

/** Create an environment (`POST /environments`, scaffolder action). @public */
export const multiclusterEnvironmentCreatePermission = createPermission({
  name: 'multicluster.environment.create',
  attributes: { action: 'create' },
});

/**
 * Change an environment: update, rollback, heal, extend its TTL.
 * @public
 */
export const multiclusterEnvironmentUpdatePermission = createPermission({
  name: 'multicluster.environment.update',
  attributes: { action: 'update' },
  resourceType: MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE,
});

/** Destroy an environment; a resource permission so a policy can allow owners only. @public */
export const multiclusterEnvironmentDestroyPermission = createPermission({
  name: 'multicluster.environment.destroy',
  attributes: { action: 'delete' },
  resourceType: MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE,
});

/** Reveal one secret capability of an environment (audited). @public */
export const multiclusterEnvironmentSecretReadPermission = createPermission({
  name: 'multicluster.environment.secret.read',
  attributes: { action: 'read' },
  resourceType: MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE,
});

/** See a workload, its status, events and revisions. @public */
export const multiclusterWorkloadReadPermission = createPermission({
  name: 'multicluster.workload.read',
  attributes: { action: 'read' },
  resourceType: MULTICLUSTER_WORKLOAD_RESOURCE_TYPE,
});

/**
 * Create, change, roll back, pause, resume or delete a workload. Writing to
 * its clusters also needs `multicluster.cluster.deploy` on each of them.
 * @public
 */
export const multiclusterWorkloadWritePermission = createPermission({
  name: 'multicluster.workload.write',
  attributes: { action: 'update' },
  resourceType: MULTICLUSTER_WORKLOAD_RESOURCE_TYPE,
});

/** Every permission of the multicluster plugin, for the permission integration router. @public */
export const multiclusterPermissions = [
  multiclusterClusterReadPermission,
  multiclusterClusterRefreshPermission,
  multiclusterClusterDeployPermission,
  multiclusterEnvironmentReadPermission,
  multiclusterEnvironmentCreatePermission,
  multiclusterEnvironmentUpdatePermission,
  multiclusterEnvironmentDestroyPermission,
  multiclusterEnvironmentSecretReadPermission,
  multiclusterWorkloadReadPermission,
  multiclusterWorkloadWritePermission,
];
