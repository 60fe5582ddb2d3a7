/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  describeManifest,
  type WorkloadClusterOutcome,
} from '@archipelago/multicluster-node';
import { sameObject, type Target, type WorkloadPass } from './WorkloadPass';

const MAX_DRIFT_IN_EVENT = 20;

function driftTail(target: Target, repaired: boolean): string {
  if (repaired) return '; repaired';
  if (target.mode === 'observe') return '; not repaired while paused';
  return '';
}

/**
 * Records what the reconciler did on a cluster: its row (revision applied,
 * planned replicas, ready replicas, drift, last sync, error) and events
 * (drift found and repaired, revision applied, a new error). After a new
 * revision is applied, objects the cluster's previous revision had and this
 * one has not are pruned.
 */
export async function recordOutcome(
  pass: WorkloadPass,
  target: Target,
  outcome: WorkloadClusterOutcome,
): Promise<void> {
  const { say, now } = pass;
  const name = target.cluster.name;
  const ok = outcome.reached && !outcome.error;
  const base = pass.rowOf(target.cluster);
  if (outcome.drift.length) {
    const shown = outcome.drift.slice(0, MAX_DRIFT_IN_EVENT).join('; ');
    const more =
      outcome.drift.length > MAX_DRIFT_IN_EVENT
        ? ` (and ${outcome.drift.length - MAX_DRIFT_IN_EVENT} more)`
        : '';
    pass.event({
      level: 'warning',
      cluster: name,
      message: say(
        `drift on ${name}: ${shown}${more}${driftTail(
          target,
          target.mode === 'repair' && ok,
        )}`,
      ),
    });
  }
  if (target.mode === 'apply' && ok) {
    const replicas = Object.entries(target.replicas)
      .map(([k, n]) => `${k}=${n}`)
      .join(', ');
    pass.event({
      level: 'info',
      cluster: name,
      message: `applied revision ${target.revision} to ${name} (${
        outcome.applied
      } objects${replicas ? `, replicas ${replicas}` : ''})`,
    });
    if (base.revision > 0 && base.revision !== target.revision)
      await prune(pass, target, base.revision);
  }
  const error = outcome.error ? say(outcome.error) : undefined;
  if (error && error !== base.error)
    pass.event({ level: 'error', cluster: name, message: `${name}: ${error}` });
  pass.next.set(target.cluster.id, {
    ...base,
    clusterName: name,
    revision: ok && target.mode !== 'observe' ? target.revision : base.revision,
    replicas: target.mode === 'observe' ? base.replicas : target.replicas,
    desiredReplicas: outcome.reached
      ? outcome.desiredReplicas
      : base.desiredReplicas,
    readyReplicas: outcome.reached ? outcome.readyReplicas : 0,
    ...(outcome.drift.length
      ? { drift: outcome.drift.map(say).slice(0, 50), driftAt: now }
      : {}),
    failedOver: false,
    unfitSince: undefined,
    ...(ok ? { lastSyncAt: now } : {}),
    error,
  });
}

/** Deletes what the previous revision had and the applied one has not. */
async function prune(pass: WorkloadPass, target: Target, previous: number) {
  const before = await pass.revision(previous);
  if (!before) return;
  const namespace = before.record.spec.namespace;
  const gone = before.record.spec.manifests.filter(
    m =>
      !target.objects.some(o => sameObject(o, m, target.namespace, namespace)),
  );
  if (gone.length === 0) return;
  const removed = await pass.remove(namespace, target.cluster, gone);
  if (removed.reached && !removed.error)
    pass.event({
      level: 'info',
      cluster: target.cluster.name,
      message: `pruned ${gone
        .map(m => describeManifest(m, namespace))
        .join(', ')} from ${target.cluster.name}: revision ${
        target.revision
      } no longer has them`,
    });
}
