/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { KubeObject } from '../store/store';
import { fromSelectorObject, matchesLabels } from '../store/selectors';
import { intOrPercent, nowTimestamp, safeHash, jsonEqual } from '../util';
import {
  availableAt,
  ControllerContext,
  DEFS,
  isPodActive,
  isPodReady,
  ownedBy,
  ownerRef,
  setCondition,
  tolerate,
} from './context';

type Obj = Record<string, any>;

// Bounds the pods one reconcile creates, as the real controllers' slow-start batches do.
const BURST = 500;

function clone<T>(v: T): T {
  return structuredClone(v);
}

function podsOf(ctx: ControllerContext, owner: KubeObject): KubeObject[] {
  return ctx.store
    .list(DEFS.pods, owner.metadata.namespace)
    .filter(p => ownedBy(p, owner));
}

/** Counts of a pod set: active (not terminating), ready, available after minReadySeconds. */
function countPods(
  ctx: ControllerContext,
  owner: KubeObject,
  kind: string,
  pods: KubeObject[],
  minReadySeconds: number,
) {
  const active = pods.filter(isPodActive);
  const ready = active.filter(isPodReady);
  const now = Date.now();
  let available = 0;
  for (const p of ready) {
    const at = availableAt(p, minReadySeconds) ?? Infinity;
    if (at <= now) available++;
    else
      ctx.later(at - now + 5, () =>
        ctx.enqueue(kind, owner.metadata.namespace, owner.metadata.name!),
      );
  }
  return { active, ready: ready.length, available };
}

function writeStatus(
  ctx: ControllerContext,
  def: typeof DEFS.deployments,
  obj: KubeObject,
  status: Obj,
) {
  if (jsonEqual(obj.status ?? {}, status)) return obj;
  return tolerate(() =>
    ctx.service.controllerWrite(
      def,
      obj,
      { ...obj, status },
      'kube-controller-manager',
      'status',
    ),
  );
}

function createPod(
  ctx: ControllerContext,
  owner: KubeObject,
  ownerDef: typeof DEFS.deployments,
  template: Obj,
  metadata: Obj,
  spec: Obj = {},
) {
  const pod: KubeObject = {
    metadata: {
      ...metadata,
      namespace: owner.metadata.namespace,
      labels: {
        ...(template.metadata?.labels ?? {}),
        ...(metadata.labels ?? {}),
      },
      annotations: template.metadata?.annotations
        ? { ...template.metadata.annotations }
        : undefined,
      ownerReferences: [ownerRef(ownerDef, owner)],
    },
    spec: { ...clone(template.spec ?? {}), ...spec },
  };
  if (!pod.metadata.annotations) delete pod.metadata.annotations;
  return tolerate(() =>
    ctx.service.controllerCreate(DEFS.pods, pod, 'kube-controller-manager'),
  );
}

function deletePod(ctx: ControllerContext, pod: KubeObject) {
  return tolerate(() =>
    ctx.service.delete(
      DEFS.pods,
      pod.metadata.namespace,
      pod.metadata.name!,
      {},
    ),
  );
}

/** Orders pods for scale-down as the ReplicaSet controller does: unscheduled, unready, newest first. */
function scaleDownOrder(a: KubeObject, b: KubeObject) {
  const rank = (p: KubeObject) =>
    (p.spec?.nodeName ? 1 : 0) * 2 + (isPodReady(p) ? 1 : 0);
  return (
    rank(a) - rank(b) ||
    (b.metadata.creationTimestamp ?? '').localeCompare(
      a.metadata.creationTimestamp ?? '',
    )
  );
}

// ---- ReplicaSet ---------------------------------------------------------------------------------

