/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type Cluster,
  type Environment,
  MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
  MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE,
} from '@archipelago/multicluster-common';
import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import type { ClusterLabelCondition } from '../inventory/types';

/**
 * What an environment permission condition filters on.
 * @public
 */
export interface EnvironmentOwnerQuery {
  /** Entity refs of the owners whose environments match. */
  owners: string[];
}

/**
 * The cluster resource of the permission framework: rules apply to a `Cluster`
 * in memory and translate to a label condition the store turns into SQL.
 * @public
 */
export const multiclusterClusterResourceRef = createPermissionResourceRef<
  Cluster,
  ClusterLabelCondition
>().with({
  pluginId: 'multicluster',
  resourceType: MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
});

/**
 * The environment resource of the permission framework. Conditions apply to
 * the served `Environment`, so a policy sees what users see.
 * @public
 */
export const multiclusterEnvironmentResourceRef = createPermissionResourceRef<
  Environment,
  EnvironmentOwnerQuery
>().with({
  pluginId: 'multicluster',
  resourceType: MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE,
});
