/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Knex } from 'knex';
import { TABLE_TASK_RUNS, toNumber } from '../database/tables';

/** The current or last run of an inventory task. */
export interface TaskRun {
  taskId: string;
  runner: string;
  startedAt: number;
  heartbeatAt: number;
  finishedAt?: number;
}

/** What a run looks like from another replica. */
export type TaskRunState = 'idle' | 'running' | 'abandoned';

/**
 * Timings of the inventory's scheduled rounds, all derived from the probe
 * interval so that a replica dying mid-round delays the next one by at most
 * about two intervals: heartbeat every `heartbeatMs`, a run whose heartbeat
 * is older than `abandonedAfterMs` is taken over (checked every
 * `heartbeatMs`), and Backstage's scheduler then starts the next round
 * within its poll (at most 5 s). `probeTimeoutMs` bounds a round that hangs on
 * a live replica (the round stops starting probes when it expires);
 * `staleAfterMs` is when a cluster's last probe is too old to be believed.
 */
export interface TaskTimings {
  heartbeatMs: number;
  abandonedAfterMs: number;
  probeTimeoutMs: number;
  staleAfterMs: number;
}

/** Pure: the timings for a probe interval and per-request timeout (seconds). */
export function taskTimings(health: {
  intervalSeconds: number;
  timeoutSeconds: number;
}): TaskTimings {
  const intervalMs = health.intervalSeconds * 1000;
  const heartbeatMs = Math.min(5_000, Math.max(1_000, intervalMs / 5));
  // A round gets two intervals, and at least the few request timeouts one slow probe needs.
  const probeTimeoutMs = Math.max(
    2 * intervalMs,
    health.timeoutSeconds * 1000 * 8,
    30_000,
  );
  return {
    heartbeatMs,
    abandonedAfterMs: 3 * heartbeatMs,
    probeTimeoutMs,
    // Longer than a round that takes over from a dead replica, so no flicker in between.
    staleAfterMs: Math.max(3 * intervalMs, probeTimeoutMs + intervalMs),
  };
}

/** Pure: how a run looks at `now`. */
export function taskRunState(
  run: TaskRun | undefined,
  now: number,
  abandonedAfterMs: number,
): TaskRunState {
  if (!run || run.finishedAt !== undefined) return 'idle';
  return now - run.heartbeatAt > abandonedAfterMs ? 'abandoned' : 'running';
}

/** Runs and heartbeats of the inventory tasks (table multicluster_task_runs). */
export class TaskRuns {
  constructor(private readonly db: Knex) {}

  async start(taskId: string, runner: string, now = Date.now()) {
    await this.db(TABLE_TASK_RUNS)
      .insert({
        task_id: taskId,
        runner,
        started_at: now,
        heartbeat_at: now,
        finished_at: null,
      })
      .onConflict('task_id')
      .merge();
  }

  /** Returns false when another runner has the row now (this run was taken over). */
  async beat(taskId: string, runner: string, now = Date.now()) {
    const n = await this.db(TABLE_TASK_RUNS)
      .where({ task_id: taskId, runner })
      .whereNull('finished_at')
      .update({ heartbeat_at: now });
    return n > 0;
  }

  async finish(taskId: string, runner: string, now = Date.now()) {
    await this.db(TABLE_TASK_RUNS)
      .where({ task_id: taskId, runner })
      .whereNull('finished_at')
      .update({ finished_at: now, heartbeat_at: now });
  }

  /**
   * Marks an abandoned run finished, only if it is still the one seen (so of
   * several replicas noticing it at once, exactly one takes over).
   */
  async abandon(run: TaskRun, now = Date.now()): Promise<boolean> {
    const n = await this.db(TABLE_TASK_RUNS)
      .where({
        task_id: run.taskId,
        runner: run.runner,
        heartbeat_at: run.heartbeatAt,
      })
      .whereNull('finished_at')
      .update({ finished_at: now });
    return n > 0;
  }

  async get(taskId: string): Promise<TaskRun | undefined> {
    const row = await this.db(TABLE_TASK_RUNS)
      .where({ task_id: taskId })
      .first();
    if (!row) return undefined;
    return {
      taskId: row.task_id,
      runner: row.runner,
      startedAt: toNumber(row.started_at),
      heartbeatAt: toNumber(row.heartbeat_at),
      ...(row.finished_at === null || row.finished_at === undefined
        ? {}
        : { finishedAt: toNumber(row.finished_at) }),
    };
  }
}
