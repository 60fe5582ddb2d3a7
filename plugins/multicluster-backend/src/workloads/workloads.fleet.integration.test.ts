/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { startFleet, type Fleet } from '@archipelago/kube-emulator';
import {
  planReplicas,
  type Workload,
  type WorkloadEvent,
} from '@archipelago/multicluster-common';
import { createMulticlusterTestModule } from '@archipelago/multicluster-node-test-utils';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import request from 'supertest';
import { capturingLogger } from '../environments/__testUtils__/fakes';
import { multiclusterPlugin } from '../plugin';
import { TestFleetProvider } from './__testUtils__/fleetProvider';
import { Kubectl } from './__testUtils__/kubectl';
import { WORKLOADS_TASK_ID } from './tasks';
import { createKnex } from '../__testUtils__/databases';
import type { Knex } from 'knex';

jest.setTimeout(180_000);

const SECRET = 'pa55-w0rd-never-shown-anywhere';
const SECRET_B64 = Buffer.from('an0ther-s3cret-value').toString('base64');

const manifests = (image: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, labels: { app: web } }
spec:
  progressDeadlineSeconds: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: ${image}
          envFrom: [{ secretRef: { name: web-db } }]
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: 8080 }]
---
apiVersion: v1
kind: Secret
metadata: { name: web-db }
stringData: { password: ${SECRET} }
data: { token: ${SECRET_B64} }
`;

const workload = (image = 'nginx:1.27', extra: object = {}) => ({
  name: 'web',
  owner: 'group:default/team-a',
  entityRef: 'component:default/web',
  namespace: 'shop',
  manifests: manifests(image),
  placement: { clusterSelector: 'env=production' },
  replicas: {
    totalReplicas: 12,
    preferences: { '*': { weight: 1 } },
    rebalance: true,
  },
  rollout: { maxConcurrent: 2, maxFailures: 1, timeoutSeconds: 20 },
  failover: { graceSeconds: 2 },
  ...extra,
});

/**
 * Acceptance (issue 13) on an emulated fleet, through the real plugin over
 * HTTP, with the real kubectl as the judge.
 */
describe('workloads on an emulated fleet', () => {
  let fleet: Fleet;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let knex: Knex;
  const provider = new TestFleetProvider();
  const scheduler = mockServices.scheduler();
  const kubectl = new Map<string, Kubectl>();
  const lines: string[] = [];
  const bodies: string[] = [];

  const api = () => request(backend.server);
  const call = async (
    method: 'get' | 'post' | 'put' | 'delete',
    path: string,
    body?: unknown,
  ) => {
    let r = api()[method](`/api/multicluster${path}`);
    if (body !== undefined) r = r.send(body as object);
    const res = await r;
    bodies.push(res.text);
    return res;
  };
  const get = async (path: string) => (await call('get', path)).body;
  const round = () => scheduler.triggerTask(WORKLOADS_TASK_ID);
  const refresh = async () =>
    expect((await call('post', '/clusters/refresh')).status).toBe(202);
  const events = async (): Promise<WorkloadEvent[]> =>
    (await get('/workloads/web/events?limit=1000')).items;
  const replicasOn = async (name: string) =>
    (await kubectl.get(name)!.deployment('shop', 'web'))?.spec?.replicas ?? 0;
  /** Reconcile rounds started since `since` (epoch ms). */
  const roundsSince = async (since: number) =>
    Number(
      (
        await knex('workload_rounds')
          .where('started_at', '>=', since)
          .count({ n: '*' })
      )[0].n,
    );

  const waitFor = async <T>(
    what: string,
    check: () => Promise<T | undefined | false>,
    timeoutMs = 30_000,
  ): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
      await new Promise(r => setTimeout(r, 200));
    }
  };

  beforeAll(async () => {
    fleet = await startFleet({
      clusters: 5,
      nodes: 2,
      adminPort: null,
      podReadyDelayMs: 100,
    });
    for (let i = 1; i <= 4; i++)
      provider.add(fleet.cluster(i), { env: 'production' });
    for (const c of fleet.clusters) kubectl.set(c.name, new Kubectl(c));
    knex = await createKnex('sqlite');
    backend = await startTestBackend({
      features: [
        mockServices.database.factory({ knex }),
        multiclusterPlugin,
        createMulticlusterTestModule({ providers: [provider] }),
        catalogServiceMock.factory({ entities: [] }),
        scheduler.factory(),
        createServiceFactory({
          service: coreServices.logger,
          deps: {},
          factory: () => capturingLogger(lines),
        }),
        mockServices.rootConfig.factory({
          data: {
            multicluster: {
              environments: {
                secretKey: 'test-only-environments-key-0123456789abcdef',
              },
              health: {
                intervalSeconds: 3600,
                timeoutSeconds: 1,
                flapThreshold: 1,
              },
              discovery: { intervalSeconds: 3600 },
              workloads: {
                intervalSeconds: 30,
                pollMilliseconds: 200,
                clusterTimeoutSeconds: 5,
                requestTimeoutSeconds: 2,
              },
            },
          },
        }),
      ],
    });
    await refresh();
  });

  afterAll(async () => {
    await backend?.stop();
    await fleet?.stop();
    for (const k of kubectl.values()) k.cleanup();
  });

  it('runs the planned split of 12 replicas on env=production', async () => {
    const created = await call('post', '/workloads', workload());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'web',
      revision: 1,
      status: { phase: 'Progressing' },
    });
    await round();
    const names = ['emulator-1', 'emulator-2', 'emulator-3', 'emulator-4'];
    const { plan } = planReplicas({
      totalReplicas: 12,
      clusters: names,
      preferences: { '*': { weight: 1 } },
      rebalance: true,
      key: 'shop/web',
    });
    for (const name of names) {
      expect([name, await replicasOn(name)]).toEqual([name, plan[name]]);
    }
    const ready = await waitFor('Available', async () => {
      const w: Workload = await get('/workloads/web');
      return w.status.phase === 'Available' ? w : undefined;
    });
    expect(ready.status.clusters.map(c => [c.name, c.readyReplicas])).toEqual(
      names.map(n => [n, plan[n]]),
    );
    expect(await replicasOn('emulator-5')).toBe(0);
    // The Secret arrived with its values (the cluster is the one place they go).
    const secret = JSON.parse(
      await kubectl
        .get('emulator-1')!
        .ok(['-n', 'shop', 'get', 'secret', 'web-db', '-o', 'json']),
    );
    expect(Buffer.from(secret.data.password, 'base64').toString()).toBe(SECRET);
  });
});