export function reconcileReplicaSet(
  ctx: ControllerContext,
  namespace: string,
  name: string,
) {
  const rs = ctx.store.get(DEFS.replicasets, namespace, name);
  if (!rs || rs.metadata.deletionTimestamp) return;
  const desired = rs.spec?.replicas ?? 1;
  const pods = podsOf(ctx, rs);
  const active = pods.filter(isPodActive);
  const diff = desired - active.length;
  if (diff > 0) {
    for (let i = 0; i < Math.min(diff, BURST); i++) {
      const pod = createPod(ctx, rs, DEFS.replicasets, rs.spec.template, {
        generateName: `${rs.metadata.name}-`,
      });
      if (pod)
        ctx.record(
          rs,
          'Normal',
          'SuccessfulCreate',
          `Created pod: ${pod.metadata.name}`,
          'replicaset-controller',
        );
    }
  } else if (diff < 0) {
    for (const pod of [...active].sort(scaleDownOrder).slice(0, -diff)) {
      if (deletePod(ctx, pod))
        ctx.record(
          rs,
          'Normal',
          'SuccessfulDelete',
          `Deleted pod: ${pod.metadata.name}`,
          'replicaset-controller',
        );
    }
  }
  const live = ctx.store.get(DEFS.replicasets, namespace, name);
  if (!live) return;
  const counts = countPods(
    ctx,
    live,
    'ReplicaSet',
    podsOf(ctx, live),
    live.spec?.minReadySeconds ?? 0,
  );
  const selector = fromSelectorObject(live.spec?.selector);
  const status: Obj = {
    replicas: counts.active.length,
    fullyLabeledReplicas: counts.active.filter(p =>
      matchesLabels(selector, p.metadata.labels),
    ).length,
    readyReplicas: counts.ready,
    availableReplicas: counts.available,
    observedGeneration: live.metadata.generation,
  };
  for (const k of [
    'readyReplicas',
    'availableReplicas',
    'fullyLabeledReplicas',
  ])
    if (!status[k]) delete status[k];
  writeStatus(ctx, DEFS.replicasets, live, status);
}

// ---- Deployment ---------------------------------------------------------------------------------

/** Pending progress-deadline checks per cluster, so each deadline sets one timer. */
const deadlines = new WeakMap<ControllerContext, Map<string, number>>();

function wakeAt(
  ctx: ControllerContext,
  key: string,
  at: number,
  fn: () => void,
) {
  let pending = deadlines.get(ctx);
  if (!pending) {
    pending = new Map();
    deadlines.set(ctx, pending);
  }
  if (pending.get(key) === at) return;
  pending.set(key, at);
  const due = pending;
  ctx.later(Math.max(0, at - Date.now()) + 5, () => {
    if (due.get(key) === at) due.delete(key);
    fn();
  });
}

function templateHash(template: Obj): string {
  return safeHash(template);
}

function withoutHash(template: Obj | undefined): Obj {
  const t = clone(template ?? {});
  if (t.metadata?.labels) delete t.metadata.labels['pod-template-hash'];
  return t;
}

function revisionOf(rs: KubeObject): number {
  return (
    Number(
      rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0,
    ) || 0
  );
}

