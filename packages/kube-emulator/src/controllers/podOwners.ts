/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { KubeObject } from '../store/store';
import { safeHash, jsonEqual } from '../util';
import {
  availableAt,
  ControllerContext,
  DEFS,
  isPodActive,
  isPodReady,
  ownedBy,
  ownerRef,
  tolerate,
} from './context';

// What the controllers of pods share: their pods, counts, status writes, pod
// creation and deletion, and timers.

export type Obj = Record<string, any>;

// Bounds the pods one reconcile creates, as the real controllers' slow-start batches do.
export const BURST = 500;

export function clone<T>(v: T): T {
  return structuredClone(v);
}

export function podsOf(
  ctx: ControllerContext,
  owner: KubeObject,
): KubeObject[] {
  return ctx.store
    .list(DEFS.pods, owner.metadata.namespace)
    .filter(p => ownedBy(p, owner));
}

/** Counts of a pod set: active (not terminating), ready, available after minReadySeconds. */
export function countPods(
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

export function writeStatus(
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

export function createPod(
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

export function deletePod(ctx: ControllerContext, pod: KubeObject) {
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
export function scaleDownOrder(a: KubeObject, b: KubeObject) {
  const rank = (p: KubeObject) =>
    (p.spec?.nodeName ? 1 : 0) * 2 + (isPodReady(p) ? 1 : 0);
  return (
    rank(a) - rank(b) ||
    (b.metadata.creationTimestamp ?? '').localeCompare(
      a.metadata.creationTimestamp ?? '',
    )
  );
}

/** Pending progress-deadline checks per cluster, so each deadline sets one timer. */
const deadlines = new WeakMap<ControllerContext, Map<string, number>>();

export function wakeAt(
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

export function templateHash(template: Obj): string {
  return safeHash(template);
}

export function withoutHash(template: Obj | undefined): Obj {
  const t = clone(template ?? {});
  if (t.metadata?.labels) delete t.metadata.labels['pod-template-hash'];
  return t;
}
