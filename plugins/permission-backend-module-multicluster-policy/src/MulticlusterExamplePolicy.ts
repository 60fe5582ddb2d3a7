/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { UserInfoService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  LABEL_TEAM_NAMESPACE,
  MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
  MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE,
  MULTICLUSTER_WORKLOAD_RESOURCE_TYPE,
  multiclusterClusterRefreshPermission,
  multiclusterEnvironmentCreatePermission,
} from '@archipelago/multicluster-common';
import {
  createMulticlusterClusterConditionalDecision,
  createMulticlusterEnvironmentConditionalDecision,
  createMulticlusterWorkloadConditionalDecision,
  multiclusterClusterConditions,
  multiclusterEnvironmentConditions,
  multiclusterWorkloadConditions,
} from '@archipelago/multicluster-node';
import { kubernetesProxyPermission } from '@backstage/plugin-kubernetes-common';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  type PermissionCondition,
  type PermissionCriteria,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';

/** Options of {@link MulticlusterExamplePolicy}. @public */
export interface MulticlusterExamplePolicyOptions {
  /** Resolves the user's ownership entity refs (their groups). */
  userInfo: UserInfoService;
  /** Entity refs (groups or users) allowed everything. */
  adminGroups: string[];
  /** Cluster label naming the owning team (a Group's name; default `team`). */
  teamLabel: string;
}

const lower = (s: string) => s.toLocaleLowerCase('en-US');
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * An example policy for the multicluster plugin and Backstage's Kubernetes
 * plugin:
 *
 * - members of an admin group (full entity refs) are allowed everything;
 * - others read and deploy to the clusters of their teams: a cluster's
 *   `team` label names a Group, and `archipelago.dev/team-namespace` its
 *   namespace when it is not `default`, so `group:other/payments` is not
 *   `group:default/payments`; seeing never implies deploying, but here both
 *   follow the team;
 *   they cannot trigger a refresh;
 * - environments and workloads: read, update, destroy, secret reads and
 *   workload writes only for their owners (the user or one of their groups);
 *   anyone may create an environment (the route checks the owner);
 * - Backstage's Kubernetes plugin: `kubernetes.proxy` (raw API access) for
 *   admins only; its other permissions are allowed (the cluster supplier shows
 *   each user only the clusters they may read);
 * - every other permission is allowed, as the allow-all policy does.
 *
 * @public
 */
export class MulticlusterExamplePolicy implements PermissionPolicy {
  private readonly admins: Set<string>;

  constructor(private readonly options: MulticlusterExamplePolicyOptions) {
    this.admins = new Set(options.adminGroups.map(lower));
  }

  /** Decides one permission request; see the class description. */
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const ours =
      permission.name.startsWith('multicluster.') ||
      isPermission(permission, kubernetesProxyPermission);
    if (!ours) return ALLOW;
    if (!user) return DENY;

    const { ownershipEntityRefs } = await this.options.userInfo.getUserInfo(
      user.credentials,
    );
    if (ownershipEntityRefs.some(r => this.admins.has(lower(r)))) return ALLOW;

    if (
      isPermission(permission, kubernetesProxyPermission) ||
      isPermission(permission, multiclusterClusterRefreshPermission)
    ) {
      return DENY;
    }
    if (isPermission(permission, multiclusterEnvironmentCreatePermission)) {
      return ALLOW;
    }
    if (!isResourcePermission(permission)) return DENY;

    switch (permission.resourceType) {
      case MULTICLUSTER_CLUSTER_RESOURCE_TYPE: {
        const [first, ...rest] = ownershipEntityRefs.flatMap(ref =>
          this.teamCondition(ref),
        );
        if (!first) return DENY;
        return createMulticlusterClusterConditionalDecision(
          permission as typeof permission & {
            resourceType: typeof MULTICLUSTER_CLUSTER_RESOURCE_TYPE;
          },
          { anyOf: [first, ...rest] },
        );
      }
      case MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE:
        if (ownershipEntityRefs.length === 0) return DENY;
        return createMulticlusterEnvironmentConditionalDecision(
          permission as typeof permission & {
            resourceType: typeof MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE;
          },
          multiclusterEnvironmentConditions.isOwner({
            claims: ownershipEntityRefs,
          }),
        );
      case MULTICLUSTER_WORKLOAD_RESOURCE_TYPE:
        if (ownershipEntityRefs.length === 0) return DENY;
        return createMulticlusterWorkloadConditionalDecision(
          permission as typeof permission & {
            resourceType: typeof MULTICLUSTER_WORKLOAD_RESOURCE_TYPE;
          },
          multiclusterWorkloadConditions.isOwner({
            claims: ownershipEntityRefs,
          }),
        );
      default:
        return DENY;
    }
  }

  /**
   * The clusters of one group, by full ref: its name in the team label, and
   * its namespace in the namespace label (absent, or `default`, for the
   * default namespace). Nothing for users and names labels cannot hold.
   */
  private teamCondition(
    ref: string,
  ): PermissionCriteria<PermissionCondition<'multicluster-cluster'>>[] {
    let parsed;
    try {
      parsed = parseEntityRef(ref);
    } catch {
      return [];
    }
    if (lower(parsed.kind) !== 'group') return [];
    const { name } = parsed;
    const namespace = lower(parsed.namespace);
    if (name.length > 63 || !LABEL_VALUE.test(name)) return [];
    const team = multiclusterClusterConditions.hasLabel({
      key: this.options.teamLabel,
      value: name,
    });
    const inNamespace = multiclusterClusterConditions.hasLabel({
      key: LABEL_TEAM_NAMESPACE,
      value: namespace,
    });
    if (namespace !== 'default') return [{ allOf: [team, inNamespace] }];
    return [
      {
        allOf: [
          team,
          {
            anyOf: [
              {
                not: multiclusterClusterConditions.hasLabel({
                  key: LABEL_TEAM_NAMESPACE,
                }),
              },
              inNamespace,
            ],
          },
        ],
      },
    ];
  }
}
