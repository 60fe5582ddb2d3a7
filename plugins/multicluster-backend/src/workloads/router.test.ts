/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
  MULTICLUSTER_WORKLOAD_RESOURCE_TYPE,
  multiclusterClusterDeployPermission,
  multiclusterWorkloadReadPermission,
} from '@archipelago/multicluster-common';
import type {
  ClusterProvider,
  DiscoveredCluster,
} from '@archipelago/multicluster-node';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { createKnex } from '../__testUtils__/databases';
import { startMulticlusterPlugin } from '../service/__testUtils__/startPlugin';

jest.setTimeout(60_000);

// Nothing listens on port 9 of 127.0.0.1: placement works on the stored inventory anyway.
const cluster = (
  name: string,
  labels: Record<string, string>,
): DiscoveredCluster => ({
  sourceId: name,
  name,
  url: `https://127.0.0.1:9/${name}`,
  credentials: async () => ({ type: 'anonymous' }),
  cloud: 'aws',
  labels,
});
const provider: ClusterProvider = {
  getProviderId: () => 'test',
  discover: async () => ({
    complete: true,
    clusters: [
      cluster('a-prod', { team: 'a', env: 'prod' }),
      cluster('a-dev', { team: 'a', env: 'dev' }),
      cluster('b-prod', { team: 'b', env: 'prod' }),
    ],
  }),
};

const TEAMS: Record<string, string> = {
  'user:default/alice': 'a',
  'user:default/bob': 'b',
};

/**
 * A policy as a team-scoped portal would have it: root may do everything;
 * others read and write their team's workloads and deploy to their team's
 * clusters.
 */
const permissions = mockServices.permissions.mock({
  authorize: async reqs => reqs.map(() => ({ result: AuthorizeResult.ALLOW })),
  authorizeConditional: async (reqs, options) =>
    reqs.map(({ permission }) => {
      const user = (options.credentials as BackstageCredentials<any>).principal
        ?.userEntityRef;
      const team = TEAMS[user];
      if (!team || permission.name === 'multicluster.cluster.read')
        return { result: AuthorizeResult.ALLOW };
      if (permission.name === multiclusterClusterDeployPermission.name)
        return {
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'multicluster',
          resourceType: MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
          conditions: {
            rule: 'HAS_LABEL',
            resourceType: MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
            params: { key: 'team', value: team },
          },
        };
      return {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'multicluster',
        resourceType: MULTICLUSTER_WORKLOAD_RESOURCE_TYPE,
        conditions: {
          rule: 'IS_OWNER',
          resourceType: MULTICLUSTER_WORKLOAD_RESOURCE_TYPE,
          params: { claims: [user, `group:default/team-${team}`] },
        },
      };
    }) as any,
});

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'web',
      namespace: 'default',
      annotations: { 'archipelago.dev/workload': 'other, web-a' },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  },
];

const body = (name: string, owner: string, selector: string, extra = {}) => ({
  name,
  owner,
  entityRef: 'component:default/web',
  namespace: 'shop',
  manifests: [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings' },
      data: { greeting: 'hi' },
    },
  ],
  placement: { clusterSelector: selector },
  ...extra,
});

