/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  type ClusterProvider,
  type DiscoveredCluster,
  multiclusterProvidersExtensionPoint,
} from '@archipelago/multicluster-node';
import { MULTICLUSTER_CLUSTER_RESOURCE_TYPE } from '@archipelago/multicluster-common';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Entity } from '@backstage/catalog-model';
import { multiclusterPlugin } from '../plugin';

jest.setTimeout(60_000);

const TOKEN = 'tok-3f8a9c2e71d04b55';
// Nothing listens on port 9 of 127.0.0.1: probes are quick connection refusals.
const cluster = (
  name: string,
  labels: Record<string, string>,
  extra: Partial<DiscoveredCluster> = {},
): DiscoveredCluster => ({
  sourceId: name,
  name,
  url: `https://127.0.0.1:9/${name}`,
  credentials: async () => ({ type: 'bearer', token: TOKEN }),
  cloud: 'aws',
  region: 'eu-west-1',
  labels,
  ...extra,
});

const provider: ClusterProvider = {
  getProviderId: () => 'test',
  discover: async () => ({
    complete: true,
    clusters: [
      cluster('alpha', { team: 'a', env: 'prod' }),
      cluster('beta', { team: 'b', env: 'prod' }),
      cluster(
        'gamma',
        { team: 'a', env: 'dev' },
        {
          skipTLSVerify: true,
          cloud: 'gcp',
          providerState: 'provisioning',
          providerStateReason: 'GKE status PROVISIONING',
        },
      ),
      cluster(
        'delta',
        { team: 'c' },
        {
          kubernetesPluginAuth: {
            authProvider: 'aws',
            metadata: {
              'kubernetes.io/aws-assume-role': 'arn:aws:iam::1:role/x',
            },
          },
        },
      ),
    ],
  }),
};

const providerModule = createBackendModule({
  pluginId: 'multicluster',
  moduleId: 'test-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: multiclusterProvidersExtensionPoint },
      async init({ providers }) {
        providers.addClusterProvider(provider);
      },
    });
  },
});

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments',
      namespace: 'default',
      annotations: {
        'archipelago.dev/cluster-selector': 'team=a,env=prod',
        'backstage.io/kubernetes-cluster': 'beta',
      },
    },
    spec: {},
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'broken',
      namespace: 'default',
      annotations: { 'archipelago.dev/cluster-selector': 'team in (a' },
    },
    spec: {},
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'plain', namespace: 'default' },
    spec: {},
  },
];

async function start(extra: any[] = []) {
  const events: Array<{ eventId: string; meta?: unknown; outcome?: string }> =
    [];
  const auditor = mockServices.auditor.mock({
    createEvent: async options => {
      const event: { eventId: string; meta?: unknown; outcome?: string } = {
        eventId: options.eventId,
        meta: options.meta,
      };
      events.push(event);
      return {
        success: async () => {
          event.outcome = 'success';
        },
        fail: async () => {
          event.outcome = 'fail';
        },
      };
    },
  });
  const backend = await startTestBackend({
    features: [
      multiclusterPlugin,
      providerModule,
      auditor.factory,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          multicluster: {
            health: { timeoutSeconds: 1 },
            discovery: { intervalSeconds: 3600 },
            // The environments engine shares the plugin and needs its key even when unused.
            environments: {
              secretKey: 'test-only-environments-key-0123456789abcdef',
              dataDir: path.join(os.tmpdir(), 'mc-test-environments'),
            },
          },
        },
      }),
      ...extra,
    ],
  });
  const refresh = await request(backend.server).post(
    '/api/multicluster/clusters/refresh',
  );
  expect(refresh.status).toBe(202);
  return { backend, events };
}

