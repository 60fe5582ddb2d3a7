/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// The rules the multicluster plugin registers, to check what a conditional decision lets through.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import {
  multiclusterClusterRules,
  multiclusterEnvironmentRules,
} from '@archipelago/multicluster-backend';
import {
  type Cluster,
  type Environment,
  LABEL_TEAM_NAMESPACE,
  multiclusterPermissions,
} from '@archipelago/multicluster-common';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { kubernetesPermissions } from '@backstage/plugin-kubernetes-common';
import {
  AuthorizeResult,
  type Permission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import { MulticlusterExamplePolicy } from './MulticlusterExamplePolicy';

/** Who belongs to what: full entity refs, namespace included. */
const OWNERSHIP: Record<string, string[]> = {
  'user:default/ada': ['user:default/ada', 'group:default/platform-admins'],
  'user:default/pat': ['user:default/pat', 'group:default/payments'],
  // A group of the same name in another namespace: not team payments.
  'user:default/sam': ['user:default/sam', 'group:other/payments'],
  'user:default/nobody': ['user:default/nobody'],
};

const policy = new MulticlusterExamplePolicy({
  adminGroups: ['group:default/Platform-Admins'],
  teamLabel: 'team',
  userInfo: mockServices.userInfo.mock({
    getUserInfo: async credentials => {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return { userEntityRef: ref, ownershipEntityRefs: OWNERSHIP[ref] };
    },
  }),
});

const as = (ref: string) => ({
  credentials: mockCredentials.user(ref),
  info: { userEntityRef: ref, ownershipEntityRefs: OWNERSHIP[ref] },
});

// What a conditional decision lets through, applied by the plugin's own rules.
const clusters: Record<string, Cluster> = Object.fromEntries(
  Object.entries({
    payments: { team: 'payments' },
    'payments-explicit-default': {
      team: 'payments',
      [LABEL_TEAM_NAMESPACE]: 'default',
    },
    'other-payments': { team: 'payments', [LABEL_TEAM_NAMESPACE]: 'other' },
    search: { team: 'search' },
    unowned: {},
  }).map(([name, labels]) => [name, { name, labels } as Cluster]),
);
const environments: Record<string, Environment> = Object.fromEntries(
  Object.entries({
    'payments-env': 'group:default/payments',
    'other-payments-env': 'group:other/payments',
    'pat-env': 'user:default/pat',
    'nobody-env': 'user:default/nobody',
  }).map(([name, owner]) => [name, { name, owner } as Environment]),
);
const clusterAuthorizer = createConditionAuthorizer(
  Object.values(multiclusterClusterRules),
);
const environmentAuthorizer = createConditionAuthorizer(
  Object.values(multiclusterEnvironmentRules),
);

/**
 * A decision, made comparable: ALLOW, DENY, or what a conditional one lets
 * through (cluster or environment names; the claims of a workload condition,
 * whose rule the workloads part of the plugin registers).
 */
function outcome(decision: PolicyDecision): string | string[] {
  if (decision.result !== AuthorizeResult.CONDITIONAL) return decision.result;
  switch (decision.resourceType) {
    case 'multicluster-cluster':
      return Object.keys(clusters).filter(n =>
        clusterAuthorizer(decision, clusters[n]),
      );
    case 'multicluster-environment':
      return Object.keys(environments).filter(n =>
        environmentAuthorizer(decision, environments[n]),
      );
    default: {
      const condition = decision.conditions as unknown as {
        rule: string;
        params: { claims: string[] };
      };
      return [`${condition.rule} ${condition.params.claims.join(' ')}`];
    }
  }
}

const PAT_CLUSTERS = ['payments', 'payments-explicit-default'];
const SAM_CLUSTERS = ['other-payments'];

/** Expected outcome for ada (admin), pat (payments), sam (other/payments), nobody (no group). */
const TABLE: Array<
  [
    string,
    string | string[],
    string | string[],
    string | string[],
    string | string[],
  ]
> = [
  ['multicluster.cluster.read', 'ALLOW', PAT_CLUSTERS, SAM_CLUSTERS, 'DENY'],
  ['multicluster.cluster.refresh', 'ALLOW', 'DENY', 'DENY', 'DENY'],
  ['multicluster.cluster.deploy', 'ALLOW', PAT_CLUSTERS, SAM_CLUSTERS, 'DENY'],
  ...[
    'multicluster.environment.read',
    'multicluster.environment.update',
    'multicluster.environment.destroy',
    'multicluster.environment.secret.read',
  ].map(
    name =>
      [
        name,
        'ALLOW',
        ['payments-env', 'pat-env'],
        ['other-payments-env'],
        ['nobody-env'],
      ] as [string, string, string[], string[], string[]],
  ),
  ['multicluster.environment.create', 'ALLOW', 'ALLOW', 'ALLOW', 'ALLOW'],
  ...['multicluster.workload.read', 'multicluster.workload.write'].map(
    name =>
      [
        name,
        'ALLOW',
        ['IS_OWNER user:default/pat group:default/payments'],
        ['IS_OWNER user:default/sam group:other/payments'],
        ['IS_OWNER user:default/nobody'],
      ] as [string, string, string[], string[], string[]],
  ),
  ['kubernetes.proxy', 'ALLOW', 'DENY', 'DENY', 'DENY'],
  ['kubernetes.resources.read', 'ALLOW', 'ALLOW', 'ALLOW', 'ALLOW'],
  ['kubernetes.clusters.read', 'ALLOW', 'ALLOW', 'ALLOW', 'ALLOW'],
];

const PERMISSIONS: Record<string, Permission> = Object.fromEntries(
  [...multiclusterPermissions, ...kubernetesPermissions].map(p => [p.name, p]),
);

describe('MulticlusterExamplePolicy', () => {
  it('covers every permission of Archipelago and of the Kubernetes plugin', () => {
    expect(TABLE.map(([name]) => name).sort()).toEqual(
      Object.keys(PERMISSIONS).sort(),
    );
  });

  const USERS = [
    'user:default/ada',
    'user:default/pat',
    'user:default/sam',
    'user:default/nobody',
  ];
  it.each(
    TABLE.flatMap(([name, ...expected]) =>
      USERS.map((user, i) => [name, user, expected[i]] as const),
    ),
  )('%s for %s: %j', async (name, user, expected) => {
    const decision = await policy.handle(
      { permission: PERMISSIONS[name] },
      as(user) as any,
    );
    expect(outcome(decision)).toEqual(expected);
  });

  it('denies Archipelago permissions and the proxy without a user, and allows the rest', async () => {
    for (const permission of Object.values(PERMISSIONS)) {
      const allowed = !(
        permission.name.startsWith('multicluster.') ||
        permission.name === 'kubernetes.proxy'
      );
      expect([
        permission.name,
        (await policy.handle({ permission })).result,
      ]).toEqual([permission.name, allowed ? 'ALLOW' : 'DENY']);
    }
  });

  it('allows permissions of other plugins, as the allow-all policy does', async () => {
    expect(
      await policy.handle(
        {
          permission: {
            type: 'basic',
            name: 'catalog.entity.create',
            attributes: { action: 'create' },
          },
        },
        as('user:default/nobody') as any,
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
