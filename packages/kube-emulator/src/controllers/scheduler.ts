/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { KubeObject } from '../store/store';
import { ControllerContext, DEFS, setCondition, tolerate } from './context';
import { isNodeReady } from './nodes';

// The scheduler's part of the emulated control plane.

function blockingTaints(node: KubeObject, pod: KubeObject): any[] {
  const tolerations: any[] = pod.spec?.tolerations ?? [];
  return (node.spec?.taints ?? []).filter(
    (t: any) =>
      (t.effect === 'NoSchedule' || t.effect === 'NoExecute') &&
      !tolerations.some(
        tol =>
          (tol.operator === 'Exists' && (!tol.key || tol.key === t.key)) ||
          (tol.key === t.key && (tol.value ?? '') === (t.value ?? '')),
      ),
  );
}

function fits(node: KubeObject, pod: KubeObject): boolean {
  const selector: Record<string, string> = pod.spec?.nodeSelector ?? {};
  const labels = node.metadata.labels ?? {};
  return (
    Object.entries(selector).every(([k, v]) => labels[k] === v) &&
    !node.spec?.unschedulable
  );
}

/** The scheduler: binds a pending pod to the least loaded Ready node that fits it. */
export function schedule(ctx: ControllerContext, pod: KubeObject) {
  const nodes = ctx.store.list(DEFS.nodes);
  const load = new Map<string, number>();
  for (const p of ctx.store.list(DEFS.pods)) {
    const n = p.spec?.nodeName;
    if (
      n &&
      !p.metadata.deletionTimestamp &&
      p.status?.phase !== 'Succeeded' &&
      p.status?.phase !== 'Failed'
    ) {
      load.set(n, (load.get(n) ?? 0) + 1);
    }
  }
  const candidates = nodes.filter(
    n =>
      isNodeReady(n) &&
      fits(n, pod) &&
      !blockingTaints(n, pod).length &&
      (load.get(n.metadata.name!) ?? 0) <
        Number(n.status?.allocatable?.pods ?? 110),
  );
  if (!candidates.length) {
    const message = nodes.length
      ? `0/${nodes.length} nodes are available: ${
          nodes.filter(n => !isNodeReady(n)).length
        } node(s) had untolerated taint {node.kubernetes.io/not-ready: }, ${
          nodes.filter(n => isNodeReady(n)).length
        } node(s) didn't match Pod's node affinity/selector or were full. preemption: 0/${
          nodes.length
        } nodes are available: ${
          nodes.length
        } Preemption is not helpful for scheduling.`
      : 'no nodes available to schedule pods';
    const conditions = setCondition(
      pod.status?.conditions,
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message,
      },
      { probeTime: true },
    );
    const written = tolerate(() =>
      ctx.service.controllerWrite(
        DEFS.pods,
        pod,
        { ...pod, status: { ...pod.status, phase: 'Pending', conditions } },
        'kube-scheduler',
        'status',
      ),
    );
    if (written && written !== pod)
      ctx.record(
        pod,
        'Warning',
        'FailedScheduling',
        message,
        'default-scheduler',
      );
    return;
  }
  candidates.sort(
    (a, b) =>
      (load.get(a.metadata.name!) ?? 0) - (load.get(b.metadata.name!) ?? 0) ||
      (a.metadata.name! < b.metadata.name! ? -1 : 1),
  );
  const node = candidates[0];
  const bound = tolerate(() =>
    ctx.service.controllerWrite(
      DEFS.pods,
      pod,
      { ...pod, spec: { ...pod.spec, nodeName: node.metadata.name } },
      'kube-scheduler',
    ),
  );
  if (!bound) return;
  const conditions = setCondition(
    bound.status?.conditions,
    { type: 'PodScheduled', status: 'True' },
    { probeTime: true },
  );
  tolerate(() =>
    ctx.service.controllerWrite(
      DEFS.pods,
      bound,
      { ...bound, status: { ...bound.status, conditions } },
      'kube-scheduler',
      'status',
    ),
  );
  ctx.record(
    bound,
    'Normal',
    'Scheduled',
    `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node.metadata.name}`,
    'default-scheduler',
  );
}
