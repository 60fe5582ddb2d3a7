/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { isResourcePermission } from '@backstage/plugin-permission-common';
import {
  MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
  MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE,
  multiclusterClusterReadPermission,
  multiclusterClusterRefreshPermission,
  multiclusterEnvironmentCreatePermission,
  multiclusterClusterDeployPermission,
  multiclusterEnvironmentDestroyPermission,
  multiclusterEnvironmentReadPermission,
  multiclusterEnvironmentSecretReadPermission,
  multiclusterEnvironmentUpdatePermission,
  multiclusterPermissions,
  multiclusterWorkloadReadPermission,
  multiclusterWorkloadWritePermission,
  MULTICLUSTER_WORKLOAD_RESOURCE_TYPE,
} from './permissions';

describe('permissions', () => {
  it.each([
    [
      multiclusterClusterReadPermission,
      'multicluster.cluster.read',
      'read',
      MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
    ],
    [
      multiclusterClusterRefreshPermission,
      'multicluster.cluster.refresh',
      'update',
      undefined,
    ],
    [
      multiclusterEnvironmentReadPermission,
      'multicluster.environment.read',
      'read',
      MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE,
    ],
    [
      multiclusterEnvironmentCreatePermission,
      'multicluster.environment.create',
      'create',
      undefined,
    ],
    [
      multiclusterClusterDeployPermission,
      'multicluster.cluster.deploy',
      'update',
      MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
    ],
    [
      multiclusterEnvironmentUpdatePermission,
      'multicluster.environment.update',
      'update',
      MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE,
    ],
    [
      multiclusterEnvironmentDestroyPermission,
      'multicluster.environment.destroy',
      'delete',
      MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE,
    ],
    [
      multiclusterEnvironmentSecretReadPermission,
      'multicluster.environment.secret.read',
      'read',
      MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE,
    ],
    [
      multiclusterWorkloadReadPermission,
      'multicluster.workload.read',
      'read',
      MULTICLUSTER_WORKLOAD_RESOURCE_TYPE,
    ],
    [
      multiclusterWorkloadWritePermission,
      'multicluster.workload.write',
      'update',
      MULTICLUSTER_WORKLOAD_RESOURCE_TYPE,
    ],
  ])('%j', (permission, name, action, resourceType) => {
    expect(permission.name).toBe(name);
    expect(permission.attributes.action).toBe(action);
    expect(permission.type).toBe(resourceType ? 'resource' : 'basic');
    expect(
      'resourceType' in permission ? permission.resourceType : undefined,
    ).toBe(resourceType);
    expect(
      isResourcePermission(permission, resourceType ?? 'no-such-type'),
    ).toBe(resourceType !== undefined);
  });

  it('lists every permission once', () => {
    expect(multiclusterPermissions.map(p => p.name)).toEqual([
      'multicluster.cluster.read',
      'multicluster.cluster.refresh',
      'multicluster.cluster.deploy',
      'multicluster.environment.read',
      'multicluster.environment.create',
      'multicluster.environment.update',
      'multicluster.environment.destroy',
      'multicluster.environment.secret.read',
      'multicluster.workload.read',
      'multicluster.workload.write',
    ]);
    expect(MULTICLUSTER_CLUSTER_RESOURCE_TYPE).toBe('multicluster-cluster');
    expect(MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE).toBe(
      'multicluster-environment',
    );
    expect(MULTICLUSTER_WORKLOAD_RESOURCE_TYPE).toBe('multicluster-workload');
  });
});
