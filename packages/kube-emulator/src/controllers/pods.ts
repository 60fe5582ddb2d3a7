/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { KubeObject } from '../store/store';
import { nowTimestamp } from '../util';
import {
  ControllerContext,
  DEFS,
  controllerOf,
  setCondition,
  tolerate,
} from './context';
import { isNodeReady } from './nodes';
import { containerBehavior } from './images';
import { schedule } from './scheduler';
import {
  containerStatus,
  startedContainer,
  containerEvents,
} from './containerStatuses';

export type Obj = Record<string, any>;

function podIp(ctx: ControllerContext, node: KubeObject): string {
  const cidr: string = node.spec?.podCIDR ?? '10.244.0.0/24';
  const base = cidr.split('/')[0].split('.').slice(0, 3).join('.');
  const used = new Set(
    ctx.store
      .list(DEFS.pods)
      .filter(p => p.spec?.nodeName === node.metadata.name && p.status?.podIP)
      .map(p => p.status.podIP),
  );
  for (let i = 2; i < 255; i++) {
    const ip = `${base}.${i}`;
    if (!used.has(ip)) return ip;
  }
  return `${base}.254`;
}

function hostIp(node: KubeObject): string {
  return (
    (node.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')
      ?.address ?? '10.0.0.4'
  );
}

function isJobPod(pod: KubeObject) {
  return (
    controllerOf(pod)?.kind === 'Job' ||
    pod.spec?.restartPolicy === 'Never' ||
    pod.spec?.restartPolicy === 'OnFailure'
  );
}

/** The kubelet: runs a bound pod through ContainerCreating, Running/Ready and, for jobs, Succeeded. */
function runPod(ctx: ControllerContext, pod: KubeObject) {
  const node = ctx.store.get(DEFS.nodes, undefined, pod.spec.nodeName);
  const containers: Obj[] = pod.spec?.containers ?? [];
  const phase = pod.status?.phase ?? 'Pending';
  const nodeReady = node ? isNodeReady(node) : false;

  if (phase === 'Pending' && !pod.status?.startTime) {
    if (!node) return;
    // Accepted by the kubelet: containers are being created.
    let conditions = pod.status?.conditions;
    conditions = setCondition(
      conditions,
      { type: 'PodReadyToStartContainers', status: 'False' },
      { probeTime: true },
    );
    conditions = setCondition(
      conditions,
      { type: 'Initialized', status: 'True' },
      { probeTime: true },
    );
    const unready = `containers with unready status: [${containers
      .map(c => c.name)
      .join(' ')}]`;
    for (const type of ['Ready', 'ContainersReady']) {
      conditions = setCondition(
        conditions,
        {
          type,
          status: 'False',
          reason: 'ContainersNotReady',
          message: unready,
        },
        { probeTime: true },
      );
    }
    conditions = setCondition(
      conditions,
      { type: 'PodScheduled', status: 'True' },
      { probeTime: true },
    );
    const ip = hostIp(node);
    const status = {
      ...pod.status,
      phase: 'Pending',
      conditions,
      hostIP: ip,
      hostIPs: [{ ip }],
      startTime: nowTimestamp(),
      qosClass: pod.status?.qosClass ?? 'BestEffort',
      containerStatuses: containers.map(c =>
        containerStatus(
          c,
          { waiting: { reason: 'ContainerCreating' } },
          false,
          false,
        ),
      ),
    };
    const written = tolerate(() =>
      ctx.service.controllerWrite(
        DEFS.pods,
        pod,
        { ...pod, status },
        'kubelet',
        'status',
      ),
    );
    if (written) {
      const uid = written.metadata.uid;
      ctx.later(ctx.options.podReadyDelayMs, () =>
        ctx.enqueue(
          'PodStart',
          written.metadata.namespace,
          `${written.metadata.name}/${uid}`,
        ),
      );
    }
    return;
  }
  if (phase === 'Running') {
    // Readiness follows the node: a NotReady node's pods turn unready, as the node controller
    // does; a pod whose containers are not all ready stays unready whatever its node.
    const ready =
      nodeReady &&
      (pod.status?.containerStatuses ?? []).every((c: Obj) => c.ready);
    const isReady = (pod.status?.conditions ?? []).some(
      (c: any) => c.type === 'Ready' && c.status === 'True',
    );
    if (ready === isReady) return;
    let conditions = pod.status?.conditions;
    conditions = setCondition(
      conditions,
      ready
        ? { type: 'Ready', status: 'True' }
        : { type: 'Ready', status: 'False', reason: 'NodeNotReady' },
      { probeTime: true },
    );
    tolerate(() =>
      ctx.service.controllerWrite(
        DEFS.pods,
        pod,
        { ...pod, status: { ...pod.status, conditions } },
        ready ? 'kubelet' : 'node-controller',
        'status',
      ),
    );
  }
}

/**
 * Starts a ContainerCreating pod's containers (after podReadyDelayMs): Running and Ready, or
 * whatever their images' behaviour says (never ready, image pull errors, crash loops).
 */
export function startPod(
  ctx: ControllerContext,
  namespace: string,
  nameAndUid: string,
) {
  const [name, uid] = nameAndUid.split('/');
  const pod = ctx.store.get(DEFS.pods, namespace, name);
  if (
    !pod ||
    pod.metadata.uid !== uid ||
    pod.metadata.deletionTimestamp ||
    pod.status?.phase !== 'Pending'
  )
    return;
  const node = ctx.store.get(DEFS.nodes, undefined, pod.spec?.nodeName);
  if (!node) return;
  const containers: Obj[] = pod.spec?.containers ?? [];
  const behaviors = containers.map(c => containerBehavior(pod, c));
  const now = nowTimestamp();
  const statuses = containers.map((c, i) =>
    startedContainer(c, behaviors[i], now),
  );
  const unready = statuses.filter(st => !st.ready).map(st => st.name);
  const allReady = unready.length === 0;
  const running = !behaviors.includes('pull-error');
  let conditions = pod.status?.conditions;
  conditions = setCondition(
    conditions,
    { type: 'PodReadyToStartContainers', status: 'True' },
    { probeTime: true },
  );
  conditions = setCondition(
    conditions,
    { type: 'Initialized', status: 'True' },
    { probeTime: true },
  );
  const notReady = {
    status: 'False',
    reason: 'ContainersNotReady',
    message: `containers with unready status: [${unready.join(' ')}]`,
  };
  let ready: {
    type: string;
    status: string;
    reason?: string;
    message?: string;
  };
  if (!allReady) ready = { type: 'Ready', ...notReady };
  else if (!isNodeReady(node))
    ready = { type: 'Ready', status: 'False', reason: 'NodeNotReady' };
  else ready = { type: 'Ready', status: 'True' };
  conditions = setCondition(conditions, ready, { probeTime: true });
  conditions = setCondition(
    conditions,
    allReady
      ? { type: 'ContainersReady', status: 'True' }
      : { type: 'ContainersReady', ...notReady },
    { probeTime: true },
  );
  const ip = podIp(ctx, node);
  const status = {
    ...pod.status,
    phase: running ? 'Running' : 'Pending',
    conditions,
    podIP: ip,
    podIPs: [{ ip }],
    containerStatuses: statuses,
  };
  const written = tolerate(() =>
    ctx.service.controllerWrite(
      DEFS.pods,
      pod,
      { ...pod, status },
      'kubelet',
      'status',
    ),
  );
  if (!written) return;
  containers.forEach((c, i) =>
    containerEvents(ctx, written, c, behaviors[i], node.metadata.name!),
  );
  // A job's pod completes only when all its containers run as they should.
  if (isJobPod(written) && behaviors.every(b => b === 'ready')) {
    ctx.later(ctx.options.jobDurationMs, () =>
      ctx.enqueue('PodComplete', namespace, `${name}/${uid}`),
    );
  }
}

/** A job's pod finishes: containers terminate with exit code 0 and the pod Succeeds. */
export function completePod(
  ctx: ControllerContext,
  namespace: string,
  nameAndUid: string,
) {
  const [name, uid] = nameAndUid.split('/');
  const pod = ctx.store.get(DEFS.pods, namespace, name);
  if (!pod || pod.metadata.uid !== uid || pod.status?.phase !== 'Running')
    return;
  const now = nowTimestamp();
  let conditions = pod.status?.conditions;
  conditions = setCondition(
    conditions,
    { type: 'PodReadyToStartContainers', status: 'False' },
    { probeTime: true },
  );
  conditions = setCondition(
    conditions,
    { type: 'Ready', status: 'False', reason: 'PodCompleted' },
    { probeTime: true },
  );
  conditions = setCondition(
    conditions,
    { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' },
    { probeTime: true },
  );
  const status = {
    ...pod.status,
    phase: 'Succeeded',
    conditions,
    containerStatuses: (pod.status?.containerStatuses ?? []).map((s: Obj) => ({
      ...s,
      ready: false,
      started: false,
      state: {
        terminated: {
          exitCode: 0,
          reason: 'Completed',
          startedAt: s.state?.running?.startedAt ?? now,
          finishedAt: now,
          containerID: s.containerID,
        },
      },
    })),
  };
  tolerate(() =>
    ctx.service.controllerWrite(
      DEFS.pods,
      pod,
      { ...pod, status },
      'kubelet',
      'status',
    ),
  );
}

/** Reconciles one pod: schedule it, run it, or finish its graceful deletion. */
export function reconcilePod(
  ctx: ControllerContext,
  namespace: string,
  name: string,
) {
  const pod = ctx.store.get(DEFS.pods, namespace, name);
  if (!pod) return;
  if (pod.metadata.deletionTimestamp) {
    const uid = pod.metadata.uid;
    ctx.later(ctx.options.podTerminationDelayMs, () => {
      const live = ctx.store.get(DEFS.pods, namespace, name);
      if (!live || live.metadata.uid !== uid) return;
      if ((live.metadata.finalizers ?? []).length) return;
      // The kubelet confirms termination with a zero-grace delete.
      tolerate(() =>
        ctx.service.delete(DEFS.pods, namespace, name, {
          gracePeriodSeconds: 0,
        }),
      );
    });
    return;
  }
  if (!pod.spec?.nodeName) {
    schedule(ctx, pod);
    return;
  }
  runPod(ctx, pod);
}
