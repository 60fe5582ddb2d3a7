/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { KubeObject } from '../store/store';
import { intOrPercent, jsonEqual } from '../util';
import {
  ControllerContext,
  DEFS,
  ownedBy,
  ownerRef,
  setCondition,
  tolerate,
} from './context';
import {
  clone,
  writeStatus,
  wakeAt,
  templateHash,
  withoutHash,
} from './podOwners';
import type { Obj } from './podOwners';

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
