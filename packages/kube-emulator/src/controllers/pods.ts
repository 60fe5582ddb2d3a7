/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { createHash, randomBytes } from 'node:crypto';
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
import { containerBehavior, ContainerBehavior } from './images';

type Obj = Record<string, any>;

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

function imageId(image: string): string {
  const repo = image.split('@')[0].replace(/:[^/:]+$/, '');
  let full = `docker.io/library/${repo}`;
  if (repo.includes('/'))
    full = repo.split('/')[0].includes('.') ? repo : `docker.io/${repo}`;
  return `${full}@sha256:${createHash('sha256').update(image).digest('hex')}`;
}

function isJobPod(pod: KubeObject) {
  return (
    controllerOf(pod)?.kind === 'Job' ||
    pod.spec?.restartPolicy === 'Never' ||
    pod.spec?.restartPolicy === 'OnFailure'
  );
}

/** The scheduler: binds a pending pod to the least loaded Ready node that fits it. */
function schedule(ctx: ControllerContext, pod: KubeObject) {
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

function containerStatus(
  c: Obj,
  state: Obj,
  ready: boolean,
  started: boolean,
  containerId?: string,
): Obj {
  const s: Obj = {
    name: c.name,
    image: c.image,
    imageID: started ? imageId(c.image) : '',
    ready,
    restartCount: 0,
    started,
    state,
    lastState: {},
    volumeMounts: [],
  };
  if (containerId) s.containerID = containerId;
  return s;
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
    conditions = setCondition(
      conditions,
      {
        type: 'Ready',
        status: 'False',
        reason: 'ContainersNotReady',
        message: `containers with unready status: [${containers
          .map(c => c.name)
          .join(' ')}]`,
      },
      { probeTime: true },
    );
    conditions = setCondition(
      conditions,
      {
        type: 'ContainersReady',
        status: 'False',
        reason: 'ContainersNotReady',
        message: `containers with unready status: [${containers
          .map(c => c.name)
          .join(' ')}]`,
      },
      { probeTime: true },
    );
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

/** The status of one container once the kubelet has tried to start it. */
function startedContainer(
  c: Obj,
  behavior: ContainerBehavior,
  now: string,
): Obj {
  const id = `containerd://${randomBytes(32).toString('hex')}`;
  switch (behavior) {
    case 'pull-error':
      return containerStatus(
        c,
        {
          waiting: {
            reason: 'ImagePullBackOff',
            message: `Back-off pulling image "${c.image}"`,
          },
        },
        false,
        false,
      );
    case 'crash-loop':
      return {
        ...containerStatus(
          c,
          {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: `back-off 10s restarting failed container=${c.name}`,
            },
          },
          false,
          false,
          id,
        ),
        imageID: imageId(c.image),
        restartCount: 1,
        lastState: {
          terminated: {
            exitCode: 1,
            reason: 'Error',
            startedAt: now,
            finishedAt: now,
            containerID: id,
          },
        },
      };
    default:
      return containerStatus(
        c,
        { running: { startedAt: now } },
        behavior === 'ready',
        true,
        id,
      );
  }
}

/** The events a kubelet records for a container it started (or failed to). */
function containerEvents(
  ctx: ControllerContext,
  pod: KubeObject,
  c: Obj,
  behavior: ContainerBehavior,
  host: string,
) {
  const record = (
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ) => ctx.record(pod, type, reason, message, 'kubelet', host);
  if (behavior === 'pull-error') {
    record('Normal', 'Pulling', `Pulling image "${c.image}"`);
    record(
      'Warning',
      'Failed',
      `Failed to pull image "${c.image}": rpc error: code = NotFound desc = failed to pull and unpack image "${c.image}": not found`,
    );
    record('Warning', 'Failed', 'Error: ErrImagePull');
    record('Normal', 'BackOff', `Back-off pulling image "${c.image}"`);
    record('Warning', 'Failed', 'Error: ImagePullBackOff');
    return;
  }
  record(
    'Normal',
    'Pulled',
    `Container image "${c.image}" already present on machine`,
  );
  record('Normal', 'Created', `Created container ${c.name}`);
  record('Normal', 'Started', `Started container ${c.name}`);
  if (behavior === 'never-ready') {
    record(
      'Warning',
      'Unhealthy',
      'Readiness probe failed: HTTP probe failed with statuscode: 503',
    );
  } else if (behavior === 'crash-loop') {
    record(
      'Warning',
      'BackOff',
      `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
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
