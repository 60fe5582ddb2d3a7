/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type Cluster,
  MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
} from '@archipelago/multicluster-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import { multiclusterClusterRules } from '../permissions';
import type { DeployScope } from './store/records';

/**
 * Whether a cluster is inside a writer's deploy scope: every cluster, or
 * those meeting the stored criteria of their conditional
 * `multicluster.cluster.deploy` decision, evaluated with the plugin's
 * cluster rules. Criteria naming a rule the plugin no longer has match
 * nothing.
 */
export function createScopeCheck(): (
  scope: DeployScope,
  cluster: Cluster,
) => boolean {
  const authorize = createConditionAuthorizer(
    Object.values(multiclusterClusterRules),
  );
  return (scope, cluster) => {
    if (scope.all) return true;
    try {
      return authorize(
        {
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'multicluster',
          resourceType: MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
          conditions: scope.criteria,
        },
        cluster,
      );
    } catch {
      return false;
    }
  };
}
