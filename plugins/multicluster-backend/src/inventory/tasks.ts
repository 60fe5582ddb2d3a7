/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
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

/** Scheduler task ids (global scope: one replica runs each round). */
export const DISCOVERY_TASK_ID = 'multicluster-discovery';
export const PROBE_TASK_ID = 'multicluster-probe';

/**
 * Schedules discovery and probing as global scheduler tasks: with several
 * replicas on PostgreSQL exactly one runs each round, and every replica
 * serves REST from the database. Discovery triggers a probe round when it
 * finds new clusters.
 */
export async function scheduleInventoryTasks(options: {
  scheduler: SchedulerService;
  config: MulticlusterConfig;
  discovery: InventoryDiscovery;
  probes: ProbeRecorder;
  registry: ConnectionRegistry;
  http: KubeHttpClient;
  logger: LoggerService;
  /** Triggers a task now, ignoring "already running" and "not scheduled yet". */
  trigger: (id: string) => Promise<void>;
}): Promise<void> {
  const { scheduler, config: cfg, discovery, probes, registry, http } = options;
  const runner = `${os.hostname()}-${process.pid}-${randomBytes(3).toString(
    'hex',
  )}`;
  const discoveryIntervalMs = cfg.discovery.intervalSeconds * 1000;

  const runProbeRound = async () => {
    await discovery.ensureConnections(discoveryIntervalMs * 2);
    const round = await probes.startProbeRound(runner);
    const targets = await probes.listProbeTargets();
    const outcomes = await probeClusters(
      { http, logger: options.logger },
      targets,
      t => registry.get(t.urlKey),
      {
        timeoutMs: cfg.health.timeoutSeconds * 1000,
        concurrency: cfg.health.concurrency,
        nonCriticalChecks: cfg.health.nonCriticalChecks,
        refreshVersion: versionEvery(round, 10),
      },
    );
    await probes.recordProbeRound(round, outcomes, {
      flapThreshold: cfg.health.flapThreshold,
      historyLimit: cfg.health.historyLimit,
      historyMaxAgeMs: cfg.health.historyMaxAgeHours * 3600_000,
    });
    const live = new Set(targets.map(t => t.id));
    for (const key of http.keys()) if (!live.has(key)) http.forget(key);
  };

  await scheduler.scheduleTask({
    id: DISCOVERY_TASK_ID,
    scope: 'global',
    frequency: { seconds: cfg.discovery.intervalSeconds },
    timeout: { seconds: Math.max(cfg.discovery.timeoutSeconds * 2, 60) },
    initialDelay: { seconds: 0 },
    fn: async () => {
      const outcome = await discovery.run();
      // New clusters should not wait a whole interval for their first health.
      if (outcome.added.length > 0) await options.trigger(PROBE_TASK_ID);
    },
  });
  await scheduler.scheduleTask({
    id: PROBE_TASK_ID,
    scope: 'global',
    frequency: { seconds: cfg.health.intervalSeconds },
    timeout: { seconds: Math.max(cfg.health.intervalSeconds * 10, 600) },
    initialDelay: { seconds: 5 },
    fn: runProbeRound,
  });
}
