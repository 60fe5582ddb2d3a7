/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { WorkloadsSettings } from './config';
import type { WorkloadEngine } from './engine/WorkloadEngine';

/** The reconcile task (global scope: one replica runs each round). */
export const WORKLOADS_TASK_ID = 'multicluster-workloads';

/**
 * Schedules the reconcile rounds. The first waits a few seconds (discovery
 * and probing come first after a start); changes and health transitions
 * trigger a round at once, and a round in progress picks them up itself.
 */
export async function scheduleWorkloadsTask(options: {
  scheduler: SchedulerService;
  engine: WorkloadEngine;
  settings: WorkloadsSettings;
  logger: LoggerService;
}): Promise<void> {
  const { settings, engine, logger } = options;
  await options.scheduler.scheduleTask({
    id: WORKLOADS_TASK_ID,
    scope: 'global',
    frequency: { seconds: settings.intervalSeconds },
    // A round loops for at most intervalSeconds, plus one last pass bounded per cluster.
    timeout: {
      seconds: Math.ceil(
        settings.intervalSeconds * 2 + settings.clusterTimeoutSeconds * 4 + 60,
      ),
    },
    initialDelay: { seconds: 3 },
    fn: async signal => {
      const report = await engine.runRound(signal);
      if (report.workloads > 0)
        logger.debug(
          `Workloads round ${report.round}: ${report.workloads} workload passes in ${report.passes} pass(es), ${report.durationMs} ms`,
        );
    },
  });
}
