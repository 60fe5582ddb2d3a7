/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { DeployResult } from './input';
import type { ReplicaPlan } from './deploymentPlanner';

/** How many results have each status: the task's `summary` output. */
export function summarise(results: DeployResult[]) {
  const count = (status: DeployResult['status']) =>
    results.filter(r => r.status === status).length;
  return {
    ready: count('ready'),
    applied: count('applied'),
    failed: count('failed'),
    skipped: count('skipped'),
    excluded: count('excluded'),
    rolledBack: count('rolled-back'),
  };
}

/** `name=replicas, …`, or `-` when there is none. */
export function formatReplicas(replicas: Record<string, number>): string {
  const entries = Object.entries(replicas);
  return entries.length ? entries.map(([k, n]) => `${k}=${n}`).join(', ') : '-';
}

/** One line per cluster, for logs and the error of a failed task. @internal */
export function formatReport(results: DeployResult[]): string {
  const width = Math.max(7, ...results.map(r => r.cluster.length));
  return results
    .map(
      r =>
        `${r.cluster.padEnd(width)}  ${r.status.padEnd(11)}  ${formatReplicas(
          r.replicas,
        )}  ${r.message}`,
    )
    .join('\n');
}

/**
 * `multicluster:deploy`: resolve the placement through the multicluster API,
 * check which clusters answer, plan replicas, then roll out cluster by
 * cluster (server-side apply, readiness, bounded concurrency, maxFailures,
 * rollback), checkpointing each step so a resumed task skips finished work.
 * @internal

/** Warns of the replicas a cluster's capacity kept out. */
export function logOverflow(
  logger: { warn(message: string): void },
  overflow: ReplicaPlan,
) {
  for (const [cluster, byWorkload] of Object.entries(overflow)) {
    logger.warn(
      `${cluster}: capacity kept out ${formatReplicas(
        byWorkload,
      )} (overflow; placed elsewhere where possible)`,
    );
  }
}
