/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import knexFactory, { type Knex } from 'knex';
import { migrateDatabase } from '../database/migrations';
import { dc, down, healthy, ok, order } from './__testUtils__/fixtures';
import { InventoryStore } from './InventoryStore';
import type { ProbeOutcome } from './types';

// About a minute on a quiet machine; several on a busy one.
jest.setTimeout(480_000);

/**
 * Acceptance (issue 18): discovery and probe rounds running at the same time
 * on PostgreSQL, as they do on two replicas, never deadlock. Each replica has
 * its own pool, as in production; every round touches every cluster (discovery
 * moves lastSeenAt, relabels some, adds and removes a few; the prober writes
 * status in an order of its own).
 */
const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });

const ROUNDS = 200;
const CLUSTERS = 80;

/** A deterministic shuffle, so each round writes rows in another order. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed + 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('inventory writers on PostgreSQL', () => {
  const pools: Knex[] = [];

  afterAll(async () => {
    for (const pool of pools) await pool.destroy();
  });

  it(`runs ${ROUNDS} concurrent discovery and probe rounds without an error`, async () => {
    const first = await databases.init('POSTGRES_18');
    await migrateDatabase(first);
    pools.push(first);
    const { connection } = first.client.config;
    for (let i = 0; i < 2; i++) {
      pools.push(knexFactory({ client: 'pg', connection, pool: { max: 5 } }));
    }
    const [replicaA, replicaB] = [
      new InventoryStore(pools[1]),
      new InventoryStore(pools[2]),
    ];

    const names = Array.from({ length: CLUSTERS }, (_, i) => `c${i}`);
    const discoveryRound = (round: number) => {
      // A few clusters come and go, a few change labels, all are seen again.
      const present = names.filter((_, i) => (i + round) % 40 !== 0);
      return shuffled(present, round).map(name =>
        dc(name, {
          labels: { team: `t${(round + name.length) % 3}`, zone: 'a' },
        }),
      );
    };
    await replicaA.applyDiscovery([ok('aws', discoveryRound(0))], order);

    const errors: unknown[] = [];
    const settle = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (error) {
        errors.push(error);
      }
    };
    const probeRound = async (store: InventoryStore, round: number) => {
      const targets = await store.listProbeTargets();
      const id = await store.startProbeRound(`replica-${round % 2}`);
      const outcomes: ProbeOutcome[] = shuffled(targets, round * 7).map(
        (t, i) => ({
          id: t.id,
          at: Date.now(),
          latencyMs: i,
          classification: (i + round) % 5 === 0 ? down : healthy,
          version: 'v1.31.0',
          nodes: { ready: 2, total: 3 },
        }),
      );
      await store.recordProbeRound(id, outcomes, {
        flapThreshold: 2,
        historyLimit: 20,
        historyMaxAgeMs: 3_600_000,
      });
    };

    for (let round = 1; round <= ROUNDS; round++) {
      // Discovery on one replica, probing on the other and, as when a timed-out
      // round is still writing, a second probe round on the first.
      const [discoverer, prober] =
        round % 2 ? [replicaA, replicaB] : [replicaB, replicaA];
      await Promise.all([
        settle(
          discoverer.applyDiscovery([ok('aws', discoveryRound(round))], order),
        ),
        settle(probeRound(prober, round)),
        settle(probeRound(discoverer, round + 1)),
      ]);
    }

    expect(errors.map(e => String(e))).toEqual([]);
    const page = await replicaA.listClusters(
      { limit: 500, sort: 'name' },
      undefined,
    );
    expect(page.totalItems).toBe(
      names.filter((_, i) => (i + ROUNDS) % 40 !== 0).length,
    );
    const rounds = await replicaA.listProbeRounds(1000);
    expect(rounds.filter(r => r.finishedAt !== undefined)).toHaveLength(
      ROUNDS * 2,
    );
  });
});
