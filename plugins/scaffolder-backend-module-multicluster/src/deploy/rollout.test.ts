/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { type DeployOutcome, runRollout, type RolloutOptions } from './rollout';

type Behaviour = {
  status: DeployOutcome['status'];
  ms: number;
  touched?: boolean;
  throws?: boolean;
};

/** Fake clusters: each deploys after `ms` with the given outcome; records concurrency and calls. */
function harness(
  behaviours: Record<string, Behaviour>,
  rollbackProblems: Record<string, string[]> = {},
) {
  const started: string[] = [];
  const rolledBack: string[] = [];
  const aborted: string[] = [];
  let running = 0;
  let peak = 0;
  const steps = {
    deploy: async (
      cluster: { name: string },
      signal: AbortSignal,
    ): Promise<DeployOutcome> => {
      const b = behaviours[cluster.name];
      started.push(cluster.name);
      running++;
      peak = Math.max(peak, running);
      try {
        const wasAborted = await new Promise<boolean>(resolve => {
          const timer = setTimeout(() => resolve(false), b.ms);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve(true);
          });
        });
        if (wasAborted) {
          aborted.push(cluster.name);
          return {
            status: 'applied',
            message: 'readiness not awaited',
            touched: true,
          };
        }
        if (b.throws) throw new Error(`boom on ${cluster.name}`);
        return {
          status: b.status,
          message: `${b.status} ${cluster.name}`,
          touched: b.touched ?? true,
        };
      } finally {
        running--;
      }
    },
    rollback: async (cluster: { name: string }) => {
      rolledBack.push(cluster.name);
      return rollbackProblems[cluster.name] ?? [];
    },
  };
  return { steps, started, rolledBack, aborted, peak: () => peak };
}

const names = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ name: `c${i + 1}` }));
const options = (o: Partial<RolloutOptions> = {}): RolloutOptions => ({
  maxConcurrent: 2,
  maxFailures: 0,
  onFailure: 'rollback',
  ...o,
});

describe('runRollout', () => {
  it('deploys every cluster with at most maxConcurrent at once', async () => {
    const h = harness(
      Object.fromEntries(
        names(7).map(c => [c.name, { status: 'ready', ms: 20 } as Behaviour]),
      ),
    );
    const report = await runRollout(
      names(7),
      options({ maxConcurrent: 3 }),
      h.steps,
    );
    expect(h.peak()).toBe(3);
    expect(h.started).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']);
    expect([...report.reports.values()].every(r => r.status === 'ready')).toBe(
      true,
    );
    expect(report).toMatchObject({
      failures: 0,
      stopped: false,
      cancelled: false,
      rolledBack: false,
    });
    expect(h.rolledBack).toEqual([]);
  });

  it('tolerates failures up to maxFailures and leaves them as they are', async () => {
    const h = harness({
      c1: { status: 'failed', ms: 5 },
      c2: { status: 'ready', ms: 5 },
      c3: { status: 'ready', ms: 5 },
    });
    const report = await runRollout(
      names(3),
      options({ maxConcurrent: 1, maxFailures: 1 }),
      h.steps,
    );
    expect(report).toMatchObject({
      failures: 1,
      stopped: false,
      rolledBack: false,
    });
    expect(report.reports.get('c1')).toEqual({
      status: 'failed',
      message: 'failed c1',
    });
    expect(h.rolledBack).toEqual([]);
  });

  it('past maxFailures stops starting clusters, cuts waits short and rolls every touched cluster back', async () => {
    const h = harness({
      c1: { status: 'ready', ms: 5 },
      c2: { status: 'failed', ms: 30 },
      c3: { status: 'failed', ms: 40 },
      c4: { status: 'ready', ms: 5_000 },
      c5: { status: 'ready', ms: 5_000 },
      c6: { status: 'failed', ms: 5, touched: false },
    });
    const report = await runRollout(
      names(6),
      options({ maxConcurrent: 3, maxFailures: 1 }),
      h.steps,
    );
    // c1 done (c4 starts), c2 fails (1, tolerated; c5 starts), c3 fails (2 > 1): stop while c4 and c5 wait.
    expect(h.started).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(h.aborted.sort()).toEqual(['c4', 'c5']);
    expect(report).toMatchObject({
      failures: 2,
      stopped: true,
      rolledBack: true,
    });
    expect(h.rolledBack.sort()).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(report.reports.get('c2')).toEqual({
      status: 'rolled-back',
      message: 'failed c2; rolled back to the previous state',
    });
    expect(report.reports.get('c1')?.status).toBe('rolled-back');
    expect(report.reports.get('c6')).toEqual({
      status: 'skipped',
      message:
        'not started: the rollout stopped after 2 failed clusters (maxFailures 1)',
    });
  });

  it('with onFailure keep stops but keeps what was applied and lets waits finish', async () => {
    const h = harness({
      c1: { status: 'failed', ms: 5 },
      c2: { status: 'ready', ms: 40 },
      c3: { status: 'ready', ms: 5 },
    });
    const report = await runRollout(
      names(3),
      options({ maxConcurrent: 2, onFailure: 'keep' }),
      h.steps,
    );
    expect(report).toMatchObject({
      failures: 1,
      stopped: true,
      rolledBack: false,
    });
    expect(h.aborted).toEqual([]);
    expect(report.reports.get('c2')?.status).toBe('ready');
    expect(report.reports.get('c3')?.status).toBe('skipped');
    expect(h.rolledBack).toEqual([]);
  });

  it('reports an incomplete rollback as failed, and an exception as a failure', async () => {
    const h = harness(
      {
        c1: { status: 'ready', ms: 5 },
        c2: { status: 'ready', ms: 10, throws: true },
      },
      { c1: ['Secret shop/tls: conflict'] },
    );
    const report = await runRollout(
      names(2),
      options({ maxConcurrent: 1 }),
      h.steps,
    );
    expect(report.reports.get('c2')).toEqual({
      status: 'rolled-back',
      message: 'boom on c2; rolled back to the previous state',
    });
    expect(report.reports.get('c1')).toEqual({
      status: 'failed',
      message: 'ready c1; rollback incomplete: Secret shop/tls: conflict',
    });
  });

  it('stops and rolls back on cancellation', async () => {
    const controller = new AbortController();
    const h = harness({
      c1: { status: 'ready', ms: 5_000 },
      c2: { status: 'ready', ms: 5_000 },
      c3: { status: 'ready', ms: 5 },
    });
    setTimeout(() => controller.abort(), 50);
    const report = await runRollout(
      names(3),
      options({ maxConcurrent: 2, signal: controller.signal }),
      h.steps,
    );
    expect(report).toMatchObject({
      cancelled: true,
      rolledBack: true,
      failures: 0,
    });
    expect(h.aborted.sort()).toEqual(['c1', 'c2']);
    expect(report.reports.get('c3')).toEqual({
      status: 'skipped',
      message: 'not started: the task was cancelled',
    });
    expect(h.rolledBack.sort()).toEqual(['c1', 'c2']);
  });
});
