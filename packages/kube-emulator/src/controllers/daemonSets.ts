/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { KubeObject } from '../store/store';
import { safeHash } from '../util';
import {
  availableAt,
  ControllerContext,
  DEFS,
  isPodActive,
  isPodReady,
} from './context';
import { podsOf, writeStatus, createPod, deletePod } from './podOwners';
import type { Obj } from './podOwners';

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
