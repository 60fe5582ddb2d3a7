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

/** Destroy an environment; a resource permission so a policy can allow owners only. @public */
export const multiclusterEnvironmentDeletePermission = createPermission({
  name: 'multicluster.environment.delete',
  attributes: { action: 'delete' },
  resourceType: MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE,
});

/** Every permission of the multicluster plugin, for the permission integration router. @public */
export const multiclusterPermissions = [
  multiclusterClusterReadPermission,
  multiclusterClusterRefreshPermission,
  multiclusterEnvironmentReadPermission,
  multiclusterEnvironmentCreatePermission,
  multiclusterEnvironmentDeletePermission,
];
