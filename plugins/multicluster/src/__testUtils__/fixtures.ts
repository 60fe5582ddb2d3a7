/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Entity } from '@backstage/catalog-model';
import type {
  Cluster,
  ClusterCloud,
  ClusterHealth,
  ClusterProbe,
  Environment,
  EnvironmentChangePlan,
  EnvironmentCost,
  EnvironmentEvent,
  EnvironmentRevision,
  EnvironmentTypeInfo,
} from '@archipelago/multicluster-common';

// Test data only. Times are fixed relative to a clock the tests control.

export const NOW = Date.parse('2026-03-01T12:00:00Z');

export function isoAgo(ms: number): string {
  return new Date(NOW - ms).toISOString();
}

export function makeCluster(
  name: string,
  overrides: {
    health?: ClusterHealth;
    cloud?: ClusterCloud;
    labels?: Record<string, string>;
    reason?: string;
    stale?: boolean;
    failingCheck?: string;
  } = {},
): Cluster {
  const health = overrides.health ?? 'healthy';
  return {
    id: `${name}-id`,
    name,
    title: name.toUpperCase(),
    url: `https://${name}.example.test:6443`,
    cloud: overrides.cloud ?? 'local',
    distribution: 'emulator',
    region: 'eu-west-1',
    labels: overrides.labels ?? { env: 'prod' },
    sources: [
      {
        provider: 'kubeconfig',
        sourceId: `ctx-${name}`,
        lastSeenAt: isoAgo(60_000),
        stale: false,
      },
    ],
    status: {
      health,
      reason:
        overrides.reason ??
        (health === 'healthy' ? 'readyz ok' : `cluster is ${health}`),
      checks: [
        {
          name: 'etcd',
          ok: overrides.failingCheck !== 'etcd',
          message:
            overrides.failingCheck === 'etcd' ? 'etcd timed out' : undefined,
        },
        { name: 'ping', ok: true },
      ],
      version: 'v1.31.2',
      nodes: { ready: 3, total: 4 },
      allocatable: { cpu: 12, memoryBytes: 48 * 1024 ** 3, pods: 330 },
      lastProbeAt: isoAgo(30_000),
      lastSeenAt: isoAgo(60_000),
      stale: overrides.stale ?? false,
      latencyMs: 12,
    },
  };
}

export function makeHistory(healths: ClusterHealth[]): ClusterProbe[] {
  return healths.map((health, i) => ({
    at: isoAgo((healths.length - i) * 30_000),
    health,
    reason: health === 'healthy' ? 'readyz ok' : `probe said ${health}`,
    latencyMs: 10 + i,
    checks: [],
  }));
}

/** The secret value fixtures use; a test fails if it ever appears in the DOM. */
export const SECRET_VALUE = 'hunter2-super-secret';

export function makeEnvironment(
  overrides: Partial<Environment> = {},
): Environment {
  return {
    name: 'pr-42',
    type: 'dev-small',
    cloud: 'local',
    owner: 'group:default/team-a',
    inputs: {},
    status: 'ready',
    ttlMinutes: 240,
    expiresAt: new Date(NOW + (3 * 60 + 10) * 60_000).toISOString(),
    createdAt: isoAgo(50 * 60_000),
    updatedAt: isoAgo(10 * 60_000),
    clusterId: 'pr-42-cluster-id',
    components: [
      {
        key: 'network',
        kind: 'network',
        template: 'local-network',
        driver: 'local-network',
        status: 'ready',
        capabilities: {
          network_id: 'net-1',
          subnet_ids: ['sub-a', 'sub-b'],
          region: 'local',
        },
      },
      {
        key: 'cluster',
        kind: 'kubernetes',
        template: 'emulated-cluster',
        driver: 'emulator-cluster',
        status: 'ready',
        capabilities: {
          endpoint: 'https://127.0.0.1:7443',
          cluster_id: 'pr-42',
          version: 'v1.31.2',
        },
      },
      {
        key: 'database',
        kind: 'database',
        template: 'local-postgres',
        driver: 'local-postgres',
        status: 'ready',
        capabilities: {
          host: 'db.pr-42.local',
          port: 5432,
          database: 'app',
          master_username: 'admin',
          master_password: {
            secretRef: 'environments/pr-42/database/master_password',
          },
        },
      },
    ],
    ...overrides,
  };
}

export const EVENTS: EnvironmentEvent[] = [
  {
    id: 1,
    at: isoAgo(50 * 60_000),
    level: 'info',
    message: 'Environment requested',
  },
  {
    id: 2,
    at: isoAgo(45 * 60_000),
    level: 'info',
    component: 'network',
    message: 'network ready',
  },
  {
    id: 3,
    at: isoAgo(40 * 60_000),
    level: 'warning',
    component: 'cluster',
    message: 'cluster slow to start, retrying',
  },
  {
    id: 4,
    at: isoAgo(30 * 60_000),
    level: 'info',
    message: 'Environment ready',
  },
];

