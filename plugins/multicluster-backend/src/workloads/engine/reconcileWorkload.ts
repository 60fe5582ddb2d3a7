/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  decidePlacement,
  type PlacementDecision,
  type PlacementTarget,
} from '../decide/placement';
import {
  revisionFor,
  type RolloutState,
  startRollout,
} from '../decide/rollout';
import { aggregateStatus } from '../decide/status';
import type { InventorySnapshot } from '../inventory';
import type { WorkloadRecord } from '../store/records';
import { statusOf } from './clusterRows';
import { deleteWorkload } from './deleteWorkload';
import { recordOutcome } from './outcomes';
import { stepRollout } from './rolloutStep';
import { type PassDeps, type Target, WorkloadPass } from './WorkloadPass';

export type { PassDeps } from './WorkloadPass';

const sameReplicas = (a: Record<string, number>, b: Record<string, number>) =>
  JSON.stringify(Object.entries(a).sort()) ===
  JSON.stringify(Object.entries(b).sort());

/**
 * One reconcile pass over one workload: placement against the stored
 * inventory, failover, replica plan, apply or repair on the fit clusters
 * (through the reconciler), the rollout step, removal from clusters that no
 * longer belong, status and events. Returns when the workload next needs a
 * look without any change (a rollout in progress, a soak or a grace period
 * ending), or undefined.
 */
export async function reconcileWorkload(
  deps: PassDeps,
  workload: WorkloadRecord,
  inventory: InventorySnapshot,
  now: number,
): Promise<number | undefined> {
  const newest = await deps.revisions.get(workload.name, workload.revision);
  if (!newest) throw new Error(`revision ${workload.revision} is missing`);
  const pass = new WorkloadPass(
    deps,
    workload,
    newest,
    await deps.store.listClusters(workload.name),
    now,
  );
  if (workload.deleting) return deleteWorkload(pass, inventory);
  const spec = newest.record.spec;

  // ---- placement and failover
  const decision = decidePlacement({
    placement: spec.placement,
    clusters: inventory.clusters,
    inScope: c => {
      const served = inventory.byId.get(c.id);
      return served ? deps.inScope(newest.record.scope, served) : false;
    },
    placed: [...pass.rows.values()],
    graceSeconds: spec.failover.graceSeconds,
    now,
  });
  pass.targets = decision.targets;
  reportPlacement(pass, decision);
  await keepUnfit(pass, decision);

  // ---- the rollout of the newest revision
  let rollout: RolloutState | undefined = workload.rollout;
  if (!rollout || rollout.revision !== workload.revision) {
    rollout = startRollout(workload.revision, workload.stableRevision, now);
    pass.event({
      level: 'info',
      message: `rolling out revision ${workload.revision}${
        workload.stableRevision !== undefined
          ? ` (from revision ${workload.stableRevision})`
          : ''
      }: ${spec.rollout.maxConcurrent} cluster(s) per step, maxFailures ${
        spec.rollout.maxFailures
      }, soak ${spec.rollout.soakSeconds} s`,
    });
  }

  // ---- what each fit cluster runs, and how
  const fit = decision.targets.filter(t => t.fitness === 'fit');
  const paused = workload.paused;
  const targets: Target[] = [];
  const removals: Array<{ target: PlacementTarget; revision: number }> = [];
  for (const t of fit) {
    const row = pass.rows.get(t.cluster.id);
    const current = row?.revision ?? 0;
    if (row?.failedOver)
      pass.event({
        level: 'info',
        cluster: t.cluster.name,
        message: `${t.cluster.name} is ${t.cluster.health} again`,
      });
    const revision = paused
      ? current || undefined
      : revisionFor(t.cluster.id, rollout, workload.revision, current);
    if (revision === undefined) {
      if (!paused && rollout.state === 'failed' && current > 0)
        removals.push({ target: t, revision: current });
      else if (row)
        pass.next.set(t.cluster.id, {
          ...row,
          failedOver: false,
          unfitSince: undefined,
        });
      continue;
    }
    const target = await pass.target(t.cluster, revision, 'repair');
    if (!target) {
      pass.next.set(t.cluster.id, {
        ...pass.rowOf(t.cluster),
        error: `revision ${revision} is no longer kept`,
      });
      continue;
    }
    if (paused) target.mode = 'observe';
    else if (
      current !== revision ||
      !sameReplicas(row?.replicas ?? {}, target.replicas)
    )
      target.mode = 'apply';
    targets.push(target);
  }
  const outcomes = await pass.run(targets);
  for (const target of targets)
    await recordOutcome(pass, target, outcomes.get(target.cluster.id)!);

  let stable = workload.stableRevision;
  if (!paused && rollout.state === 'progressing') {
    const stepped = await stepRollout(pass, rollout, fit, outcomes);
    rollout = stepped.rollout;
    removals.push(...stepped.removals);
    if (rollout.state === 'complete') stable = rollout.revision;
  }

  // ---- a failed first revision, and clusters that no longer belong
  for (const { target, revision } of removals)
    await removeRevision(pass, target.cluster, revision);
  if (!paused) await removeGone(pass, decision);
  else
    for (const gone of decision.removed)
      pass.next.set(gone.clusterId, pass.rows.get(gone.clusterId)!);

  // ---- status
  const clusters = [...pass.next.values()].sort((a, b) =>
    a.clusterName.localeCompare(b.clusterName),
  );
  const status = aggregateStatus({
    revision: workload.revision,
    paused,
    deleting: false,
    rollout,
    clusters: clusters.map(statusOf),
    waiting: decision.targets.filter(t => t.fitness === 'waiting').length,
    inGrace: decision.targets
      .filter(t => t.fitness === 'grace')
      .map(t => t.cluster.name),
  });
  await deps.store.saveClusters(workload.name, clusters);
  await deps.store.saveStatus(workload.name, {
    phase: status.phase,
    reason: pass.say(status.reason),
    rollout,
    stableRevision: stable,
    observedGeneration: workload.generation,
  });
  await pass.writeEvents();

  // ---- when to look again
  let wake = decision.nextDeadline;
  if (!paused && rollout.state === 'progressing') {
    const at =
      rollout.inFlight.length || rollout.soakUntil === undefined
        ? now + deps.pollMs
        : rollout.soakUntil;
    wake = wake === undefined ? at : Math.min(wake, at);
  }
  return wake;
}

