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
  type SchedulerService,
  type ServiceFactory,
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
    // One each first: KubeFed rounds weighted shares up, so 12 over 5 would leave one at 0.
    preferences: { '*': { weight: 1, minReplicas: 1 } },
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
  // The mock scheduler runs a task when triggered, and tells when it finished.
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(): ServiceFactory;
    waitForTask(id: string): Promise<void>;
  };
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
  /** Waits for a round in progress (one a change or a health transition started), then runs one. */
  const round = async () => {
    const done = scheduler.waitForTask(WORKLOADS_TASK_ID);
    await scheduler.triggerTask(WORKLOADS_TASK_ID);
    await done;
  };
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
      preferences: { '*': { weight: 1, minReplicas: 1 } },
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

  it('gives a cluster that joins the inventory its share within two rounds', async () => {
    const since = Date.now();
    provider.add(fleet.cluster(5), { env: 'production' });
    // Discovery finds it; its first probe is a health transition, which starts a round.
    await refresh();
    const names = fleet.clusters.map(c => c.name);
    const { plan } = planReplicas({
      totalReplicas: 12,
      clusters: names,
      preferences: { '*': { weight: 1, minReplicas: 1 } },
      rebalance: true,
      key: 'shop/web',
    });
    await waitFor(
      'emulator-5 runs its share',
      async () => (await replicasOn('emulator-5')) === plan['emulator-5'],
    );
    expect(await roundsSince(since)).toBeLessThanOrEqual(2);
    for (const name of names)
      expect([name, await replicasOn(name)]).toEqual([name, plan[name]]);
    expect(
      (await events()).some(e =>
        /emulator-5 matches the placement of revision 1/.test(e.message),
      ),
    ).toBe(true);
  });

  it('repairs kubectl scale, set image and delete within one round', async () => {
    const k = kubectl.get('emulator-2')!;
    const want = await replicasOn('emulator-2');
    await k.ok(['-n', 'shop', 'scale', 'deployment', 'web', '--replicas=9']);
    await k.ok([
      '-n',
      'shop',
      'set',
      'image',
      'deployment/web',
      'web=nginx:1.26',
    ]);
    expect(await replicasOn('emulator-2')).toBe(9);
    let since = Date.now();
    await round();
    const repaired = await k.deployment('shop', 'web');
    expect(repaired?.spec.replicas).toBe(want);
    expect(repaired?.spec.template.spec.containers[0].image).toBe('nginx:1.27');
    expect(await roundsSince(since)).toBe(1);
    const drift = (await events()).filter(
      e => e.cluster === 'emulator-2' && /^drift/.test(e.message),
    );
    expect(drift.at(-1)?.message).toMatch(
      /^drift on emulator-2: Deployment shop\/web: spec.template.spec.containers\[web\].image is nginx:1.26, want nginx:1.27; Deployment shop\/web: spec.replicas is 9, want [1-9]; repaired$/,
    );
    const w: Workload = await get('/workloads/web');
    expect(w.status.clusters.find(c => c.name === 'emulator-2')).toMatchObject({
      drift: [
        expect.stringMatching(/image is nginx:1.26/),
        expect.stringMatching(/spec.replicas is 9/),
      ],
      driftAt: expect.any(String),
    });

    await k.ok(['-n', 'shop', 'delete', 'deployment', 'web']);
    expect(await k.deployment('shop', 'web')).toBeUndefined();
    since = Date.now();
    await round();
    expect((await k.deployment('shop', 'web'))?.spec.replicas).toBe(want);
    expect(await roundsSince(since)).toBe(1);
    expect((await events()).at(-1)?.message ?? '').toBeDefined();
    expect(
      (await events()).some(
        e =>
          e.message ===
          'drift on emulator-2: Deployment shop/web is missing; repaired',
      ),
    ).toBe(true);
  });

  it('fails a dead cluster over after the grace period, never below the live share, and gives its share back', async () => {
    const names = fleet.clusters.map(c => c.name);
    const share = await replicasOn('emulator-3');
    expect(share).toBeGreaterThan(0);
    const live = names.filter(n => n !== 'emulator-3');
    const liveTotal = async () => {
      let total = 0;
      for (const n of live) total += await replicasOn(n);
      return total;
    };
    const floor = 12 - share;
    expect(await liveTotal()).toBe(floor);
    await fleet.cluster(3).stop();
    const polls: number[] = [];
    try {
      // The probe notices (flapThreshold 1): a health transition starts a round, which
      // waits out the grace period and moves the replicas.
      await refresh();
      await waitFor('the live clusters run 12', async () => {
        const total = await liveTotal();
        polls.push(total);
        return total === 12;
      });
      expect(Math.min(...polls)).toBeGreaterThanOrEqual(floor);
      const w: Workload = await get('/workloads/web');
      expect(
        w.status.clusters.find(c => c.name === 'emulator-3'),
      ).toMatchObject({
        failedOver: true,
      });
      expect(w.status.phase).toBe('Degraded');
      expect(
        (await events()).some(e =>
          /^failed over: emulator-3 has been unreachable/.test(e.message),
        ),
      ).toBe(true);
    } finally {
      await fleet.cluster(3).start();
    }
    await refresh();
    await waitFor('emulator-3 runs its share again', async () => {
      const total = await liveTotal();
      polls.push(total);
      return (await replicasOn('emulator-3')) === share && total === floor;
    });
    expect(Math.min(...polls)).toBeGreaterThanOrEqual(floor);
    await waitFor('Available again', async () => {
      const w: Workload = await get('/workloads/web');
      return w.status.phase === 'Available';
    });
  });

  it('stops a revision that never becomes ready after its first step and rolls the touched clusters back', async () => {
    const updated = await call(
      'put',
      '/workloads/web',
      workload('nginx:2.0-never-ready'),
    );
    expect(updated.status).toBe(200);
    expect(updated.body.revision).toBe(2);
    await round();
    const w: Workload = await waitFor('Failed', async () => {
      const now: Workload = await get('/workloads/web');
      return now.status.phase === 'Failed' ? now : undefined;
    });
    expect(w.status.reason).toMatch(
      /^revision 2 failed on 2 clusters \(maxFailures 1\): .*; the touched clusters were rolled back to revision 1$/,
    );
    expect(w.status.rollout).toMatchObject({
      revision: 2,
      fromRevision: 1,
      state: 'failed',
      step: 1,
    });
    for (const c of fleet.clusters) {
      const d = await kubectl.get(c.name)!.deployment('shop', 'web');
      expect([c.name, d?.spec.template.spec.containers[0].image]).toEqual([
        c.name,
        'nginx:1.27',
      ]);
    }
    const log = (await events()).map(e => e.message);
    expect(log).toContainEqual(
      expect.stringMatching(
        /^step 1: applying revision 2 to emulator-\d, emulator-\d$/,
      ),
    );
    expect(log.some(m => /^step 2: applying revision 2/.test(m))).toBe(false);
    expect(log).toContainEqual(
      expect.stringMatching(
        /^rollout of revision 2 stopped: .*; rolling the touched clusters back to revision 1$/,
      ),
    );
  });

  it('rolls back by hand to a kept revision, and pauses', async () => {
    const revisions = (await get('/workloads/web/revisions')).items;
    expect(
      revisions.map((r: any) => [r.revision, r.cause, r.images, r.current]),
    ).toEqual([
      [2, 'updated', ['nginx:2.0-never-ready'], true],
      [1, 'created', ['nginx:1.27'], false],
    ]);
    const rolled = await call('post', '/workloads/web/rollback', {
      revision: 1,
    });
    expect(rolled.status).toBe(200);
    expect(rolled.body.revision).toBe(3);
    await round();
    await waitFor('Available at revision 3', async () => {
      const w: Workload = await get('/workloads/web');
      return (
        w.status.phase === 'Available' &&
        w.status.clusters.every(c => c.revision === 3)
      );
    });
    expect(
      (await call('post', '/workloads/web/rollback', { revision: 9 })).body
        .error.message,
    ).toMatch(/^revision: workload web keeps no revision 9; kept: 3, 2, 1$/);

    const paused = await call('post', '/workloads/web/pause');
    expect(paused.body.paused).toBe(true);
    const k = kubectl.get('emulator-4')!;
    const want = await replicasOn('emulator-4');
    await k.ok(['-n', 'shop', 'scale', 'deployment', 'web', '--replicas=7']);
    await round();
    expect(await replicasOn('emulator-4')).toBe(7);
    let w: Workload = await get('/workloads/web');
    expect(w.status.phase).toBe('Paused');
    expect(w.status.clusters.find(c => c.name === 'emulator-4')?.drift).toEqual(
      [expect.stringMatching(/spec.replicas is 7/)],
    );
    await call('post', '/workloads/web/resume');
    await round();
    expect(await replicasOn('emulator-4')).toBe(want);
    w = await get('/workloads/web');
    expect(w.paused).toBe(false);
  });

  it('never shows a Secret value in REST bodies, events or logs', async () => {
    const plan = await call('put', '/workloads/web?dryRun=true', {
      ...workload(),
      manifests: manifests('nginx:1.28').replace(SECRET, 'n3w-s3cret-value-x'),
    });
    expect(plan.status).toBe(200);
    expect(plan.body.diff).toContainEqual({
      object: 'Secret shop/web-db',
      change: 'changed',
      fields: ['stringData.password'],
    });
    const w: Workload = await get('/workloads/web');
    const secret = w.manifests.find(m => m.kind === 'Secret') as any;
    expect(secret.stringData).toEqual({ password: '[REDACTED]' });
    expect(secret.data).toEqual({ token: '[REDACTED]' });
    // Sent back as read, the values stay.
    const again = await call('put', '/workloads/web', {
      ...workload(),
      manifests: w.manifests,
    });
    expect(again.status).toBe(200);
    await get('/workloads');
    await get('/workloads/web/events?limit=1000');
    await get('/workloads/web/revisions');
    const all = [...bodies, ...lines].join('\n');
    expect(all.length).toBeGreaterThan(10_000);
    for (const value of [
      SECRET,
      SECRET_B64,
      'an0ther-s3cret-value',
      'n3w-s3cret-value-x',
    ])
      expect(all).not.toContain(value);
    for (const c of fleet.clusters)
      for (const token of Object.values(c.tokens))
        expect(all).not.toContain(token);
  });

  it('deletes: objects leave every cluster, then the workload', async () => {
    const deleted = await call('delete', '/workloads/web');
    expect(deleted.status).toBe(202);
    expect(deleted.body.deleting).toBe(true);
    await waitFor(
      'the workload is gone',
      async () => (await call('get', '/workloads/web')).status === 404,
    );
    for (const c of fleet.clusters)
      expect(
        await kubectl.get(c.name)!.deployment('shop', 'web'),
      ).toBeUndefined();
  });
});