export function reconcileDeployment(
  ctx: ControllerContext,
  namespace: string,
  name: string,
) {
  const d = ctx.store.get(DEFS.deployments, namespace, name);
  if (!d || d.metadata.deletionTimestamp) return;
  const spec = d.spec ?? {};
  const desired: number = spec.replicas ?? 1;
  const all = ctx.store
    .list(DEFS.replicasets, namespace)
    .filter(rs => ownedBy(rs, d));
  let newRs = all.find(rs =>
    jsonEqual(withoutHash(rs.spec?.template), withoutHash(spec.template)),
  );
  const oldRs = all.filter(rs => rs !== newRs);
  const maxSurge =
    spec.strategy?.type === 'RollingUpdate'
      ? intOrPercent(
          spec.strategy?.rollingUpdate?.maxSurge ?? '25%',
          desired,
          true,
        )
      : 0;
  const maxUnavailable =
    spec.strategy?.type === 'RollingUpdate'
      ? intOrPercent(
          spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%',
          desired,
          false,
        )
      : 0;
  const recreate = spec.strategy?.type === 'Recreate';
  const oldPods = oldRs.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
  let createdNew = false;

  if (!spec.paused) {
    if (recreate) {
      for (const rs of oldRs) scaleReplicaSet(ctx, d, rs, 0);
    }
    if (!newRs && (!recreate || oldPods === 0)) {
      const hash = templateHash(spec.template);
      const template = clone(spec.template);
      template.metadata = {
        ...(template.metadata ?? {}),
        labels: {
          ...(template.metadata?.labels ?? {}),
          'pod-template-hash': hash,
        },
      };
      const revision = Math.max(0, ...all.map(revisionOf)) + 1;
      const rs: KubeObject = {
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace,
          labels: {
            ...(spec.template?.metadata?.labels ?? {}),
            'pod-template-hash': hash,
          },
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(desired),
            'deployment.kubernetes.io/max-replicas': String(desired + maxSurge),
            'deployment.kubernetes.io/revision': String(revision),
          },
          ownerReferences: [ownerRef(DEFS.deployments, d)],
        },
        spec: {
          replicas: desired,
          minReadySeconds: spec.minReadySeconds,
          selector: {
            ...clone(spec.selector ?? {}),
            matchLabels: {
              ...(spec.selector?.matchLabels ?? {}),
              'pod-template-hash': hash,
            },
          },
          template,
        },
      };
      if (rs.spec.minReadySeconds === undefined) delete rs.spec.minReadySeconds;
      newRs = tolerate(() =>
        ctx.service.controllerCreate(
          DEFS.replicasets,
          rs,
          'kube-controller-manager',
        ),
      );
      if (newRs) {
        createdNew = true;
        ctx.record(
          d,
          'Normal',
          'ScalingReplicaSet',
          `Scaled up replica set ${newRs.metadata.name} from 0 to ${desired}`,
          'deployment-controller',
        );
        const live = ctx.store.get(DEFS.deployments, namespace, name);
        if (
          live &&
          live.metadata.annotations?.['deployment.kubernetes.io/revision'] !==
            String(revision)
        ) {
          const next = clone(live);
          next.metadata.annotations = {
            ...(next.metadata.annotations ?? {}),
            'deployment.kubernetes.io/revision': String(revision),
          };
          tolerate(() =>
            ctx.service.controllerWrite(
              DEFS.deployments,
              live,
              next,
              'kube-controller-manager',
            ),
          );
        }
      }
    } else if (newRs) {
      if ((newRs.spec?.replicas ?? 0) !== desired)
        scaleReplicaSet(ctx, d, newRs, desired);
      // Old replica sets drain once the new one is fully available (a surge-first rollout).
      const newAvailable = newRs.status?.availableReplicas ?? 0;
      if (!recreate && newAvailable >= desired) {
        for (const rs of oldRs)
          if ((rs.spec?.replicas ?? 0) > 0) scaleReplicaSet(ctx, d, rs, 0);
      }
    }
    cleanupHistory(ctx, d, oldRs);
  }

  const live = ctx.store.get(DEFS.deployments, namespace, name);
  if (!live) return;
  const sets = ctx.store
    .list(DEFS.replicasets, namespace)
    .filter(rs => ownedBy(rs, live));
  const current = sets.find(rs =>
    jsonEqual(withoutHash(rs.spec?.template), withoutHash(live.spec?.template)),
  );
  const sum = (f: (rs: KubeObject) => number) =>
    sets.reduce((n, rs) => n + f(rs), 0);
  const replicas = sum(rs => rs.status?.replicas ?? 0);
  const updated = current?.status?.replicas ?? 0;
  const ready = sum(rs => rs.status?.readyReplicas ?? 0);
  const available = sum(rs => rs.status?.availableReplicas ?? 0);
  const specTotal = sum(rs => rs.spec?.replicas ?? 0);
  let conditions = live.status?.conditions;
  const minAvailable = desired - maxUnavailable;
  conditions = setCondition(
    conditions,
    available >= minAvailable
      ? {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        }
      : {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
        },
    { updateTime: true },
  );
  if (current) {
    const complete =
      updated === desired &&
      replicas === desired &&
      available === desired &&
      (current.status?.observedGeneration ?? 0) >=
        (current.metadata.generation ?? 0);
    let progressing = {
      type: 'Progressing',
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: `ReplicaSet "${current.metadata.name}" is progressing.`,
    };
    if (spec.paused) {
      progressing = {
        type: 'Progressing',
        status: 'Unknown',
        reason: 'DeploymentPaused',
        message: 'Deployment is paused',
      };
    } else if (complete) {
      progressing = {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${current.metadata.name}" has successfully progressed.`,
      };
    } else if (createdNew) {
      progressing = {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetCreated',
        message: `Created new replica set "${current.metadata.name}"`,
      };
    } else {
      // No progress for progressDeadlineSeconds: the rollout has failed (kubectl rollout
      // status exits with "exceeded its progress deadline").
      const deadline = (spec.progressDeadlineSeconds ?? 600) * 1000;
      const previous = (conditions ?? []).find(
        (c: Obj) => c.type === 'Progressing',
      );
      const since = Date.parse(
        previous?.lastUpdateTime ?? previous?.lastTransitionTime ?? '',
      );
      // As in the real controller, a finished rollout does not time out, and a timed-out one
      // stays so until the next rollout.
      if (
        previous?.reason === 'ProgressDeadlineExceeded' ||
        (previous?.reason === 'NewReplicaSetAvailable' &&
          previous.message?.includes(`"${current.metadata.name}"`))
      ) {
        progressing = previous;
      } else if (Number.isFinite(since)) {
        const left = since + deadline - Date.now();
        if (left <= 0) {
          progressing = {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: `ReplicaSet "${current.metadata.name}" has timed out progressing.`,
          };
        } else {
          wakeAt(ctx, `${namespace}/${name}`, since + deadline, () =>
            ctx.enqueue('Deployment', namespace, name),
          );
        }
      }
    }
    conditions = setCondition(conditions, progressing, { updateTime: true });
  }
  // The real controller lists Available before Progressing once both exist.
  conditions = [...conditions].sort(
    (a, b) => Number(b.type === 'Available') - Number(a.type === 'Available'),
  );
  const status: Obj = {
    observedGeneration: live.metadata.generation,
    replicas,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specTotal - available),
    conditions,
  };
  for (const k of [
    'replicas',
    'updatedReplicas',
    'readyReplicas',
    'availableReplicas',
    'unavailableReplicas',
  ])
    if (!status[k]) delete status[k];
  writeStatus(ctx, DEFS.deployments, live, status);
}

