/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { startFleet, type Fleet } from '@archipelago/kube-emulator';
import type { Workload, WorkloadEvent } from '@archipelago/multicluster-common';
import { createMulticlusterTestModule } from '@archipelago/multicluster-node-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import knexFactory, { type Knex } from 'knex';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { multiclusterPlugin } from '../plugin';
import { TestFleetProvider } from './__testUtils__/fleetProvider';
import { Kubectl } from './__testUtils__/kubectl';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });

const workload = (name: string, rollout: object) => ({
  name,
  owner: 'group:default/team-a',
  namespace: name,
  manifests: `
apiVersion: apps/v1
kind: Deployment
metadata: { name: app }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: app, image: "nginx:1.27" }] }
`,
  placement: { clusterSelector: '' },
  rollout,
});

/**
 * Acceptance (issue 13) with Backstage's real scheduler on one PostgreSQL:
 * two backends run one reconciler per round, and a backend started after
 * another stopped mid-rollout continues it from the stored state.
 */
describe('workloads on two replicas of one PostgreSQL', () => {
  let fleet: Fleet;
  let connection: unknown;
  const provider = new TestFleetProvider();
  const knexes: Knex[] = [];
  const running: Array<Awaited<ReturnType<typeof startTestBackend>>> = [];

  async function startReplica() {
    const knex = knexFactory({
      client: 'pg',
      connection: connection as Knex.PgConnectionConfig,
      pool: { min: 0, max: 10 },
    });
    knexes.push(knex);
    const backend = await startTestBackend({
      features: [
        multiclusterPlugin,
        createMulticlusterTestModule({ providers: [provider] }),
        schedulerServiceFactory,
        mockServices.database.factory({ knex }),
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            multicluster: {
              health: { intervalSeconds: 2, timeoutSeconds: 2 },
              discovery: { intervalSeconds: 3600 },
              workloads: {
                intervalSeconds: 2,
                pollMilliseconds: 200,
                requestTimeoutSeconds: 2,
              },
            },
          },
        }),
      ],
    });
    running.push(backend);
    return backend;
  }

  const db = () => knexes[0];
  const workloadOf = async (
    backend: Awaited<ReturnType<typeof startTestBackend>>,
    name: string,
  ): Promise<Workload> =>
    (await request(backend.server).get(`/api/multicluster/workloads/${name}`))
      .body;
  const eventsOf = async (
    backend: Awaited<ReturnType<typeof startTestBackend>>,
    name: string,
  ): Promise<WorkloadEvent[]> =>
    (
      await request(backend.server).get(
        `/api/multicluster/workloads/${name}/events?limit=1000`,
      )
    ).body.items;
  const until = async <T>(
    what: string,
    check: () => Promise<T | undefined | false>,
    timeoutMs = 60_000,
  ): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
      await sleep(250);
    }
  };

  beforeAll(async () => {
    fleet = await startFleet({
      clusters: 4,
      nodes: 1,
      adminPort: null,
      podReadyDelayMs: 100,
    });
    for (const c of fleet.clusters) provider.add(c, { env: 'test' });
    connection = (await databases.init('POSTGRES_18')).client.config.connection;
  });

  afterAll(async () => {
    for (const b of running) await b.stop().catch(() => undefined);
    for (const k of knexes) await k.destroy();
    await fleet?.stop();
  });

  it('two backends run one reconciler per round', async () => {
    const [a, b] = [await startReplica(), await startReplica()];
    const created = await request(a.server)
      .post('/api/multicluster/workloads')
      .send(workload('shared', { maxConcurrent: 4 }));
    expect(created.status).toBe(201);
    await until('Available', async () => {
      const w = await workloadOf(b, 'shared');
      return w.status?.phase === 'Available';
    });
    // Let a few more rounds run on whichever replica the scheduler picks.
    await until('six finished rounds', async () => {
      const n = await db()('workload_rounds').whereNotNull('finished_at');
      return n.length >= 6;
    });
    const rounds = await db()('workload_rounds')
      .whereNotNull('finished_at')
      .orderBy('id');
    for (let i = 1; i < rounds.length; i++) {
      // Never two rounds at once, whichever replica ran them.
      expect(Number(rounds[i].started_at)).toBeGreaterThanOrEqual(
        Number(rounds[i - 1].finished_at),
      );
    }
    expect(new Set(rounds.map(r => r.runner)).size).toBeGreaterThanOrEqual(1);
    const [fromA, fromB] = await Promise.all([
      workloadOf(a, 'shared'),
      workloadOf(b, 'shared'),
    ]);
    expect(fromB.status).toEqual(fromA.status);
    for (const c of fleet.clusters) {
      const kubectl = new Kubectl(c);
      try {
        const d = await kubectl.deployment('shared', 'app');
        expect([c.name, d?.spec.replicas]).toEqual([c.name, 1]);
      } finally {
        kubectl.cleanup();
      }
    }
    await a.stop();
    await b.stop();
    running.length = 0;
  });

  it('a backend started after another stopped mid-rollout continues from the stored state', async () => {
    const first = await startReplica();
    const created = await request(first.server)
      .post('/api/multicluster/workloads')
      .send(workload('steps', { maxConcurrent: 1, soakSeconds: 3 }));
    expect(created.status).toBe(201);
    // Stop once the rollout is past its first step but not done.
    const mid = await until('mid-rollout', async () => {
      const w = await workloadOf(first, 'steps');
      const r = w.status?.rollout;
      return r && r.state === 'progressing' && r.updated >= 1 && r.updated < 4
        ? r
        : undefined;
    });
    await first.stop();
    running.length = 0;
    const stored = await db()('workloads').where({ name: 'steps' }).first();
    expect(JSON.parse(stored.rollout)).toMatchObject({
      revision: 1,
      state: 'progressing',
    });

    const second = await startReplica();
    const done = await until('rollout complete', async () => {
      const w = await workloadOf(second, 'steps');
      return w.status?.rollout?.state === 'complete' ? w : undefined;
    });
    expect(done.status.rollout).toMatchObject({ updated: 4, step: 4 });
    const events = await eventsOf(second, 'steps');
    // Each step ran once, in order, across both backends; no cluster was applied twice.
    const steps = events
      .map(e => /^step (\d+): applying revision 1/.exec(e.message)?.[1])
      .filter(Boolean)
      .map(Number);
    expect(steps).toEqual([1, 2, 3, 4]);
    const applied = events.filter(e =>
      /^applied revision 1 to /.test(e.message),
    );
    expect(applied.map(e => e.cluster).sort()).toEqual(
      fleet.clusters.map(c => c.name).sort(),
    );
    expect(mid.updated).toBeGreaterThanOrEqual(1);
  });
});
