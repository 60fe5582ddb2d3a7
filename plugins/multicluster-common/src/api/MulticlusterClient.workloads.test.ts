/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { MulticlusterClient } from './MulticlusterClient';
import type { WorkloadRequest } from '../workloads';

const BASE = 'http://127.0.0.1:7007/api/multicluster';

function client(body: unknown = { items: [] }) {
  const requests: Array<{ url: string; method: string; body?: unknown }> = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push({
      url: String(input),
      method: init?.method ?? 'GET',
      body:
        init?.body === undefined ? undefined : JSON.parse(String(init.body)),
    });
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    });
  }) as typeof globalThis.fetch;
  return {
    api: new MulticlusterClient({
      discoveryApi: {
        getBaseUrl: async id => `http://127.0.0.1:7007/api/${id}`,
      },
      fetchApi: { fetch },
    }),
    requests,
  };
}

const request: WorkloadRequest = {
  name: 'web',
  owner: 'group:default/team-a',
  manifests: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n',
  placement: { clusterSelector: 'env=prod' },
};

describe('MulticlusterClient workload routes', () => {
  it.each<
    [
      string,
      (api: MulticlusterClient) => Promise<unknown>,
      string,
      string,
      unknown,
    ]
  >([
    [
      'listWorkloads',
      api => api.listWorkloads(),
      'GET',
      '/workloads',
      undefined,
    ],
    [
      'listWorkloads with a query',
      api =>
        api.listWorkloads({
          owner: 'group:default/team-a',
          entityRef: 'component:default/web',
          limit: 5,
          cursor: 'c',
        }),
      'GET',
      '/workloads?owner=group%3Adefault%2Fteam-a&entityRef=component%3Adefault%2Fweb&limit=5&cursor=c',
      undefined,
    ],
    [
      'getWorkload',
      api => api.getWorkload('web'),
      'GET',
      '/workloads/web',
      undefined,
    ],
    [
      'createWorkload',
      api => api.createWorkload(request),
      'POST',
      '/workloads',
      request,
    ],
    [
      'planWorkload',
      api => api.planWorkload(request),
      'POST',
      '/workloads?dryRun=true',
      request,
    ],
    [
      'updateWorkload',
      api => api.updateWorkload('web', request),
      'PUT',
      '/workloads/web',
      request,
    ],
    [
      'planWorkloadUpdate',
      api => api.planWorkloadUpdate('web', request),
      'PUT',
      '/workloads/web?dryRun=true',
      request,
    ],
    [
      'deleteWorkload',
      api => api.deleteWorkload('web'),
      'DELETE',
      '/workloads/web',
      undefined,
    ],
    [
      'listWorkloadEvents',
      api => api.listWorkloadEvents('web', { after: 3, limit: 10 }),
      'GET',
      '/workloads/web/events?after=3&limit=10',
      undefined,
    ],
    [
      'listWorkloadRevisions',
      api => api.listWorkloadRevisions('web'),
      'GET',
      '/workloads/web/revisions',
      undefined,
    ],
    [
      'rollbackWorkload',
      api => api.rollbackWorkload('web', 2),
      'POST',
      '/workloads/web/rollback',
      { revision: 2 },
    ],
    [
      'pauseWorkload',
      api => api.pauseWorkload('web'),
      'POST',
      '/workloads/web/pause',
      undefined,
    ],
    [
      'resumeWorkload',
      api => api.resumeWorkload('web'),
      'POST',
      '/workloads/web/resume',
      undefined,
    ],
    [
      'getWorkloadDns',
      api => api.getWorkloadDns('web'),
      'GET',
      '/workloads/web/dns',
      undefined,
    ],
  ])('%s', async (_name, call, method, path, body) => {
    const { api, requests } = client();
    await call(api);
    expect(requests).toEqual([{ url: `${BASE}${path}`, method, body }]);
  });

  it('unwraps lists', async () => {
    const { api } = client({ items: [{ revision: 1 }] });
    await expect(api.listWorkloadRevisions('web')).resolves.toEqual([
      { revision: 1 },
    ]);
  });
});
