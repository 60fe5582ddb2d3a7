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
  multiclusterEnvironmentDeletePermission,
  multiclusterEnvironmentReadPermission,
  multiclusterPermissions,
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
      multiclusterEnvironmentDeletePermission,
      'multicluster.environment.delete',
      'delete',
      MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE,
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
      'multicluster.environment.read',
      'multicluster.environment.create',
      'multicluster.environment.delete',
    ]);
    expect(MULTICLUSTER_CLUSTER_RESOURCE_TYPE).toBe('multicluster-cluster');
    expect(MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE).toBe(
      'multicluster-environment',
    );
  });
});
