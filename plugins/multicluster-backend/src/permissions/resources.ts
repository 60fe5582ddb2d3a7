/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type Cluster,
  type Environment,
  MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
  MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE,
  MULTICLUSTER_WORKLOAD_RESOURCE_TYPE,
  type Workload,
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

/**
 * What a workload permission condition filters on.
 * @public
 */
export interface WorkloadOwnerQuery {
  /** Entity refs of the owners whose workloads match. */
  owners: string[];
}

/**
 * The workload resource of the permission framework. Conditions apply to the
 * served `Workload` (its `owner`), so a policy sees what users see.
 * @public
 */
export const multiclusterWorkloadResourceRef = createPermissionResourceRef<
  Workload,
  WorkloadOwnerQuery
>().with({
  pluginId: 'multicluster',
  resourceType: MULTICLUSTER_WORKLOAD_RESOURCE_TYPE,
});