/** New clusters selected, and clusters out of the writer's scope (told once per revision). */
function reportPlacement(pass: WorkloadPass, decision: PlacementDecision) {
  const { workload, deps } = pass;
  for (const t of decision.targets) {
    if (!pass.rows.has(t.cluster.id) && t.fitness === 'fit')
      pass.event({
        level: 'info',
        cluster: t.cluster.name,
        message: `${t.cluster.name} matches the placement of revision ${workload.revision}`,
      });
  }
  for (const name of decision.outOfScope) {
    const key = `${workload.name}@${workload.revision}:${name}`;
    if (deps.warned.has(key)) continue;
    deps.warned.add(key);
    pass.event({
      level: 'warning',
      cluster: name,
      message: `${name} matches the placement but is outside the deploy scope of revision ${workload.revision}'s writer (multicluster.cluster.deploy): it gets nothing`,
    });
  }
}

/** Unfit clusters keep their rows: their share stays during the grace period, then moves. */
async function keepUnfit(pass: WorkloadPass, decision: PlacementDecision) {
  const spec = pass.newest.record.spec;
  const plan = await pass.plan(pass.workload.revision);
  for (const t of decision.targets) {
    if (t.fitness === 'waiting' || t.fitness === 'fit') continue;
    const row = pass.rows.get(t.cluster.id)!;
    const failedOver = t.fitness === 'failed-over';
    if (failedOver && !row.failedOver) {
      pass.event({
        level: 'warning',
        cluster: t.cluster.name,
        message: `failed over: ${t.cluster.name} has been ${
          t.cluster.health
        } for ${Math.round(
          (pass.now - (t.unfitSince ?? pass.now)) / 1000,
        )} s (grace ${
          spec.failover.graceSeconds
        } s); its replicas move to the other clusters`,
      });
    } else if (!failedOver && row.unfitSince === undefined) {
      pass.event({
        level: 'warning',
        cluster: t.cluster.name,
        message: `${t.cluster.name} is ${t.cluster.health}; its replicas move after ${spec.failover.graceSeconds} s unless it recovers`,
      });
    }
    pass.next.set(t.cluster.id, {
      ...row,
      clusterName: t.cluster.name,
      replicas: failedOver ? plan?.plan[t.cluster.name] ?? {} : row.replicas,
      failedOver,
      unfitSince: t.unfitSince,
    });
  }
}

/** Takes a revision's objects off a cluster (a first revision that failed). */
async function removeRevision(
  pass: WorkloadPass,
  cluster: { id: string; name: string },
  revision: number,
) {
  const r = await pass.revision(revision);
  const outcome = await pass.remove(
    r?.record.spec.namespace ?? pass.workload.namespace,
    cluster,
    r?.record.spec.manifests ?? [],
  );
  if (outcome.reached && !outcome.error) {
    pass.next.delete(cluster.id);
    pass.event({
      level: 'info',
      cluster: cluster.name,
      message: `removed revision ${revision} from ${cluster.name}`,
    });
  } else {
    pass.next.set(cluster.id, {
      ...pass.rowOf(cluster),
      error: pass.say(`removing revision ${revision}: ${outcome.error}`),
    });
  }
}

/** Clusters that stopped matching, left the scope or the inventory: delete or orphan. */
async function removeGone(pass: WorkloadPass, decision: PlacementDecision) {
  const spec = pass.newest.record.spec;
  for (const gone of decision.removed) {
    const row = pass.rows.get(gone.clusterId)!;
    const cluster = { id: gone.clusterId, name: gone.clusterName };
    const remove =
      spec.onClusterRemoved === 'delete' &&
      gone.inInventory &&
      row.revision > 0;
    if (remove) {
      const r = await pass.revision(row.revision);
      const outcome = await pass.remove(
        r?.record.spec.namespace ?? spec.namespace,
        cluster,
        r?.record.spec.manifests ?? [],
      );
      if (!outcome.reached || outcome.error) {
        pass.next.set(gone.clusterId, {
          ...row,
          error: pass.say(`being removed (${gone.reason}): ${outcome.error}`),
        });
        continue;
      }
    }
    const orphaned =
      !remove && row.revision > 0 && gone.inInventory
        ? ' (onClusterRemoved: orphan, its objects stay)'
        : '';
    pass.event({
      level: 'info',
      cluster: gone.clusterName,
      message: `${remove ? 'removed from' : 'left'} ${gone.clusterName}: ${
        gone.reason
      }${orphaned}`,
    });
  }
}