function scaleReplicaSet(
  ctx: ControllerContext,
  d: KubeObject,
  rs: KubeObject,
  replicas: number,
) {
  const from = rs.spec?.replicas ?? 0;
  if (from === replicas) return;
  const next = clone(rs);
  next.spec.replicas = replicas;
  next.metadata.annotations = {
    ...(next.metadata.annotations ?? {}),
    'deployment.kubernetes.io/desired-replicas': String(d.spec?.replicas ?? 1),
  };
  if (
    tolerate(() =>
      ctx.service.controllerWrite(
        DEFS.replicasets,
        rs,
        next,
        'kube-controller-manager',
      ),
    )
  ) {
    ctx.record(
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${replicas > from ? 'up' : 'down'} replica set ${
        rs.metadata.name
      } from ${from} to ${replicas}`,
      'deployment-controller',
    );
  }
}

function cleanupHistory(
  ctx: ControllerContext,
  d: KubeObject,
  old: KubeObject[],
) {
  const limit = d.spec?.revisionHistoryLimit ?? 10;
  const idle = old
    .filter(
      rs => (rs.spec?.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0,
    )
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
    tolerate(() =>
      ctx.service.delete(
        DEFS.replicasets,
        rs.metadata.namespace,
        rs.metadata.name!,
        {},
      ),
    );
  }
}

// ---- StatefulSet --------------------------------------------------------------------------------

function ordinalOf(sts: KubeObject, pod: KubeObject): number {
  const m = new RegExp(
    `^${sts.metadata.name!.replace(/[.]/g, '\\.')}-(\\d+)$`,
  ).exec(pod.metadata.name ?? '');
  return m ? Number(m[1]) : -1;
}

export function reconcileStatefulSet(
  ctx: ControllerContext,
  namespace: string,
  name: string,
) {
  const sts = ctx.store.get(DEFS.statefulsets, namespace, name);
  if (!sts || sts.metadata.deletionTimestamp) return;
  const spec = sts.spec ?? {};
  const replicas: number = spec.replicas ?? 1;
  const start: number = spec.ordinals?.start ?? 0;
  const parallel = spec.podManagementPolicy === 'Parallel';
  const updateRevision = `${sts.metadata.name}-${safeHash(spec.template)}`;
  const pods = podsOf(ctx, sts);
  const byOrdinal = new Map<number, KubeObject>();
  for (const p of pods) byOrdinal.set(ordinalOf(sts, p), p);
  const terminating = pods.some(p => p.metadata.deletionTimestamp);

  let blocked = false;
  for (let i = start; i < start + replicas && !blocked; i++) {
    const pod = byOrdinal.get(i);
    if (!pod) {
      if (terminating && !parallel) {
        blocked = true;
        break;
      }
      const podName = `${sts.metadata.name}-${i}`;
      const created = createPod(
        ctx,
        sts,
        DEFS.statefulsets,
        spec.template,
        {
          name: podName,
          labels: {
            'controller-revision-hash': updateRevision,
            'statefulset.kubernetes.io/pod-name': podName,
            'apps.kubernetes.io/pod-index': String(i),
          },
        },
        {
          hostname: podName,
          ...(spec.serviceName ? { subdomain: spec.serviceName } : {}),
        },
      );
      if (created) {
        ctx.record(
          sts,
          'Normal',
          'SuccessfulCreate',
          `create Pod ${podName} in StatefulSet ${sts.metadata.name} successful`,
          'statefulset-controller',
        );
      }
      if (!parallel) blocked = true;
    } else if (
      !parallel &&
      (!isPodReady(pod) || pod.metadata.deletionTimestamp)
    ) {
      blocked = true;
    }
  }
  // Scale down from the highest ordinal, one at a time unless Parallel.
  const extra = [...byOrdinal.entries()]
    .filter(
      ([i, p]) =>
        (i < start || i >= start + replicas) && !p.metadata.deletionTimestamp,
    )
    .sort((a, b) => b[0] - a[0]);
  for (const [, pod] of parallel
    ? extra
    : extra.slice(0, terminating ? 0 : 1)) {
    if (deletePod(ctx, pod)) {
      ctx.record(
        sts,
        'Normal',
        'SuccessfulDelete',
        `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`,
        'statefulset-controller',
      );
    }
  }
  // Rolling update: once all pods exist and are ready, replace the highest outdated one.
  const partition = spec.updateStrategy?.rollingUpdate?.partition ?? 0;
  if (
    !blocked &&
    !extra.length &&
    !terminating &&
    spec.updateStrategy?.type !== 'OnDelete'
  ) {
    const outdated = [...byOrdinal.entries()]
      .filter(
        ([i, p]) =>
          i >= start + partition &&
          i < start + replicas &&
          p.metadata.labels?.['controller-revision-hash'] !== updateRevision,
      )
      .sort((a, b) => b[0] - a[0]);
    if (outdated.length) deletePod(ctx, outdated[0][1]);
  }

  const live = ctx.store.get(DEFS.statefulsets, namespace, name);
  if (!live) return;
  const counts = countPods(
    ctx,
    live,
    'StatefulSet',
    podsOf(ctx, live),
    live.spec?.minReadySeconds ?? 0,
  );
  const updated = counts.active.filter(
    p => p.metadata.labels?.['controller-revision-hash'] === updateRevision,
  ).length;
  const previousCurrent: string =
    live.status?.currentRevision ?? updateRevision;
  const allUpdated = updated === replicas && counts.ready === replicas;
  const currentRevision = allUpdated ? updateRevision : previousCurrent;
  const status: Obj = {
    observedGeneration: live.metadata.generation,
    replicas: counts.active.length,
    readyReplicas: counts.ready,
    currentReplicas: counts.active.filter(
      p => p.metadata.labels?.['controller-revision-hash'] === currentRevision,
    ).length,
    updatedReplicas: updated,
    currentRevision,
    updateRevision,
    collisionCount: 0,
    availableReplicas: counts.available,
  };
  for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas'])
    if (!status[k]) delete status[k];
  writeStatus(ctx, DEFS.statefulsets, live, status);
}

// ---- DaemonSet ----------------------------------------------------------------------------------

export function reconcileDaemonSet(
  ctx: ControllerContext,
  namespace: string,
  name: string,
) {
  const ds = ctx.store.get(DEFS.daemonsets, namespace, name);
  if (!ds || ds.metadata.deletionTimestamp) return;
  const spec = ds.spec ?? {};
  const hash = safeHash(spec.template);
  const selector: Record<string, string> =
    spec.template?.spec?.nodeSelector ?? {};
  const nodes = ctx.store
    .list(DEFS.nodes)
    .filter(n =>
      Object.entries(selector).every(([k, v]) => n.metadata.labels?.[k] === v),
    );
  const pods = podsOf(ctx, ds).filter(isPodActive);
  const byNode = new Map<string, KubeObject[]>();
  for (const p of pods) {
    const n = p.spec?.nodeName ?? '';
    byNode.set(n, [...(byNode.get(n) ?? []), p]);
  }
  for (const node of nodes) {
    const nodeName = node.metadata.name!;
    const onNode = byNode.get(nodeName) ?? [];
    const outdated = onNode.filter(
      p => p.metadata.labels?.['controller-revision-hash'] !== hash,
    );
    for (const p of outdated) deletePod(ctx, p);
    if (onNode.length === outdated.length) {
      const created = createPod(
        ctx,
        ds,
        DEFS.daemonsets,
        spec.template,
        {
          generateName: `${ds.metadata.name}-`,
          labels: {
            'controller-revision-hash': hash,
            'pod-template-generation': String(ds.metadata.generation ?? 1),
          },
        },
        {
          nodeName,
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  {
                    matchFields: [
                      {
                        key: 'metadata.name',
                        operator: 'In',
                        values: [nodeName],
                      },
                    ],
                  },
                ],
              },
            },
          },
          tolerations: [
            ...(spec.template?.spec?.tolerations ?? []),
            {
              key: 'node.kubernetes.io/not-ready',
              operator: 'Exists',
              effect: 'NoExecute',
            },
            {
              key: 'node.kubernetes.io/unreachable',
              operator: 'Exists',
              effect: 'NoExecute',
            },
            {
              key: 'node.kubernetes.io/disk-pressure',
              operator: 'Exists',
              effect: 'NoSchedule',
            },
            {
              key: 'node.kubernetes.io/memory-pressure',
              operator: 'Exists',
              effect: 'NoSchedule',
            },
            {
              key: 'node.kubernetes.io/pid-pressure',
              operator: 'Exists',
              effect: 'NoSchedule',
            },
            {
              key: 'node.kubernetes.io/unschedulable',
              operator: 'Exists',
              effect: 'NoSchedule',
            },
          ],
        },
      );
      if (created)
        ctx.record(
          ds,
          'Normal',
          'SuccessfulCreate',
          `Created pod: ${created.metadata.name}`,
          'daemonset-controller',
        );
    }
  }
  const eligible = new Set(nodes.map(n => n.metadata.name));
  for (const [nodeName, list] of byNode)
    if (!eligible.has(nodeName)) for (const p of list) deletePod(ctx, p);

  const live = ctx.store.get(DEFS.daemonsets, namespace, name);
  if (!live) return;
  const now = podsOf(ctx, live).filter(isPodActive);
  const minReady = live.spec?.minReadySeconds ?? 0;
  const scheduled = new Set(now.map(p => p.spec?.nodeName));
  const readyNodes = new Set(now.filter(isPodReady).map(p => p.spec?.nodeName));
  const availableNodes = new Set(
    now
      .filter(p => (availableAt(p, minReady) ?? Infinity) <= Date.now())
      .map(p => p.spec?.nodeName),
  );
  const updatedNodes = new Set(
    now
      .filter(p => p.metadata.labels?.['controller-revision-hash'] === hash)
      .map(p => p.spec?.nodeName),
  );
  const desired = nodes.length;
  const status: Obj = {
    currentNumberScheduled: [...scheduled].filter(n => eligible.has(n)).length,
    numberMisscheduled: [...scheduled].filter(n => !eligible.has(n)).length,
    desiredNumberScheduled: desired,
    numberReady: [...readyNodes].filter(n => eligible.has(n)).length,
    observedGeneration: live.metadata.generation,
    updatedNumberScheduled: [...updatedNodes].filter(n => eligible.has(n))
      .length,
    numberAvailable: [...availableNodes].filter(n => eligible.has(n)).length,
  };
  status.numberUnavailable = desired - status.numberAvailable;
  for (const k of [
    'numberAvailable',
    'numberUnavailable',
    'updatedNumberScheduled',
  ])
    if (!status[k]) delete status[k];
  writeStatus(ctx, DEFS.daemonsets, live, status);
}

// ---- Job ----------------------------------------------------------------------------------------

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
