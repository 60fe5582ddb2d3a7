/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { nowTimestamp } from '../util';
import {
  ControllerContext,
  DEFS,
  isPodActive,
  isPodReady,
  setCondition,
} from './context';
import { BURST, podsOf, writeStatus, createPod } from './podOwners';
import type { Obj } from './podOwners';

export function reconcileJob(
  ctx: ControllerContext,
  namespace: string,
  name: string,
) {
  const job = ctx.store.get(DEFS.jobs, namespace, name);
  if (!job || job.metadata.deletionTimestamp) return;
  const spec = job.spec ?? {};
  const completions: number = spec.completions ?? 1;
  const parallelism: number = spec.parallelism ?? 1;
  const pods = podsOf(ctx, job);
  const succeeded = pods.filter(p => p.status?.phase === 'Succeeded').length;
  const failed = pods.filter(p => p.status?.phase === 'Failed').length;
  const active = pods.filter(isPodActive);
  const conditions: any[] = job.status?.conditions ?? [];
  const finished = conditions.some(
    c => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );

  if (!finished && !spec.suspend) {
    const want = Math.min(parallelism, completions - succeeded) - active.length;
    for (let i = 0; i < Math.min(want, BURST); i++) {
      const pod = createPod(ctx, job, DEFS.jobs, spec.template, {
        generateName: `${job.metadata.name}-`,
      });
      if (pod)
        ctx.record(
          job,
          'Normal',
          'SuccessfulCreate',
          `Created pod: ${pod.metadata.name}`,
          'job-controller',
        );
    }
  }
  const live = ctx.store.get(DEFS.jobs, namespace, name);
  if (!live) return;
  const nowActive = podsOf(ctx, live).filter(isPodActive);
  const status: Obj = {
    ...(live.status ?? {}),
    startTime: live.status?.startTime ?? nowTimestamp(),
    active: nowActive.length,
    ready: nowActive.filter(isPodReady).length,
    succeeded,
    failed,
    terminating: 0,
    uncountedTerminatedPods: {},
  };
  for (const k of ['active', 'succeeded', 'failed'])
    if (!status[k]) delete status[k];
  if (!finished && succeeded >= completions) {
    let c = setCondition(
      live.status?.conditions,
      {
        type: 'SuccessCriteriaMet',
        status: 'True',
        reason: 'CompletionsReached',
        message: 'Reached expected number of succeeded pods',
      },
      { probeTime: true },
    );
    c = setCondition(
      c,
      {
        type: 'Complete',
        status: 'True',
        reason: 'CompletionsReached',
        message: 'Reached expected number of succeeded pods',
      },
      { probeTime: true },
    );
    status.conditions = c.map(x => ({ ...x, lastProbeTime: nowTimestamp() }));
    status.completionTime = nowTimestamp();
    ctx.record(live, 'Normal', 'Completed', 'Job completed', 'job-controller');
  }
  writeStatus(ctx, DEFS.jobs, live, status);
}
