/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { KubeObject } from '../store/store';
import { safeHash } from '../util';
import { ControllerContext, DEFS, isPodReady } from './context';
import {
  podsOf,
  countPods,
  writeStatus,
  createPod,
  deletePod,
} from './podOwners';
import type { Obj } from './podOwners';

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