describe('multicluster REST API', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let events: Array<{ eventId: string; meta?: unknown; outcome?: string }>;
  beforeAll(async () => {
    ({ backend, events } = await start());
  });
  afterAll(() => backend.stop());

  const get = (url: string) =>
    request(backend.server).get(`/api/multicluster${url}`);

  it('lists clusters with status and sources, and audits reads and refreshes', async () => {
    const res = await get('/clusters');
    expect(res.status).toBe(200);
    expect(res.body.totalItems).toBe(4);
    expect(res.body.items.map((c: any) => c.name)).toEqual([
      'alpha',
      'beta',
      'delta',
      'gamma',
    ]);
    const gamma = res.body.items.find((c: any) => c.name === 'gamma');
    expect(gamma).toMatchObject({
      cloud: 'gcp',
      labels: { team: 'a', env: 'dev' },
      sources: [{ provider: 'test', sourceId: 'gamma', stale: false }],
      status: {
        health: 'unknown',
        reason: 'provider reports provisioning (GKE status PROVISIONING)',
        providerState: 'provisioning',
        tlsVerificationDisabled: true,
      },
    });
    expect(
      res.body.items.find((c: any) => c.name === 'alpha').status,
    ).toMatchObject({
      health: 'unreachable',
      reason: expect.stringMatching(/^connection refused/),
    });
    expect(res.headers.etag).toMatch(/^W\/"/);
    expect(events).toContainEqual({
      eventId: 'cluster-refresh',
      meta: {},
      outcome: 'success',
    });
    expect(events).toContainEqual({
      eventId: 'cluster-read',
      meta: { queryType: 'list' },
      outcome: 'success',
    });
  });

  it.each([
    ['/clusters?limit=0', /^query parameter limit must be >= 1$/],
    ['/clusters?limit=501', /^query parameter limit must be <= 500$/],
    ['/clusters?limit=abc', /^query parameter limit must be integer$/],
    [
      '/clusters?sort=age',
      /^query parameter sort must be equal to one of the allowed values: name, health, cloud, lastProbeAt$/,
    ],
    [
      '/clusters?cloud=mars',
      /^query parameter cloud.0 must be equal to one of the allowed values: aws, azure, gcp, local, other$/,
    ],
    ['/clusters?selector=team%20in%20(a', /^selector: .*Allowed syntax/],
    ['/clusters?colour=red', /Unknown query parameter 'colour'/],
    ['/clusters?cursor=bogus', /^cursor: not a cursor returned by this API/],
    [
      `/clusters?cursor=${Buffer.from(
        JSON.stringify(['name', 'h', [1]]),
      ).toString('base64url')}`,
      /^cursor: not a cursor returned by this API/,
    ],
    [
      `/clusters?sort=health&cursor=${Buffer.from(
        JSON.stringify(['name', 'h', ['a', 'b']]),
      ).toString('base64url')}`,
      /^cursor: it was made for sort=name&order=asc, not sort=health&order=asc/,
    ],
    [
      '/clusters?order=down',
      /^query parameter order must be equal to one of the allowed values: asc, desc$/,
    ],
    [
      `/clusters?order=desc&cursor=${Buffer.from(
        JSON.stringify(['name', 'h', ['a', 'b']]),
      ).toString('base64url')}`,
      /^cursor: it was made for sort=name&order=asc, not sort=name&order=desc/,
    ],
    [
      '/clusters/NOT_AN_ID',
      /^path parameter id must match pattern "\^\[a-z0-9\]/,
    ],
    ['/summary?x=1', /Unknown query parameter 'x'/],
    ['/internal/connections', /^query must have required property 'ids'$/],
  ])('rejects %s with a 400 naming the parameter', async (url, message) => {
    const res = await get(url);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(message),
    });
  });

  describe('bounded input', () => {
    const post = (url: string) =>
      request(backend.server).post(`/api/multicluster${url}`);

    it('refuses a body over the limit with a 413 naming it', async () => {
      const res = await post('/placements/preview')
        .set('content-type', 'application/json')
        .send(
          JSON.stringify({
            placement: { clusterNames: ['x'.repeat(200_000)] },
          }),
        );
      expect(res.status).toBe(413);
      expect(res.body.error.message).toMatch(
        /over the limit of 102400 bytes \(multicluster.limits.requestBodyBytes\)/,
      );
    });

    it('says when a body is not valid JSON', async () => {
      const res = await post('/placements/preview')
        .set('content-type', 'application/json')
        .send('{"placement": {');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^request body is not valid JSON/);
    });

    it('refuses deep nesting before parsing it', async () => {
      const res = await post('/placements/preview')
        .set('content-type', 'application/json')
        .send(`${'['.repeat(5000)}${']'.repeat(5000)}`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'request body nests objects and arrays deeper than 32 levels (multicluster.limits.requestBodyDepth)',
      );
    });

    it('refuses a body of another media type', async () => {
      const res = await post('/placements/preview')
        .set('content-type', 'text/plain')
        .send('placement');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/unsupported media type/);
    });

    it('names the field the spec refuses in a body', async () => {
      const res = await post('/placements/preview').send({
        placement: { clusterNames: 'a' },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        /^request body field placement.clusterNames must be array/,
      );
    });

    it('bounds selectors by length and requirements, before any work', async () => {
      const long = await get(
        `/clusters?selector=${encodeURIComponent(`a=${'b'.repeat(2000)}`)}`,
      );
      expect(long.status).toBe(400);
      expect(long.body.error.message).toBe(
        'selector: 2002 characters is over the limit of 2000 (multicluster.limits.selectorLength)',
      );
      // 997 requirements used to reach SQLite as an expression tree too large (a 500).
      const many = await get(
        `/clusters?selector=${encodeURIComponent(
          Array.from({ length: 997 }, () => 'a').join(','),
        )}`,
      );
      expect(many.status).toBe(400);
      expect(many.body.error.message).toBe(
        'selector: 997 requirements is over the limit of 100 (multicluster.limits.selectorRequirements)',
      );
      const preview = await post('/placements/preview').send({
        placement: {
          clusterSelector: Array.from({ length: 101 }, (_, i) => `k${i}`).join(
            ',',
          ),
        },
      });
      expect(preview.status).toBe(400);
      expect(preview.body.error.message).toMatch(
        /^placement.clusterSelector: 101 requirements is over the limit of 100/,
      );
    });

    it('answers Backstage error bodies without stack traces', async () => {
      for (const res of [
        await get('/clusters?limit=0'),
        await get('/clusters/nope-00000000'),
        await post('/placements/preview').send('{'),
      ]) {
        expect(res.body).toEqual({
          error: { name: expect.any(String), message: expect.any(String) },
          request: { method: expect.any(String), url: expect.any(String) },
          response: { statusCode: res.status },
        });
        expect(res.text).not.toMatch(/\s+at |node_modules|\/work\//);
      }
    });
  });

  it('filters by selector, cloud, health and text', async () => {
    const names = async (q: string) =>
      (await get(`/clusters?${q}`)).body.items.map((c: any) => c.name);
    expect(await names('selector=team%3Da')).toEqual(['alpha', 'gamma']);
    expect(await names('selector=team%21%3Da')).toEqual(['beta', 'delta']);
    expect(await names('cloud=gcp')).toEqual(['gamma']);
    expect(await names('health=unknown')).toEqual(['gamma']);
    expect(await names('q=ENV%3Ddev')).toEqual(['gamma']);
  });

  it('serves one cluster, its health and the summary; 404 for unknown ids', async () => {
    const [alpha] = (await get('/clusters?selector=team%3Da,env%3Dprod')).body
      .items;
    const one = await get(`/clusters/${alpha.id}`);
    expect(one.body).toEqual(alpha);
    const health = await get(`/clusters/${alpha.id}/health`);
    expect(health.body.current.health).toBe('unreachable');
    expect(health.body.history.length).toBeGreaterThanOrEqual(1);
    const missing = await get('/clusters/nope-00000000');
    expect(missing.status).toBe(404);
    expect(missing.body.error.name).toBe('NotFoundError');
    const summary = await get('/summary');
    expect(summary.body).toMatchObject({
      totalClusters: 4,
      byCloud: { aws: 3, gcp: 1 },
      providers: expect.arrayContaining([
        expect.objectContaining({
          id: 'test',
          ok: true,
          complete: true,
          clusters: 4,
        }),
      ]),
    });
  });

  it('resolves entity annotations to clusters', async () => {
    const res = await get('/entities/component/default/payments');
    expect(res.status).toBe(200);
    expect(res.body.clusters.map((c: any) => c.name)).toEqual([
      'alpha',
      'beta',
    ]);
    expect(res.body.environments).toEqual([]);
    expect((await get('/entities/component/default/plain')).body).toEqual({
      clusters: [],
      environments: [],
      workloads: [],
    });
    const broken = await get('/entities/component/default/broken');
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toMatch(
      /component:default\/broken has an invalid archipelago.dev\/cluster-selector/,
    );
    expect((await get('/entities/component/default/ghost')).status).toBe(404);
  });

  it("answers a page of an entity's clusters with counts from the database", async () => {
    const res = await get(
      '/entities/component/default/payments?clusterLimit=1',
    );
    expect(res.status).toBe(200);
    expect(res.body.clusters).toHaveLength(1);
    expect(['alpha', 'beta']).toContain(res.body.clusters[0].name);
    expect(res.body.clusterCounts.total).toBe(2);
    const counted = Object.values(
      res.body.clusterCounts.byHealth as Record<string, number>,
    ).reduce((a, b) => a + b, 0);
    expect(counted).toBe(2);
    const none = await get('/entities/component/default/plain?clusterLimit=5');
    expect(none.body).toMatchObject({
      clusters: [],
      clusterCounts: { total: 0 },
    });
    for (const bad of ['0', '501', 'x']) {
      const answer = await get(
        `/entities/component/default/payments?clusterLimit=${bad}`,
      );
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toMatch(/clusterLimit/);
    }
  });

  it('serves connection details to the kubernetes plugin only', async () => {
    const ids = (await get('/clusters')).body.items
      .map((c: any) => c.id)
      .join(',');
    const asUser = await get(`/internal/connections?ids=${ids}`);
    expect(asUser.status).toBe(403);
    expect(asUser.text).not.toContain(TOKEN);
    const asCatalog = await get(`/internal/connections?ids=${ids}`).set(
      'authorization',
      mockCredentials.service.header({
        onBehalfOf: mockCredentials.service('plugin:catalog'),
        targetPluginId: 'multicluster',
      }),
    );
    expect(asCatalog.status).toBe(403);
    const asKubernetes = await get(`/internal/connections?ids=${ids}`).set(
      'authorization',
      mockCredentials.service.header({
        onBehalfOf: mockCredentials.service('plugin:kubernetes'),
        targetPluginId: 'multicluster',
      }),
    );
    expect(asKubernetes.status).toBe(200);
    const byName = Object.fromEntries(
      asKubernetes.body.items.map((i: any) => [i.name, i]),
    );
    expect(byName.alpha).toMatchObject({
      authProvider: 'serviceAccount',
      serviceAccountToken: TOKEN,
      skipTLSVerify: false,
      health: 'unreachable',
    });
    expect(byName.gamma).toMatchObject({ skipTLSVerify: true });
    expect(byName.delta).toEqual(
      expect.objectContaining({
        authProvider: 'aws',
        authMetadata: {
          'kubernetes.io/aws-assume-role': 'arn:aws:iam::1:role/x',
        },
      }),
    );
    expect(byName.delta.serviceAccountToken).toBeUndefined();
    expect(events).toContainEqual(
      expect.objectContaining({
        eventId: 'cluster-connection-read',
        outcome: 'success',
      }),
    );
  });

  it('never puts the token in a public response', async () => {
    const bodies = await Promise.all(
      ['/clusters', '/summary', '/entities/component/default/payments'].map(u =>
        get(u),
      ),
    );
    for (const b of bodies) expect(b.text).not.toContain(TOKEN);
  });
});

