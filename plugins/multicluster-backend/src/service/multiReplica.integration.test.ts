/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { startFleet, type Fleet } from '@archipelago/kube-emulator';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import knexFactory, { type Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { multiclusterPlugin } from '../plugin';
import { setTimeout as sleep } from 'node:timers/promises';

jest.setTimeout(120_000);

const PROBE_INTERVAL_S = 2;

/**
 * Acceptance: two backend instances on one PostgreSQL, with Backstage's real
 * (database-backed) scheduler. Each probe round runs once, on one of them, and
 * both serve the same inventory.
 */
const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });

describe('two replicas on one PostgreSQL', () => {
  let fleet: Fleet;
  let dir: string;
  const knexes: Knex[] = [];
  const backends: Array<Awaited<ReturnType<typeof startTestBackend>>> = [];

  beforeAll(async () => {
    fleet = await startFleet({ clusters: 4, nodes: 2, adminPort: null });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-replicas-'));
    const kubeconfig = path.join(dir, 'kubeconfig');
    await fleet.writeKubeconfig(kubeconfig);
    // One database; each replica gets its own connection pool on it.
    const { connection } = (await databases.init('POSTGRES_18')).client.config;
    for (let i = 0; i < 2; i++) {
      const knex = knexFactory({
        client: 'pg',
        connection,
        pool: { min: 0, max: 10 },
      });
      knexes.push(knex);
      backends.push(
        await startTestBackend({
          features: [
            multiclusterPlugin,
            schedulerServiceFactory,
            mockServices.database.factory({ knex }),
            catalogServiceMock.factory({ entities: [] }),
            mockServices.rootConfig.factory({
              data: {
                multicluster: {
                  providers: { kubeconfig: [{ file: kubeconfig }] },
                  health: {
                    intervalSeconds: PROBE_INTERVAL_S,
                    timeoutSeconds: 2,
                  },
                  discovery: { intervalSeconds: 3600 },
                },
              },
            }),
          ],
        }),
      );
    }
  });

  afterAll(async () => {
    for (const b of backends) await b.stop();
    for (const k of knexes) await k.destroy();
    await fleet?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs each probe round once and serves one inventory from both', async () => {
    const knex = knexes[0];
    const finishedRounds = async () =>
      knex('multicluster_probe_rounds')
        .whereNotNull('finished_at')
        .orderBy('id')
        .select();
    // Wait (bounded) until a few rounds have run.
    const deadline = Date.now() + 40_000;
    while ((await finishedRounds()).length < 4 && Date.now() < deadline) {
      await sleep(500);
    }
    const rounds = await finishedRounds();
    expect(rounds.length).toBeGreaterThanOrEqual(4);

    // Never two rounds at once...
    for (let i = 1; i < rounds.length; i++) {
      expect(Number(rounds[i].started_at)).toBeGreaterThanOrEqual(
        Number(rounds[i - 1].finished_at),
      );
    }
    // ...and not one per replica: at most one per interval, plus the round that discovery
    // triggers for new clusters.
    const window =
      Number(rounds[rounds.length - 1].started_at) -
      Number(rounds[0].started_at);
    expect(rounds.length).toBeLessThanOrEqual(
      Math.floor(window / (PROBE_INTERVAL_S * 1000)) + 2,
    );
    // Every cluster was probed exactly once per finished round (the round in flight may add one).
    const counts = await knex('multicluster_probes')
      .select('cluster_id')
      .count({ n: '*' })
      .groupBy('cluster_id');
    expect(counts).toHaveLength(4);
    const allRounds = Number(
      (await knex('multicluster_probe_rounds').count({ n: '*' }))[0].n,
    );
    for (const c of counts) {
      expect(Number(c.n)).toBeGreaterThanOrEqual(rounds.length);
      expect(Number(c.n)).toBeLessThanOrEqual(allRounds);
    }

    const [a, b] = await Promise.all(
      backends.map(backend =>
        request(backend.server).get('/api/multicluster/clusters'),
      ),
    );
    expect(a.status).toBe(200);
    expect(a.body.totalItems).toBe(4);
    expect(a.body.items.every((c: any) => c.status.health === 'healthy')).toBe(
      true,
    );
    expect(b.body.items.map((c: any) => c.id)).toEqual(
      a.body.items.map((c: any) => c.id),
    );
  });
});
