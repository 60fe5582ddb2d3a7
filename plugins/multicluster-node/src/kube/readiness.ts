/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/** Where a workload's rollout stands. `failed` means waiting longer cannot help. @public */
export type Readiness =
  | { ready: true }
  | { ready: false; reason: string; failed?: boolean };

type Obj = Record<string, any>;

/**
 * Whether a live Deployment, StatefulSet or DaemonSet has rolled out the
 * generation we applied, with the rules of `kubectl rollout status` (the
 * controller has observed it, every replica runs the new template, old ones
 * are gone and the new ones are ready), or a Job has completed (`Complete`
 * condition; `Failed` fails). Any other kind is ready once applied.
 * @public
 */
export function workloadReadiness(
  live: Record<string, any> | undefined,
  appliedGeneration?: number,
): Readiness {
  if (!live) return { ready: false, reason: 'the object is gone' };
  const kind = live.kind;
  if (kind === 'Job') return jobReadiness(live);
  if (kind !== 'Deployment' && kind !== 'StatefulSet' && kind !== 'DaemonSet')
    return { ready: true };
  const spec: Obj = live.spec ?? {};
  const status: Obj = live.status ?? {};
  const generation: number =
    appliedGeneration ?? live.metadata?.generation ?? 0;
  if ((status.observedGeneration ?? 0) < generation) {
    return {
      ready: false,
      reason: `waiting for the controller to observe generation ${generation}`,
    };
  }
  if (kind === 'DaemonSet') return daemonSetReadiness(spec, status);
  const desired: number = spec.replicas ?? 1;
  const ready: number = status.readyReplicas ?? 0;
  const updated: number = status.updatedReplicas ?? 0;

  if (kind === 'Deployment') {
    const progressing = (status.conditions ?? []).find(
      (c: Obj) => c?.type === 'Progressing',
    );
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
      return {
        ready: false,
        failed: true,
        reason: `progress deadline exceeded${
          progressing.message ? `: ${progressing.message}` : ''
        }`,
      };
    }
    if (updated < desired)
      return {
        ready: false,
        reason: `${updated} of ${desired} replicas updated`,
      };
    const total: number = status.replicas ?? 0;
    if (total > updated)
      return {
        ready: false,
        reason: `${total - updated} old replicas pending termination`,
      };
    const available: number = status.availableReplicas ?? 0;
    if (ready < desired)
      return { ready: false, reason: `${ready} of ${desired} replicas ready` };
    if (available < desired)
      return {
        ready: false,
        reason: `${available} of ${desired} replicas available`,
      };
    return { ready: true };
  }

  // StatefulSet
  if (ready < desired)
    return { ready: false, reason: `${ready} of ${desired} replicas ready` };
  const strategy: Obj = spec.updateStrategy ?? {};
  if (strategy.type === 'OnDelete') return { ready: true };
  const partition: number = strategy.rollingUpdate?.partition ?? 0;
  if (partition > 0) {
    const wanted = Math.max(desired - partition, 0);
    if (updated < wanted)
      return {
        ready: false,
        reason: `${updated} of ${wanted} replicas above the partition updated`,
      };
    return { ready: true };
  }
  if (
    status.updateRevision &&
    status.currentRevision &&
    status.updateRevision !== status.currentRevision
  ) {
    return {
      ready: false,
      reason: `${updated} of ${desired} replicas updated to revision ${status.updateRevision}`,
    };
  }
  return { ready: true };
}

/** `kubectl rollout status daemonset`: every scheduled node runs the new template, ready. */
function daemonSetReadiness(spec: Obj, status: Obj): Readiness {
  if (spec.updateStrategy?.type === 'OnDelete') return { ready: true };
  const desired: number = status.desiredNumberScheduled ?? 0;
  const updated: number = status.updatedNumberScheduled ?? 0;
  const available: number = status.numberAvailable ?? 0;
  if (updated < desired)
    return {
      ready: false,
      reason: `${updated} of ${desired} updated pods scheduled`,
    };
  if (available < desired)
    return {
      ready: false,
      reason: `${available} of ${desired} updated pods available`,
    };
  return { ready: true };
}

/** `kubectl wait --for=condition=complete`: a Job is ready once Complete; Failed is final. */
function jobReadiness(live: Obj): Readiness {
  const conditions: Obj[] = live.status?.conditions ?? [];
  const holds = (type: string) =>
    conditions.some(c => c?.type === type && c?.status === 'True');
  if (holds('Complete')) return { ready: true };
  if (holds('Failed')) {
    const failed = conditions.find(c => c?.type === 'Failed');
    return {
      ready: false,
      failed: true,
      reason: `the Job failed${failed?.reason ? ` (${failed.reason})` : ''}${
        failed?.message ? `: ${failed.message}` : ''
      }`,
    };
  }
  const succeeded: number = live.status?.succeeded ?? 0;
  const completions: number = live.spec?.completions ?? 1;
  return {
    ready: false,
    reason: `${succeeded} of ${completions} completions`,
  };
}
