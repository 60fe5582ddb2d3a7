/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { InputError, ResponseError } from '@backstage/errors';
import { MulticlusterClient } from './MulticlusterClient';

interface Recorded {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** A fake fetch that records each request and answers from a queue. */
function fakeFetch(...answers: Array<{ status?: number; body?: unknown }>) {
  const requests: Recorded[] = [];
  const fetch = jest.fn(
    async (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push({
        url: String(input),
        method: init?.method ?? 'GET',
        headers: { ...(init?.headers as Record<string, string>) },
        body:
          init?.body === undefined ? undefined : JSON.parse(String(init.body)),
      });
      const answer = answers.shift() ?? { status: 200, body: {} };
      const status = answer.status ?? 200;
      return new Response(
        answer.body === undefined || status === 204
          ? null
          : JSON.stringify(answer.body),
        { status, headers: { 'Content-Type': 'application/json' } },
      );
    },
  );
  return { fetch: fetch as unknown as typeof globalThis.fetch, requests };
}

const discoveryApi = {
  getBaseUrl: jest.fn(async (id: string) => `http://127.0.0.1:7007/api/${id}/`),
};
const BASE = 'http://127.0.0.1:7007/api/multicluster';

function client(...answers: Array<{ status?: number; body?: unknown }>) {
  const fetchApi = fakeFetch(...answers);
  return {
    api: new MulticlusterClient({ discoveryApi, fetchApi }),
    requests: fetchApi.requests,
  };
}

const environment = {
  name: 'feature-a',
  type: 'dev-small',
  cloud: 'local',
  owner: 'group:default/team-a',
  inputs: {},
  status: 'ready',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  components: [],
};

describe('MulticlusterClient', () => {
  // Rows are [name, call, method, path, body]; jest would read a 5th test argument as `done`.
  const endpoints: Array<
    [
      string,
      (api: MulticlusterClient) => Promise<unknown>,
      string,
      string,
      unknown,
    ]
  > = [
    [
      'listClusters without query',
      api => api.listClusters(),
      'GET',
      '/clusters',
      undefined,
    ],
    [
      'listClusters with every filter',
      api =>
        api.listClusters({
          selector: 'env=prod,tier in (web)',
          cloud: ['aws', 'gcp'],
          health: 'degraded',
          q: 'eu west',
          limit: 50,
          cursor: 'abc/=',
          sort: 'health',
        }),
      'GET',
      '/clusters?selector=env%3Dprod%2Ctier+in+%28web%29&cloud=aws%2Cgcp&health=degraded&q=eu+west&sort=health&limit=50&cursor=abc%2F%3D',
      undefined,
    ],
    [
      'listClusters with an object selector',
      api => api.listClusters({ selector: { matchLabels: { env: 'prod' } } }),
      'GET',
      '/clusters?selector=env%3Dprod',
      undefined,
    ],
    [
      'listClusters drops an empty selector',
      api => api.listClusters({ selector: {} }),
      'GET',
      '/clusters',
      undefined,
    ],
    [
      'getCluster',
      api => api.getCluster('aws/eks prod'),
      'GET',
      '/clusters/aws%2Feks%20prod',
      undefined,
    ],
    [
      'getClusterHealth',
      api => api.getClusterHealth('c1'),
      'GET',
      '/clusters/c1/health',
      undefined,
    ],
    [
      'refreshClusters',
      api => api.refreshClusters(),
      'POST',
      '/clusters/refresh',
      undefined,
    ],
    ['getSummary', api => api.getSummary(), 'GET', '/summary', undefined],
    [
      'getEntityRelations',
      api =>
        api.getEntityRelations({
          kind: 'Component',
          namespace: 'default',
          name: 'web',
        }),
      'GET',
      '/entities/Component/default/web',
      undefined,
    ],
    [
      'listEnvironmentTypes',
      api => api.listEnvironmentTypes(),
      'GET',
      '/environment-types',
      undefined,
    ],
    [
      'listEnvironments',
      api => api.listEnvironments(),
      'GET',
      '/environments',
      undefined,
    ],
    [
      'getEnvironment',
      api => api.getEnvironment('feature-a'),
      'GET',
      '/environments/feature-a',
      undefined,
    ],
    [
      'createEnvironment',
      api =>
        api.createEnvironment({
          name: 'feature-a',
          type: 'dev-small',
          cloud: 'local',
          owner: 'group:default/team-a',
        }),
      'POST',
      '/environments',
      {
        name: 'feature-a',
        type: 'dev-small',
        cloud: 'local',
        owner: 'group:default/team-a',
      },
    ],
    [
      'planEnvironment',
      api =>
        api.planEnvironment({
          name: 'feature-a',
          type: 'dev-small',
          cloud: 'local',
          owner: 'team-a',
        }),
      'POST',
      '/environments?dryRun=true',
      { name: 'feature-a', type: 'dev-small', cloud: 'local', owner: 'team-a' },
    ],
    [
      'listEnvironments with a query',
      api =>
        api.listEnvironments({
          owner: 'group:default/team-a',
          status: ['ready', 'failed'],
          limit: 10,
        }),
      'GET',
      '/environments?owner=group%3Adefault%2Fteam-a&status=ready%2Cfailed&limit=10',
      undefined,
    ],
    [
      'destroyEnvironment',
      api => api.destroyEnvironment('feature-a'),
      'DELETE',
      '/environments/feature-a',
      undefined,
    ],
    [
      'healEnvironment',
      api => api.healEnvironment('feature-a'),
      'POST',
      '/environments/feature-a/heal',
      undefined,
    ],
    [
      'listEnvironmentEvents',
      api => api.listEnvironmentEvents('feature-a', { after: 7 }),
      'GET',
      '/environments/feature-a/events?after=7',
      undefined,
    ],
    [
      'getClusterConnections',
      api => api.getClusterConnections(['c1', 'c2']),
      'GET',
      '/internal/connections?ids=c1%2Cc2',
      undefined,
    ],
    [
      'getClusterConnections',
      api => api.getClusterConnections(['c1'], { role: 'deploy' }),
      'GET',
      '/internal/connections?ids=c1&role=deploy',
      undefined,
    ],
    [
      'previewPlacement',
      api =>
        api.previewPlacement({
          placement: { clusterSelector: 'env=prod' },
          replicas: { totalReplicas: 3, preferences: { '*': { weight: 1 } } },
        }),
      'POST',
      '/placements/preview',
      {
        placement: { clusterSelector: 'env=prod' },
        replicas: { totalReplicas: 3, preferences: { '*': { weight: 1 } } },
      },
    ],
  ];

  it.each(
    endpoints.map(([name, call, method, path, body]) => ({
      name,
      call,
      method,
      path,
      body,
    })),
  )('$name', async ({ call, method, path, body }) => {
    const { api, requests } = client({ body: { items: [] } });
    await call(api);
    expect(requests).toHaveLength(1);
    expect(requests[0].method).toBe(method);
    expect(requests[0].url).toBe(`${BASE}${path}`);
    expect(requests[0].body).toEqual(body);
    expect(requests[0].headers.Accept).toBe('application/json');
    expect(requests[0].headers['Content-Type']).toBe(
      body === undefined ? undefined : 'application/json',
    );
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('multicluster');
  });

  it('returns response bodies', async () => {
    const page = { items: [{ id: 'c1' }], totalItems: 1, nextCursor: 'n' };
    const { api } = client(
      { body: page },
      { body: { items: [environment], totalItems: 1 } },
      { body: { items: [environment] } },
      {
        body: {
          items: [{ id: 1, at: 'now', level: 'info', message: 'created' }],
        },
      },
      { status: 201, body: environment },
      { body: { environments: [environment], clusters: [] } },
      {
        body: {
          clusters: [{ name: 'eu', id: 'eu', replicas: 3 }],
          excluded: [],
          overflow: {},
        },
      },
    );
    await expect(api.listClusters()).resolves.toEqual(page);
    await expect(api.listEnvironments()).resolves.toEqual({
      items: [environment],
      totalItems: 1,
    });
    await expect(api.listEnvironmentTypes()).resolves.toEqual([environment]);
    await expect(api.listEnvironmentEvents('feature-a')).resolves.toEqual([
      { id: 1, at: 'now', level: 'info', message: 'created' },
    ]);
    await expect(
      api.createEnvironment({
        name: 'feature-a',
        type: 'dev-small',
        cloud: 'local',
        owner: 'team-a',
      }),
    ).resolves.toEqual({ environment, outcome: 'created' });
    await expect(
      api.getEntityRelations({
        kind: 'component',
        namespace: 'default',
        name: 'web',
      }),
    ).resolves.toEqual({ environments: [environment], clusters: [] });
    await expect(
      api.previewPlacement({ placement: { clusterNames: ['eu'] } }),
    ).resolves.toEqual({
      clusters: [{ name: 'eu', id: 'eu', replicas: 3 }],
      excluded: [],
      overflow: {},
    });
  });

  it('accepts 202 without a body for a refresh, and tells create outcomes apart', async () => {
    const request = {
      name: 'feature-a',
      type: 'dev-small',
      cloud: 'local' as const,
      owner: 'team-a',
    };
    const { api } = client(
      { status: 202 },
      { status: 200, body: environment },
      { status: 202, body: environment },
    );
    await expect(api.refreshClusters()).resolves.toBeUndefined();
    await expect(api.createEnvironment(request)).resolves.toMatchObject({
      outcome: 'existing',
    });
    await expect(api.createEnvironment(request)).resolves.toMatchObject({
      outcome: 'retried',
    });
  });

  it('sends a service token and an abort signal when given', async () => {
    const { api, requests } = client({ body: {} });
    const controller = new AbortController();
    await api.getSummary({ token: 'service-token', signal: controller.signal });
    expect(requests[0].headers.Authorization).toBe('Bearer service-token');
  });

  it('turns Backstage error bodies into ResponseError', async () => {
    const { api } = client({
      status: 400,
      body: {
        error: {
          name: 'InputError',
          message:
            'Invalid create environment request: cloud: cloud must be one of local, aws, azure, gcp',
        },
        request: { method: 'POST', url: '/api/multicluster/environments' },
        response: { statusCode: 400 },
      },
    });
    let error: unknown;
    try {
      await api.createEnvironment({
        name: 'feature-a',
        type: 'dev-small',
        cloud: 'local',
        owner: 'team-a',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ResponseError);
    const responseError = error as ResponseError;
    expect(responseError.statusCode).toBe(400);
    // The server's message, not "Request failed with 400 Bad Request".
    expect(responseError.message).toBe(
      'Invalid create environment request: cloud: cloud must be one of local, aws, azure, gcp',
    );
    expect(responseError.body.error.name).toBe('InputError');
    expect(responseError.body.error.message).toContain(
      'cloud must be one of local, aws, azure, gcp',
    );
    expect(responseError.cause.name).toBe('InputError');
    expect(responseError.cause.message).toContain('cloud must be one of');
  });

  it('turns a 404 into a ResponseError with the status', async () => {
    const { api } = client({
      status: 404,
      body: {
        error: { name: 'NotFoundError', message: 'No cluster "nope"' },
        response: { statusCode: 404 },
      },
    });
    await expect(api.getCluster('nope')).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
      cause: { name: 'NotFoundError', message: 'No cluster "nope"' },
    });
  });

  it('handles error bodies that are not Backstage errors', async () => {
    const fetch = jest.fn(
      async () =>
        new Response('<html>Bad gateway</html>', {
          status: 502,
          statusText: 'Bad Gateway',
        }),
    );
    const api = new MulticlusterClient({
      discoveryApi,
      fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
    });
    await expect(api.getSummary()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 502,
    });
  });

  it('refuses empty path segments instead of calling another route', async () => {
    const { api, requests } = client();
    await expect(api.getEnvironment('')).rejects.toThrow(InputError);
    await expect(
      api.getEntityRelations({ kind: 'component', namespace: '', name: 'web' }),
    ).rejects.toThrow('namespace must be a non-empty string');
    expect(requests).toHaveLength(0);
  });

  it('uses the global fetch by default', async () => {
    const original = globalThis.fetch;
    const fake = fakeFetch({ body: { totalClusters: 0 } });
    globalThis.fetch = fake.fetch;
    try {
      const api = new MulticlusterClient({ discoveryApi });
      await expect(api.getSummary()).resolves.toEqual({ totalClusters: 0 });
      expect(fake.requests[0].url).toBe(`${BASE}/summary`);
    } finally {
      globalThis.fetch = original;
    }
  });
});
