/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
  MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE,
  MULTICLUSTER_WORKLOAD_RESOURCE_TYPE,
} from '@archipelago/multicluster-common';
import {
  AuthorizeResult,
  type ConditionalPolicyDecision,
  type PermissionCondition,
  type PermissionCriteria,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';

// Conditions for permission policies. The rules themselves (how a condition
// applies to a cluster or an environment, and becomes SQL) live in the
// multicluster backend plugin, which registers them; a policy only names them,
// so it needs no dependency on the plugin.

/** Parameters of the `HAS_LABEL` cluster rule. @public */
export type ClusterHasLabelParams = { key: string; value?: string };

/** Parameters of the `IS_OWNER` environment rule. @public */
export type EnvironmentIsOwnerParams = { claims: string[] };

/** The permission resource type of clusters. @public */
export type ClusterResourceType = typeof MULTICLUSTER_CLUSTER_RESOURCE_TYPE;
/** The permission resource type of workloads. @public */
export type WorkloadResourceType = typeof MULTICLUSTER_WORKLOAD_RESOURCE_TYPE;
/** Parameters of the `IS_OWNER` workload rule. @public */
export type WorkloadIsOwnerParams = { claims: string[] };
/** The permission resource type of environments. @public */
export type EnvironmentResourceType =
  typeof MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE;

/**
 * Condition factories for cluster permissions (`multicluster.cluster.read`):
 * `multiclusterClusterConditions.hasLabel({ key: 'team', value: 'payments' })`.
 * @public
 */
export const multiclusterClusterConditions = {
  /** The cluster has label `key` (equal to `value`, when given). */
  hasLabel: (
    params: ClusterHasLabelParams,
  ): PermissionCondition<ClusterResourceType, ClusterHasLabelParams> => ({
    rule: 'HAS_LABEL',
    resourceType: MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
    params,
  }),
};

/**
 * Condition factories for environment permissions (`.read`, `.destroy`, …):
 * `multiclusterEnvironmentConditions.isOwner({ claims: user.info.ownershipEntityRefs })`.
 * @public
 */
export const multiclusterEnvironmentConditions = {
  /** The environment's owner is one of the claims. */
  isOwner: (
    params: EnvironmentIsOwnerParams,
  ): PermissionCondition<
    EnvironmentResourceType,
    EnvironmentIsOwnerParams
  > => ({
    rule: 'IS_OWNER',
    resourceType: MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE,
    params,
  }),
};

/**
 * Condition factories for workload permissions (`.read`, `.write`):
 * `multiclusterWorkloadConditions.isOwner({ claims: user.info.ownershipEntityRefs })`.
 * @public
 */
export const multiclusterWorkloadConditions = {
  /** The workload's owner is one of the claims. */
  isOwner: (
    params: WorkloadIsOwnerParams,
  ): PermissionCondition<WorkloadResourceType, WorkloadIsOwnerParams> => ({
    rule: 'IS_OWNER',
    resourceType: MULTICLUSTER_WORKLOAD_RESOURCE_TYPE,
    params,
  }),
};

function conditionalDecision(
  permission: ResourcePermission,
  conditions: PermissionCriteria<PermissionCondition>,
): ConditionalPolicyDecision {
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'multicluster',
    resourceType: permission.resourceType,
    conditions,
  };
}

/**
 * A conditional decision for a cluster permission.
 * @public
 */
export const createMulticlusterClusterConditionalDecision: (
  permission: ResourcePermission<ClusterResourceType>,
  conditions: PermissionCriteria<PermissionCondition<ClusterResourceType>>,
) => ConditionalPolicyDecision = conditionalDecision;

/**
 * A conditional decision for an environment permission.
 * @public
 */
export const createMulticlusterEnvironmentConditionalDecision: (
  permission: ResourcePermission<EnvironmentResourceType>,
  conditions: PermissionCriteria<PermissionCondition<EnvironmentResourceType>>,
) => ConditionalPolicyDecision = conditionalDecision;

/**
 * A conditional decision for a workload permission.
 * @public
 */
export const createMulticlusterWorkloadConditionalDecision: (
  permission: ResourcePermission<WorkloadResourceType>,
  conditions: PermissionCriteria<PermissionCondition<WorkloadResourceType>>,
) => ConditionalPolicyDecision = conditionalDecision;
