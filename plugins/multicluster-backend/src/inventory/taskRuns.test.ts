/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TEST_DATABASE_IDS } from '@archipelago/multicluster-node-test-utils';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { migrateDatabase } from '../database/migrations';
import { TaskRuns, taskRunState, taskTimings } from './taskRuns';

jest.setTimeout(60_000);

describe('taskTimings', () => {
  it.each([
    // interval, timeout -> heartbeat, abandoned after, probe timeout, stale after
    [2, 2, 1_000, 3_000, 30_000, 32_000],
    [10, 2, 2_000, 6_000, 30_000, 40_000],
    [15, 5, 3_000, 9_000, 40_000, 55_000],
    [60, 5, 5_000, 15_000, 120_000, 180_000],
    [600, 5, 5_000, 15_000, 1_200_000, 1_800_000],
  ])(
    'interval %ss, request timeout %ss',
    (intervalSeconds, timeoutSeconds, hb, abandoned, probe, stale) => {
      const t = taskTimings({ intervalSeconds, timeoutSeconds });
      expect(t).toEqual({
        heartbeatMs: hb,
        abandonedAfterMs: abandoned,
        probeTimeoutMs: probe,
        staleAfterMs: stale,
      });
    },
  );

  it.each([10, 15, 30, 60, 600, 3600])(
    'takes over a dead round within two intervals of %ss',
    intervalSeconds => {
      const t = taskTimings({ intervalSeconds, timeoutSeconds: 5 });
      // Heartbeat age until abandoned, one watchdog period, the scheduler's 5 s poll.
      expect(t.abandonedAfterMs + t.heartbeatMs + 5_000).toBeLessThanOrEqual(
        2 * intervalSeconds * 1000,
      );
    },
  );
});

describe('taskRunState', () => {
  const run = { taskId: 't', runner: 'r', startedAt: 0, heartbeatAt: 1_000 };
  it.each([
    [undefined, 5_000, 'idle'],
    [{ ...run, finishedAt: 2_000 }, 99_999, 'idle'],
    [run, 4_000, 'running'],
    [run, 4_001, 'abandoned'],
  ] as const)('%j at %d is %s', (r, now, state) => {
    expect(taskRunState(r, now, 3_000)).toBe(state);
  });
});

const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

describe.each(databases.eachSupportedId())('TaskRuns on %s', id => {
  let knex: Knex;
  beforeAll(async () => {
    knex = await databases.init(id);
    await migrateDatabase(knex);
  });
  afterAll(async () => {
    await knex.destroy();
  });

  it('tracks a run, lets exactly one replica take over a dead one, and stops the old runner', async () => {
    const runs = new TaskRuns(knex);
    await runs.start('probe', 'a', 1_000);
    expect(await runs.beat('probe', 'a', 2_000)).toBe(true);
    const seen = (await runs.get('probe'))!;
    expect(seen).toEqual({
      taskId: 'probe',
      runner: 'a',
      startedAt: 1_000,
      heartbeatAt: 2_000,
    });
    // Two replicas notice the dead run at once: one wins.
    const [x, y] = await Promise.all([
      runs.abandon(seen, 9_000),
      runs.abandon(seen, 9_000),
    ]);
    expect([x, y].sort()).toEqual([false, true]);
    expect((await runs.get('probe'))?.finishedAt).toBe(9_000);
    // The old runner, if it still lives, learns it lost the run.
    expect(await runs.beat('probe', 'a', 9_500)).toBe(false);

    await runs.start('probe', 'b', 10_000);
    await runs.finish('probe', 'b', 11_000);
    expect(await runs.get('probe')).toEqual({
      taskId: 'probe',
      runner: 'b',
      startedAt: 10_000,
      heartbeatAt: 11_000,
      finishedAt: 11_000,
    });
  });
});
