/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/** What deploying one cluster did. JSON, so it can be a task checkpoint. @internal */
export interface DeployOutcome {
  status: 'ready' | 'applied' | 'failed';
  message: string;
  /** Whether anything was written to the cluster (so a rollback has work to do). */
  touched: boolean;
}

/** The final word on one cluster. @internal */
export interface ClusterReport {
  status: 'ready' | 'applied' | 'failed' | 'skipped' | 'rolled-back';
  message: string;
}

/** @internal */
export interface RolloutOptions {
  maxConcurrent: number;
  maxFailures: number;
  onFailure: 'rollback' | 'keep';
  /** Task cancellation: stops like a failure past maxFailures. */
  signal?: AbortSignal;
}

/** @internal */
export interface RolloutSteps<C, O extends DeployOutcome = DeployOutcome> {
  /**
   * Deploys one cluster. Cluster problems are outcomes, not exceptions; an
   * exception counts as a failure that may have touched the cluster. `signal`
   * aborts the readiness wait when the rollout stops.
   */
  deploy(cluster: C, signal: AbortSignal): Promise<O>;
  /** Rolls one touched cluster back; resolves to the problems left (empty: restored). */
  rollback(cluster: C, outcome: O): Promise<string[]>;
  /** Called as each cluster settles, for progress logs. */
  onSettled?(cluster: C, report: ClusterReport): void;
}

/** @internal */
export interface RolloutReport {
  /** By cluster name, in the order of the input. */
  reports: Map<string, ClusterReport>;
  failures: number;
  /** True when failures went past maxFailures. */
  stopped: boolean;
  cancelled: boolean;
  rolledBack: boolean;
}

/**
 * The progressive rollout: at most `maxConcurrent` clusters at a time, in
 * order. Each failed cluster counts; once failures exceed `maxFailures` no new
 * cluster starts, readiness waits in flight are cut short (with rollback), and
 * with `onFailure: rollback` every touched cluster — succeeded, failed or
 * still in flight — is rolled back. Failures within maxFailures are tolerated
 * and reported, and left as they are.
 * @internal
 */
export async function runRollout<
  C extends { name: string },
  O extends DeployOutcome,
>(
  clusters: C[],
  options: RolloutOptions,
  steps: RolloutSteps<C, O>,
): Promise<RolloutReport> {
  const outcomes = new Map<string, O>();
  const inFlight = new Map<string, AbortController>();
  let failures = 0;
  let stopped = false;
  let cancelled = false;
  let next = 0;

  const stop = () => {
    if (options.onFailure === 'rollback')
      for (const controller of inFlight.values()) controller.abort();
  };
  const onCancel = () => {
    cancelled = true;
    stop();
  };
  if (options.signal?.aborted) cancelled = true;
  options.signal?.addEventListener('abort', onCancel, { once: true });

  const worker = async () => {
    while (next < clusters.length && !stopped && !cancelled) {
      const cluster = clusters[next++];
      const controller = new AbortController();
      inFlight.set(cluster.name, controller);
      let outcome: O;
      try {
        outcome = await steps.deploy(cluster, controller.signal);
      } catch (error) {
        outcome = {
          status: 'failed',
          message: (error as Error)?.message ?? String(error),
          touched: true,
        } as O;
      } finally {
        inFlight.delete(cluster.name);
      }
      outcomes.set(cluster.name, outcome);
      steps.onSettled?.(cluster, {
        status: outcome.status,
        message: outcome.message,
      });
      if (outcome.status === 'failed') {
        failures += 1;
        if (failures > options.maxFailures && !stopped) {
          stopped = true;
          stop();
        }
      }
    }
  };
  try {
    await Promise.all(
      Array.from(
        {
          length: Math.max(1, Math.min(options.maxConcurrent, clusters.length)),
        },
        worker,
      ),
    );
  } finally {
    options.signal?.removeEventListener('abort', onCancel);
  }

  const reports = new Map<string, ClusterReport>();
  const why = cancelled
    ? 'not started: the task was cancelled'
    : `not started: the rollout stopped after ${failures} failed cluster${
        failures === 1 ? '' : 's'
      } (maxFailures ${options.maxFailures})`;
  for (const cluster of clusters) {
    const outcome = outcomes.get(cluster.name);
    reports.set(
      cluster.name,
      outcome
        ? { status: outcome.status, message: outcome.message }
        : { status: 'skipped', message: why },
    );
  }

  const rollBack = (stopped || cancelled) && options.onFailure === 'rollback';
  if (rollBack) {
    const touched = clusters.filter(c => outcomes.get(c.name)?.touched);
    let i = 0;
    const rollbackWorker = async () => {
      while (i < touched.length) {
        const cluster = touched[i++];
        const outcome = outcomes.get(cluster.name)!;
        let problems: string[];
        try {
          problems = await steps.rollback(cluster, outcome);
        } catch (error) {
          problems = [(error as Error)?.message ?? String(error)];
        }
        const report: ClusterReport = problems.length
          ? {
              status: 'failed',
              message: `${
                outcome.message
              }; rollback incomplete: ${problems.join('; ')}`,
            }
          : {
              status: 'rolled-back',
              message: `${outcome.message}; rolled back to the previous state`,
            };
        reports.set(cluster.name, report);
        steps.onSettled?.(cluster, report);
      }
    };
    await Promise.all(
      Array.from(
        {
          length: Math.max(1, Math.min(options.maxConcurrent, touched.length)),
        },
        rollbackWorker,
      ),
    );
  }
  return { reports, failures, stopped, cancelled, rolledBack: rollBack };
}