describe('multicluster REST API permissions', () => {
  it('applies a conditional decision as a filter and denies refresh', async () => {
    const permissions = mockServices.permissions.mock({
      authorizeConditional: async () => [
        {
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'multicluster',
          resourceType: MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
          conditions: {
            rule: 'HAS_LABEL',
            resourceType: MULTICLUSTER_CLUSTER_RESOURCE_TYPE,
            params: { key: 'team', value: 'a' },
          },
        },
      ],
      authorize: async () => [{ result: AuthorizeResult.ALLOW }],
    });
    const { backend } = await start([permissions.factory]);
    try {
      const list = await request(backend.server).get(
        '/api/multicluster/clusters',
      );
      expect(list.body.items.map((c: any) => c.name)).toEqual([
        'alpha',
        'gamma',
      ]);
      const beta = (
        await request(backend.server).get(
          '/api/multicluster/entities/component/default/payments',
        )
      ).body.clusters.map((c: any) => c.name);
      expect(beta).toEqual(['alpha']);
      const summary = await request(backend.server).get(
        '/api/multicluster/summary',
      );
      expect(summary.body.totalClusters).toBe(2);

      permissions.authorize.mockResolvedValue([
        { result: AuthorizeResult.DENY },
      ]);
      const refresh = await request(backend.server).post(
        '/api/multicluster/clusters/refresh',
      );
      expect(refresh.status).toBe(403);
      expect(refresh.body.error.message).toMatch(
        /multicluster.cluster.refresh/,
      );

      permissions.authorizeConditional.mockResolvedValue([
        { result: AuthorizeResult.DENY },
      ]);
      expect(
        (await request(backend.server).get('/api/multicluster/clusters'))
          .status,
      ).toBe(403);
    } finally {
      await backend.stop();
    }
  });
});
