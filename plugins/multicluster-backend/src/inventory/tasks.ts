/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { InventoryRoundRequest } from '@archipelago/multicluster-common';
import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { MulticlusterConfig } from '../config';
import type { KubeHttpClient } from '../prober/kubeHttp';
import { probeClusters, versionEvery } from '../prober/Prober';
import type { ConnectionRegistry } from './ConnectionRegistry';
import type { InventoryDiscovery } from './Discovery';
import type { ProbeRecorder } from './ProbeRecorder';
import {
  type TaskRun,
  type TaskRuns,
  type TaskTimings,
  taskRunState,
  taskTimings,
} from './taskRuns';

/** Scheduler task ids (global scope: one replica runs each round). */
export const DISCOVERY_TASK_ID = 'multicluster-discovery';
export const PROBE_TASK_ID = 'multicluster-probe';
/** Local on every replica: takes over rounds whose replica stopped sending heartbeats. */
export const WATCHDOG_TASK_ID = 'multicluster-inventory-watchdog';

/** What asking for a round did (see the REST contract's RoundRequest). */
export type RoundRequest = InventoryRoundRequest;

/** The handle plugin.ts and REST use. */
export interface InventoryTasks {
  timings: TaskTimings;
  /** Asks for a round now; takes over a round whose replica died. */
  requestRound(taskId: string): Promise<RoundRequest>;
}

const errorName = (e: unknown) => (e as Error)?.name;

/**
 * Schedules discovery and probing as global scheduler tasks: with several
 * replicas on PostgreSQL exactly one runs each round, and every replica
 * serves REST from the database. Discovery triggers a probe round when it
 * finds new clusters. Each round reports a heartbeat; a local watchdog on
 * every replica cancels a round whose heartbeat stopped (its replica died),
 * so the next round starts within about two intervals instead of after the
 * scheduler's timeout.
 */
