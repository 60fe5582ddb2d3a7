/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { fromSelectorObject, matchesLabels } from '../store/selectors';
import { ControllerContext, DEFS, isPodActive } from './context';
import {
  BURST,
  podsOf,
  countPods,
  writeStatus,
  createPod,
  deletePod,
  scaleDownOrder,
} from './podOwners';
import type { Obj } from './podOwners';

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