export const ENVIRONMENT_TYPES: EnvironmentTypeInfo[] = [
  {
    type: 'dev-small',
    title: 'Small development',
    description: 'One small cluster and a database, for a pull request.',
    clouds: [
      {
        cloud: 'local',
        components: [
          {
            key: 'network',
            kind: 'network',
            template: 'local-network',
            driver: 'local-network',
            description: 'A local network',
          },
          {
            key: 'cluster',
            kind: 'kubernetes',
            template: 'emulated-cluster',
            driver: 'emulator-cluster',
            description: 'An emulated cluster',
          },
        ],
      },
      {
        cloud: 'aws',
        components: [
          {
            key: 'network',
            kind: 'network',
            template: 'aws-vpc',
            driver: 'aws-vpc',
            description: 'A VPC with two subnets',
          },
          {
            key: 'cluster',
            kind: 'kubernetes',
            template: 'eks-small',
            driver: 'aws-eks',
            description: 'EKS with two t3.medium nodes',
          },
        ],
      },
    ],
  },
  {
    type: 'production',
    title: 'Production',
    description: 'Highly available cluster, database and object store.',
    clouds: [
      {
        cloud: 'aws',
        components: [
          {
            key: 'cluster',
            kind: 'kubernetes',
            template: 'eks-ha',
            driver: 'aws-eks',
            description: 'EKS across three zones',
          },
        ],
      },
    ],
  },
];

export function entityWith(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

/** A cost in USD from hourly prices by component. */
export function makeCost(
  components: Record<string, number>,
  unpriced: string[] = [],
): EnvironmentCost {
  const hourly = Object.values(components).reduce((a, b) => a + b, 0);
  return {
    currency: 'USD',
    hourly,
    monthly: Math.round(hourly * 730 * 100) / 100,
    components,
    unpriced,
  };
}

/** The plan of pr-42 going from dev-small to dev-large on local. */
export function makeDevLargePlan(): EnvironmentChangePlan {
  return {
    environment: 'pr-42',
    operation: 'update',
    fromRevision: 2,
    toRevision: 3,
    from: { type: 'dev-small', cloud: 'local', ttlMinutes: 240 },
    to: { type: 'dev-large', cloud: 'local', ttlMinutes: 240 },
    components: [
      {
        key: 'network',
        kind: 'network',
        action: 'unchanged',
        template: 'local-network',
        driver: 'local-network',
        inputs: [],
        capabilities: [],
        reasons: [],
      },
      {
        key: 'cluster',
        kind: 'kubernetes',
        action: 'update',
        template: 'emulated-cluster-large',
        fromTemplate: 'emulated-cluster',
        driver: 'emulator-cluster',
        inputs: [{ name: 'nodes', from: 1, to: 3, how: 'in-place' }],
        capabilities: [],
        reasons: ['emulator-cluster changes nodes in place'],
      },
      {
        key: 'database',
        kind: 'database',
        action: 'replace',
        template: 'local-postgres-dedicated',
        fromTemplate: 'local-postgres',
        driver: 'local-postgres',
        inputs: [
          { name: 'server', from: 'shared', to: 'dedicated', how: 'replace' },
        ],
        capabilities: [
          {
            name: 'host',
            secret: false,
            from: 'db.pr-42.local',
            knownAfterApply: true,
          },
          { name: 'master_password', secret: true, knownAfterApply: true },
        ],
        reasons: ['server cannot change in place'],
      },
    ],
    stages: [['cluster', 'database']],
    changed: true,
    cost: {
      from: makeCost({ cluster: 0.1, database: 0.05 }, ['network']),
      to: makeCost({ cluster: 0.3, database: 0.2 }, ['network']),
    },
  };
}

/** Revisions of pr-42, newest first: at 2, after an update of revision 1. */
export function makeRevisions(): EnvironmentRevision[] {
  const base = {
    cloud: 'local',
    ttlMinutes: 240,
    components: [],
  };
  return [
    {
      ...base,
      revision: 2,
      operation: 'update',
      status: 'applied',
      current: true,
      type: 'dev-small',
      inputs: { cluster: { version: 'v1.31.2' } },
      createdAt: isoAgo(20 * 60_000),
      createdBy: 'user:default/alice',
      cost: makeCost({ cluster: 0.1, database: 0.05 }, ['network']),
    },
    {
      ...base,
      revision: 1,
      operation: 'create',
      status: 'applied',
      current: false,
      type: 'dev-small',
      inputs: {},
      createdAt: isoAgo(50 * 60_000),
      createdBy: 'user:default/alice',
      cost: makeCost({ cluster: 0.1, database: 0.05 }, ['network']),
    },
  ];
}