describe('workload routes', () => {
  let backend: Awaited<ReturnType<typeof startMulticlusterPlugin>>;
  const as = (user: string) => mockCredentials.user.header(user);
  const api = (
    method: 'get' | 'post' | 'put' | 'delete',
    path: string,
    user = 'user:default/root',
  ) =>
    request(backend.server)
      [method](`/api/multicluster${path}`)
      .set('Authorization', as(user));

  beforeAll(async () => {
    backend = await startMulticlusterPlugin({
      knex: await createKnex('sqlite'),
      providers: [provider],
      permissions,
      entities,
      config: {
        multicluster: {
          environments: {
            secretKey: 'test-only-environments-key-0123456789abcdef',
          },
          health: { intervalSeconds: 3600, timeoutSeconds: 1 },
          discovery: { intervalSeconds: 3600 },
          limits: { requestBodyBytes: 20000 },
        },
      },
    });
    await api('post', '/clusters/refresh');
  });
  afterAll(() => backend.stop());

  it('lets a team create its workload on its clusters, and stores its deploy scope', async () => {
    const res = await api('post', '/workloads', 'user:default/alice').send(
      body('web-a', 'group:default/team-a', 'team=a'),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'web-a',
      owner: 'group:default/team-a',
      revision: 1,
      createdBy: 'user:default/alice',
      rollout: {
        maxConcurrent: 5,
        maxFailures: 0,
        soakSeconds: 0,
        timeoutSeconds: 300,
      },
      failover: { graceSeconds: 60 },
      onClusterRemoved: 'delete',
    });
  });

  it.each<[string, string, object, RegExp]>([
    [
      'a workload owned by another team',
      'user:default/alice',
      body('web-x', 'group:default/team-b', 'team=a'),
      /^You are not allowed to change workload web-x owned by group:default\/team-b \(multicluster.workload.write\)$/,
    ],
    [
      'a placement that selects another team’s cluster',
      'user:default/alice',
      body('web-y', 'group:default/team-a', 'env=prod'),
      /^You are not allowed to deploy to b-prod \(multicluster.cluster.deploy\), which the placement selects$/,
    ],
  ])(
    'refuses %s with a 403 naming why',
    async (_title, user, request_, message) => {
      const res = await api('post', '/workloads', user).send(request_);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(message);
      expect(
        (await api('get', '/workloads')).body.items.map((w: any) => w.name),
      ).toEqual(['web-a']);
    },
  );

  it('answers 404, never 403, for a workload the caller may not read', async () => {
    for (const [method, path] of [
      ['get', '/workloads/web-a'],
      ['get', '/workloads/web-a/events'],
      ['get', '/workloads/web-a/revisions'],
      ['get', '/workloads/web-a/dns'],
      ['delete', '/workloads/web-a'],
      ['post', '/workloads/web-a/pause'],
    ] as const) {
      const res = await api(method, path, 'user:default/bob');
      expect([method, path, res.status]).toEqual([method, path, 404]);
      expect(res.body.error.message).toBe('No workload named web-a');
    }
    const put = await api('put', '/workloads/web-a', 'user:default/bob').send(
      body('web-a', 'group:default/team-b', 'team=b'),
    );
    expect(put.status).toBe(404);
    expect((await api('get', '/workloads', 'user:default/bob')).body).toEqual({
      items: [],
      totalItems: 0,
    });
    const mine = await api('get', '/workloads/web-a', 'user:default/alice');
    expect(mine.status).toBe(200);
  });

  it('lists an entity’s workloads for those who may read them', async () => {
    const relations = await api('get', '/entities/component/default/web');
    expect(relations.body.workloads.map((w: any) => w.name)).toEqual(['web-a']);
    const asBob = await api(
      'get',
      '/entities/component/default/web',
      'user:default/bob',
    );
    expect(asBob.body.workloads).toEqual([]);
  });

  it('plans a change without storing it: the diff and the placement', async () => {
    const plan = await api(
      'put',
      '/workloads/web-a?dryRun=true',
      'user:default/alice',
    ).send(
      body('web-a', 'group:default/team-a', 'team=a', {
        manifests: [
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'settings' },
            data: { greeting: 'hello' },
          },
        ],
      }),
    );
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({
      dryRun: true,
      revision: 2,
      diff: [
        {
          object: 'ConfigMap shop/settings',
          change: 'changed',
          fields: ['data.greeting'],
        },
      ],
      excluded: [],
    });
    // Unreachable clusters are placed on (failover decides), once they are healthy.
    expect((await api('get', '/workloads/web-a')).body.revision).toBe(1);
  });

  it.each<[string, string, object, number, RegExp]>([
    [
      'a bad name',
      'post',
      { ...body('Web', 'team-a', 'team=a') },
      400,
      /^request body field name must match pattern/,
    ],
    [
      'YAML that does not parse',
      'post',
      { ...body('w1', 'team-a', 'team=a'), manifests: 'a: [' },
      400,
      /^manifests: YAML document 1 is invalid/,
    ],
    [
      'an object without a name',
      'post',
      {
        ...body('w2', 'team-a', 'team=a'),
        manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }],
      },
      400,
      /^manifests document 1: metadata.name is required/,
    ],
    [
      'an override that selects nothing',
      'post',
      {
        ...body('w3', 'team-a', 'team=a'),
        overrides: [
          {
            clusterName: 'a-prod',
            kind: 'Deployment',
            patches: [{ op: 'add', path: '/spec/replicas', value: 2 }],
          },
        ],
      },
      400,
      /^Invalid input: overrides.0 \(kind Deployment\) matches no object in the manifests$/,
    ],
    [
      'a placement with neither names nor selector',
      'post',
      { ...body('w4', 'team-a', 'team=a'), placement: {} },
      400,
      /placement: placement needs clusterNames or a clusterSelector/,
    ],
    [
      'a name taken',
      'post',
      body('web-a', 'team-a', 'team=a'),
      409,
      /^The name web-a is taken by another workload/,
    ],
    [
      'a body naming another workload',
      'put',
      body('other', 'team-a', 'team=a'),
      400,
      /^name: the body names workload "other" but the path names "web-a"$/,
    ],
    [
      'a body over the limit',
      'post',
      { ...body('w5', 'team-a', 'team=a'), manifests: 'x'.repeat(30000) },
      413,
      /over the limit of 20000 bytes \(multicluster.limits.requestBodyBytes\)/,
    ],
  ])('refuses %s', async (_title, method, request_, status, message) => {
    const path = method === 'put' ? '/workloads/web-a' : '/workloads';
    const res = await api(method as 'post', path, 'user:default/alice').send(
      request_,
    );
    expect([res.status, res.body.error?.message]).toEqual([
      status,
      expect.stringMatching(message),
    ]);
  });

  it('answers a 404 naming a workload without dns, and a 400 for dns without a zone', async () => {
    const none = await api('get', '/workloads/web-a/dns');
    expect(none.status).toBe(404);
    expect(none.body.error.message).toMatch(/^Workload web-a has no dns/);
    const created = await api('post', '/workloads').send(
      body('web-dns', 'team-a', 'team=a', {
        dns: { hostname: 'shop.example.com', policy: 'failover' },
      }),
    );
    expect(created.status).toBe(400);
    expect(created.body.error.message).toMatch(
      /^dns: no DNS zone is configured \(multicluster.dns.zones\)/,
    );
    expect((await api('get', '/workloads/web-dns')).status).toBe(404);
  });

  it('keeps the same desired state as one revision, and a rollback as a new one', async () => {
    const again = await api(
      'put',
      '/workloads/web-a',
      'user:default/alice',
    ).send(body('web-a', 'group:default/team-a', 'team=a'));
    expect(again.body.revision).toBe(1);
    const changed = await api(
      'put',
      '/workloads/web-a',
      'user:default/alice',
    ).send(
      body('web-a', 'group:default/team-a', 'team=a', {
        onClusterRemoved: 'orphan',
      }),
    );
    expect(changed.body.revision).toBe(2);
    const back = await api(
      'post',
      '/workloads/web-a/rollback',
      'user:default/alice',
    ).send({ revision: 1 });
    expect(back.body).toMatchObject({
      revision: 3,
      onClusterRemoved: 'delete',
    });
    const revisions = await api(
      'get',
      '/workloads/web-a/revisions',
      'user:default/alice',
    );
    expect(
      revisions.body.items.map((r: any) => [
        r.revision,
        r.cause,
        r.createdBy,
        r.current,
      ]),
    ).toEqual([
      [3, 'rolled back to revision 1', 'user:default/alice', true],
      [2, 'updated', 'user:default/alice', false],
      [1, 'created', 'user:default/alice', false],
    ]);
    expect(
      (
        await api(
          'post',
          '/workloads/web-a/rollback',
          'user:default/alice',
        ).send({ revision: 0 })
      ).status,
    ).toBe(400);
  });

  it('refuses a read to a policy that denies it', async () => {
    const deny = mockServices.permissions.mock({
      authorizeConditional: async reqs =>
        reqs.map(r =>
          r.permission.name === multiclusterWorkloadReadPermission.name
            ? { result: AuthorizeResult.DENY }
            : { result: AuthorizeResult.ALLOW },
        ) as any,
    });
    const other = await startMulticlusterPlugin({
      knex: await createKnex('sqlite'),
      permissions: deny,
      config: {},
    });
    try {
      const res = await request(other.server).get(
        '/api/multicluster/workloads',
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'You are not allowed to read workloads (multicluster.workload.read)',
      );
    } finally {
      await other.stop();
    }
  });
});
