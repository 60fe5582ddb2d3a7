/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApplyProgress } from './clusterOps';
import { KubeApiError, type KubeClient } from './KubeClient';
import { describeManifest, hasReadiness, type Manifest } from './manifests';
import { workloadReadiness } from './readiness';

/** Outcome of waiting for workloads. @public */
export type WaitOutcome =
  | { ready: true }
  | { ready: false; reason: string; failed: boolean; aborted?: boolean };

/**
 * Polls each applied Deployment, StatefulSet, DaemonSet and Job until it is
 * rolled out and ready (a Job: complete), a rollout failed for good
 * (progress deadline, a failed Job), the deadline passes
 * or `signal` aborts. Polling backs off from 250 ms to 1 s: one GET per
 * workload per second is light for an API server, and a rollout is seen
 * done within a second.
 * @public
 */
export async function waitForWorkloads(
  client: KubeClient,
  manifests: Manifest[],
  options: {
    namespace: string;
    progress: ApplyProgress;
    deadline: number;
    signal?: AbortSignal;
    onWaiting?: (reasons: string[]) => void;
    requestTimeoutMs: number;
  },
): Promise<WaitOutcome> {
  const pending = new Map<number, string>();
  manifests.forEach((m, i) => {
    const path = options.progress.paths.get(i);
    if (hasReadiness(m) && path) pending.set(i, path);
  });
  let delay = 250;
  let lastReasons: string[] = [];
  for (;;) {
    if (options.signal?.aborted) {
      return {
        ready: false,
        failed: false,
        aborted: true,
        reason: 'readiness not awaited: the rollout stopped',
      };
    }
    const reasons: string[] = [];
    for (const [i, path] of [...pending]) {
      const remaining = options.deadline - Date.now();
      if (remaining <= 0) break;
      let live: Record<string, any> | undefined;
      try {
        live = await client.get(path, {
          timeoutMs: Math.min(options.requestTimeoutMs, Math.max(remaining, 1)),
          signal: options.signal,
        });
      } catch (error) {
        if (error instanceof KubeApiError && error.transport === 'aborted')
          continue;
        // A transient read failure is retried until the deadline; the last one is reported.
        reasons.push(
          `${describeManifest(manifests[i], options.namespace)}: ${
            (error as Error).message
          }`,
        );
        continue;
      }
      const state = workloadReadiness(
        live,
        options.progress.generations.get(i),
      );
      if (state.ready) {
        pending.delete(i);
      } else if (state.failed) {
        return {
          ready: false,
          failed: true,
          reason: `${describeManifest(manifests[i], options.namespace)}: ${
            state.reason
          }`,
        };
      } else {
        reasons.push(
          `${describeManifest(manifests[i], options.namespace)}: ${
            state.reason
          }`,
        );
      }
    }
    if (pending.size === 0) return { ready: true };
    if (reasons.length) lastReasons = reasons;
    if (Date.now() >= options.deadline) {
      return {
        ready: false,
        failed: true,
        reason: `not ready in time: ${
          lastReasons.join('; ') || 'no status yet'
        }`,
      };
    }
    options.onWaiting?.(lastReasons);
    // An abort ends the pause early; the loop then reports it.
    await sleep(
      Math.min(delay, Math.max(options.deadline - Date.now(), 0)),
      undefined,
      { signal: options.signal },
    ).catch(() => undefined);
    delay = Math.min(Math.round(delay * 1.5), 1000);
  }
}