export async function scheduleInventoryTasks(options: {
  scheduler: SchedulerService;
  config: MulticlusterConfig;
  discovery: InventoryDiscovery;
  probes: ProbeRecorder;
  runs: TaskRuns;
  registry: ConnectionRegistry;
  http: KubeHttpClient;
  logger: LoggerService;
}): Promise<InventoryTasks> {
  const {
    scheduler,
    config: cfg,
    discovery,
    probes,
    registry,
    http,
    runs,
  } = options;
  const logger = options.logger;
  const runner = `${os.hostname()}-${process.pid}-${randomBytes(3).toString(
    'hex',
  )}`;
  const timings = taskTimings(cfg.health);
  const discoveryIntervalMs = cfg.discovery.intervalSeconds * 1000;

  /** Runs `fn` with a heartbeat row; aborts it when another replica took the run over. */
  const withHeartbeat =
    (taskId: string, fn: (signal: AbortSignal) => Promise<void>) =>
    async (schedulerSignal?: AbortSignal) => {
      const controller = new AbortController();
      const abort = () => controller.abort();
      schedulerSignal?.addEventListener('abort', abort);
      await runs.start(taskId, runner);
      const timer = setInterval(() => {
        runs.beat(taskId, runner).then(
          alive => {
            if (!alive) abort();
          },
          error => logger.warn(`Heartbeat of ${taskId} failed: ${error}`),
        );
      }, timings.heartbeatMs);
      try {
        await fn(controller.signal);
      } finally {
        clearInterval(timer);
        schedulerSignal?.removeEventListener('abort', abort);
        await runs.finish(taskId, runner);
      }
    };

  const runProbeRound = async (signal: AbortSignal) => {
    await discovery.ensureConnections(discoveryIntervalMs * 2);
    const round = await probes.startProbeRound(runner);
    const targets = await probes.listProbeTargets();
    const outcomes = await probeClusters(
      { http, logger },
      targets,
      t => registry.get(t.urlKey),
      {
        timeoutMs: cfg.health.timeoutSeconds * 1000,
        concurrency: cfg.health.concurrency,
        maxConcurrency: cfg.health.maxConcurrency,
        nonCriticalChecks: cfg.health.nonCriticalChecks,
        refreshVersion: versionEvery(round, 10),
        signal,
      },
    );
    if (outcomes.length < targets.length) {
      logger.warn(
        `Probe round ${round} ended early after ${outcomes.length} of ${targets.length} clusters; the rest go first next round`,
      );
    }
    await probes.recordProbeRound(round, outcomes, {
      flapThreshold: cfg.health.flapThreshold,
      historyLimit: cfg.health.historyLimit,
      historyMaxAgeMs: cfg.health.historyMaxAgeHours * 3600_000,
    });
    const live = new Set(targets.map(t => t.id));
    for (const key of http.keys()) if (!live.has(key)) http.forget(key);
  };

  /** Cancels a run whose replica stopped sending heartbeats; true when this replica did. */
  const takeOver = async (taskId: string, run: TaskRun): Promise<boolean> => {
    if (!(await runs.abandon(run))) return false; // another replica was first
    try {
      await scheduler.cancelTask(taskId);
    } catch (error) {
      // Not running any more (the scheduler's own timeout got there first).
      if (errorName(error) !== 'ConflictError') throw error;
    }
    logger.warn(
      `Round ${taskId} of ${run.runner} sent no heartbeat since ${new Date(
        run.heartbeatAt,
      ).toISOString()}; cancelled it so another replica runs the next round now`,
    );
    return true;
  };

  const requestRound = async (taskId: string): Promise<RoundRequest> => {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await scheduler.triggerTask(taskId);
        return 'scheduled';
      } catch (error) {
        if (errorName(error) === 'NotFoundError') return 'unavailable';
        if (errorName(error) !== 'ConflictError') throw error;
      }
      // The scheduler says it is running: believe it only while the heartbeat is fresh.
      const run = await runs.get(taskId);
      if (
        taskRunState(run, Date.now(), timings.abandonedAfterMs) !==
          'abandoned' ||
        !run
      ) {
        return 'running';
      }
      await takeOver(taskId, run);
    }
    return 'running';
  };

  await scheduler.scheduleTask({
    id: DISCOVERY_TASK_ID,
    scope: 'global',
    frequency: { seconds: cfg.discovery.intervalSeconds },
    timeout: { seconds: Math.max(cfg.discovery.timeoutSeconds * 2, 60) },
    initialDelay: { seconds: 0 },
    fn: withHeartbeat(DISCOVERY_TASK_ID, async () => {
      const outcome = await discovery.run();
      // New clusters should not wait a whole interval for their first health.
      if (outcome.added.length > 0) await requestRound(PROBE_TASK_ID);
    }),
  });
  await scheduler.scheduleTask({
    id: PROBE_TASK_ID,
    scope: 'global',
    frequency: { seconds: cfg.health.intervalSeconds },
    timeout: { milliseconds: timings.probeTimeoutMs },
    initialDelay: { seconds: 5 },
    fn: withHeartbeat(PROBE_TASK_ID, runProbeRound),
  });
  await scheduler.scheduleTask({
    id: WATCHDOG_TASK_ID,
    scope: 'local',
    frequency: { milliseconds: timings.heartbeatMs },
    timeout: { milliseconds: Math.max(timings.heartbeatMs * 5, 30_000) },
    initialDelay: { milliseconds: timings.heartbeatMs },
    fn: async () => {
      for (const taskId of [PROBE_TASK_ID, DISCOVERY_TASK_ID]) {
        const run = await runs.get(taskId);
        if (
          run &&
          taskRunState(run, Date.now(), timings.abandonedAfterMs) ===
            'abandoned' &&
          (await takeOver(taskId, run))
        ) {
          await requestRound(taskId);
        }
      }
    },
  });
  return { timings, requestRound };
}
