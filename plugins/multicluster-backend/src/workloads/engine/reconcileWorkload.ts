/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  describeManifest,
  type Manifest,
  manifestsForCluster,
  Redactor,
  secretValues,
  type WorkloadClusterOutcome,
  type WorkloadClusterTarget,
  type WorkloadReconciler,
} from '@archipelago/multicluster-node';
import type { Cluster } from '@archipelago/multicluster-common';
import {
  decidePlacement,
  type PlacementDecision,
  type PlacementTarget,
} from '../decide/placement';
import { planWorkloadReplicas } from '../decide/replicas';
import {
  advanceRollout,
  revisionFor,
  type RolloutState,
  startRollout,
  type StepObservation,
} from '../decide/rollout';
import { aggregateStatus } from '../decide/status';
import type { InventorySnapshot } from '../inventory';
import type {
  ClusterRecord,
  DeployScope,
  EventRecord,
  WorkloadRecord,
} from '../store/records';
import type { WorkloadStore } from '../store/WorkloadStore';
import type { OpenRevision, RevisionCache } from './revisions';
import { removeFrom, statusOf } from './clusterRows';

/** What one workload's pass needs. */
export interface PassDeps {
  store: WorkloadStore;
  revisions: RevisionCache;
  reconciler: WorkloadReconciler;
  logger: LoggerService;
  /** Whether a revision's writer may deploy to a cluster. */
  inScope: (scope: DeployScope, cluster: Cluster) => boolean;
  pollMs: number;
  eventLimit: number;
  signal?: AbortSignal;
  /** Out-of-scope clusters already told about, by `workload@revision:cluster` (in memory). */
  warned: Set<string>;
}

type NewEvent = Omit<EventRecord, 'id' | 'at'>;

/** What a fit cluster runs this pass. */
type Target = WorkloadClusterTarget & {
  namespace: string;
  replicas: Record<string, number>;
};

const sameReplicas = (a: Record<string, number>, b: Record<string, number>) =>
  JSON.stringify(Object.entries(a).sort()) ===
  JSON.stringify(Object.entries(b).sort());

/**
 * One reconcile pass over one workload: placement against the stored
 * inventory, failover, replica plan, the rollout step, apply or repair on
 * the fit clusters (through the reconciler), removal from clusters that no
 * longer belong, status, events. Returns when the workload next needs a
 * look without any change (a rollout in progress, a soak or a grace period
 * ending), or undefined.
 */
export async function reconcileWorkload(
  deps: PassDeps,
  workload: WorkloadRecord,
  inventory: InventorySnapshot,
  now: number,
): Promise<number | undefined> {
  const { store } = deps;
  const events: NewEvent[] = [];
  const rows = new Map(
    (await store.listClusters(workload.name)).map(r => [r.clusterId, r]),
  );
  const newest = await deps.revisions.get(workload.name, workload.revision);
  if (!newest) throw new Error(`revision ${workload.revision} is missing`);
  const spec = newest.record.spec;

  const opened = new Map<number, OpenRevision>([[workload.revision, newest]]);
  const revisionOf = async (revision: number) => {
    if (!opened.has(revision)) {
      const found = await deps.revisions.get(workload.name, revision);
      if (found) opened.set(revision, found);
    }
    return opened.get(revision);
  };
  const redactor = new Redactor(secretValues(newest.manifests));
  const say = (text: string) => redactor.redact(text);

  if (workload.deleting) {
    return deleteWorkload(deps, workload, rows, inventory, revisionOf, say);
  }

  // ---- placement, failover and the replica plan
  const decision = decidePlacement({
    placement: spec.placement,
    clusters: inventory.clusters,
    inScope: c => {
      const served = inventory.byId.get(c.id);
      return served ? deps.inScope(newest.record.scope, served) : false;
    },
    placed: [...rows.values()],
    graceSeconds: spec.failover.graceSeconds,
    now,
  });
  reportPlacementChanges(decision, rows, events, workload.revision);
  for (const name of decision.outOfScope) {
    const key = `${workload.name}@${workload.revision}:${name}`;
    if (deps.warned.has(key)) continue;
    deps.warned.add(key);
    events.push({
      level: 'warning',
      cluster: name,
      message: `${name} matches the placement but is outside the deploy scope of revision ${workload.revision}'s writer (multicluster.cluster.deploy): it gets nothing`,
    });
  }

  // ---- the rollout of the newest revision
  let rollout: RolloutState | undefined = workload.rollout;
  let stable = workload.stableRevision;
  if (!rollout || rollout.revision !== workload.revision) {
    rollout = startRollout(workload.revision, stable, now);
    events.push({
      level: 'info',
      message: `rolling out revision ${workload.revision}${
        stable !== undefined ? ` (from revision ${stable})` : ''
      }: ${spec.rollout.maxConcurrent} cluster(s) per step, maxFailures ${
        spec.rollout.maxFailures
      }, soak ${spec.rollout.soakSeconds} s`,
    });
  }

  const fit = decision.targets.filter(t => t.fitness === 'fit');
  const plans = new Map<number, ReturnType<typeof planWorkloadReplicas>>();
  const planFor = async (revision: number) => {
    if (!plans.has(revision)) {
      const r = await revisionOf(revision);
      if (!r) return undefined;
      plans.set(
        revision,
        planWorkloadReplicas({
          manifests: r.manifests,
          namespace: r.record.spec.namespace,
          replicas: r.record.spec.replicas,
          targets: decision.targets,
          placed: [...rows.values()],
        }),
      );
    }
    return plans.get(revision);
  };
  const objectsFor = async (revision: number, clusterName: string) => {
    const r = await revisionOf(revision);
    const plan = await planFor(revision);
    if (!r || !plan) return undefined;
    redactor.add(secretValues(r.manifests));
    return {
      objects: manifestsForCluster({
        manifests: r.manifests,
        namespace: r.record.spec.namespace,
        clusterName,
        replicas: plan.plan[clusterName] ?? {},
        overrides: r.record.spec.overrides,
      }),
      namespace: r.record.spec.namespace,
      replicas: plan.plan[clusterName] ?? {},
    };
  };

  // ---- rows of unfit clusters: kept, their replicas moved once failed over
  const next = new Map<string, ClusterRecord>();
  const newestPlan = (await planFor(workload.revision))!;
  for (const t of decision.targets) {
    if (t.fitness === 'waiting' || t.fitness === 'fit') continue;
    const row = rows.get(t.cluster.id)!;
    const failedOver = t.fitness === 'failed-over';
    if (failedOver && !row.failedOver) {
      events.push({
        level: 'warning',
        cluster: t.cluster.name,
        message: `failed over: ${t.cluster.name} has been ${
          t.cluster.health
        } for ${Math.round((now - (t.unfitSince ?? now)) / 1000)} s (grace ${
          spec.failover.graceSeconds
        } s); its replicas move to the other clusters`,
      });
    } else if (!failedOver && row.unfitSince === undefined) {
      events.push({
        level: 'warning',
        cluster: t.cluster.name,
        message: `${t.cluster.name} is ${t.cluster.health}; its replicas move after ${spec.failover.graceSeconds} s unless it recovers`,
      });
    }
    next.set(t.cluster.id, {
      ...row,
      clusterName: t.cluster.name,
      replicas: failedOver
        ? newestPlan.plan[t.cluster.name] ?? {}
        : row.replicas,
      failedOver,
      unfitSince: t.unfitSince,
    });
  }

  // ---- what each fit cluster runs, and how
  const paused = workload.paused;
  const targets: Target[] = [];
  const removals: Array<{ target: PlacementTarget; revision: number }> = [];
  for (const t of fit) {
    const row = rows.get(t.cluster.id);
    const current = row?.revision ?? 0;
    if (row?.failedOver)
      events.push({
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
        next.set(t.cluster.id, {
          ...row,
          failedOver: false,
          unfitSince: undefined,
        });
      continue;
    }
    const built = await objectsFor(revision, t.cluster.name);
    if (!built) {
      next.set(t.cluster.id, {
        ...(row ?? emptyRow(workload.name, t)),
        error: `revision ${revision} is no longer kept`,
      });
      continue;
    }
    let mode: WorkloadClusterTarget['mode'] = 'repair';
    if (paused) mode = 'observe';
    else if (
      current !== revision ||
      !sameReplicas(row?.replicas ?? {}, built.replicas)
    )
      mode = 'apply';
    targets.push({
      cluster: { id: t.cluster.id, name: t.cluster.name },
      revision,
      objects: built.objects,
      mode,
      namespace: built.namespace,
      replicas: built.replicas,
    });
  }

  const outcomes = await run(deps, workload.name, targets);
  for (const target of targets) {
    const outcome = outcomes.get(target.cluster.id)!;
    const row = rows.get(target.cluster.id);
    next.set(
      target.cluster.id,
      await recordOutcome(
        deps,
        workload,
        target,
        outcome,
        row,
        events,
        say,
        revisionOf,
        now,
      ),
    );
  }

  // ---- the rollout step
  if (!paused && rollout.state === 'progressing') {
    const observations = new Map<string, StepObservation>();
    for (const [id, o] of outcomes) {
      observations.set(id, {
        ready: o.reached && !o.error && o.ready,
        failed: Boolean(o.failed || (o.reached && o.error)),
        ...(o.reason || o.error
          ? { reason: say(o.error ?? o.reason ?? '') }
          : {}),
      });
    }
    const advance = advanceRollout({
      state: rollout,
      targets: fit.map(t => t.cluster.id),
      observations,
      settings: spec.rollout,
      now,
    });
    rollout = advance.state;
    const nameOf = (id: string) =>
      inventory.byId.get(id)?.name ?? rows.get(id)?.clusterName ?? id;
    for (const s of advance.settled)
      events.push({
        level: s.ok ? 'info' : 'error',
        cluster: nameOf(s.clusterId),
        message: s.ok
          ? `revision ${rollout.revision} is ready on ${nameOf(s.clusterId)}`
          : `revision ${rollout.revision} failed on ${nameOf(s.clusterId)}: ${
              s.reason
            }`,
      });
    if (advance.start.length) {
      events.push({
        level: 'info',
        message: `step ${rollout.step}: applying revision ${
          rollout.revision
        } to ${advance.start.map(nameOf).join(', ')}`,
      });
      const stepTargets: Target[] = [];
      for (const id of advance.start) {
        const built = await objectsFor(rollout.revision, nameOf(id));
        if (built)
          stepTargets.push({
            cluster: { id, name: nameOf(id) },
            revision: rollout.revision,
            objects: built.objects,
            mode: 'apply' as const,
            namespace: built.namespace,
            replicas: built.replicas,
          });
      }
      const stepOutcomes = await run(deps, workload.name, stepTargets);
      for (const target of stepTargets)
        next.set(
          target.cluster.id,
          await recordOutcome(
            deps,
            workload,
            target,
            stepOutcomes.get(target.cluster.id)!,
            next.get(target.cluster.id) ?? rows.get(target.cluster.id),
            events,
            say,
            revisionOf,
            now,
          ),
        );
    }
    if (advance.stopped) {
      const back = rollout.fromRevision;
      events.push({
        level: 'error',
        message: `rollout of revision ${rollout.revision} stopped: ${say(
          rollout.reason ?? '',
        )}; ${
          back !== undefined
            ? `rolling the touched clusters back to revision ${back}`
            : 'removing its objects from the touched clusters'
        }`,
      });
      const touched = [
        ...rollout.done,
        ...rollout.failed.map(f => f.clusterId),
      ].filter(id => fit.some(t => t.cluster.id === id));
      if (back !== undefined) {
        const backTargets: Target[] = [];
        for (const id of touched) {
          const built = await objectsFor(back, nameOf(id));
          if (built)
            backTargets.push({
              cluster: { id, name: nameOf(id) },
              revision: back,
              objects: built.objects,
              mode: 'apply' as const,
              namespace: built.namespace,
              replicas: built.replicas,
            });
        }
        const backOutcomes = await run(deps, workload.name, backTargets);
        for (const target of backTargets)
          next.set(
            target.cluster.id,
            await recordOutcome(
              deps,
              workload,
              target,
              backOutcomes.get(target.cluster.id)!,
              next.get(target.cluster.id),
              events,
              say,
              revisionOf,
              now,
            ),
          );
      } else {
        for (const id of touched) {
          const t = fit.find(f => f.cluster.id === id)!;
          removals.push({ target: t, revision: rollout.revision });
        }
      }
    }
    if (rollout.state === 'complete') {
      stable = rollout.revision;
      events.push({
        level: 'info',
        message: `revision ${rollout.revision} rolled out to ${
          rollout.done.length
        } cluster(s)${
          rollout.failed.length
            ? `, ${rollout.failed.length} failed within maxFailures`
            : ''
        }`,
      });
    }
  }

  // ---- objects of a failed first revision, and clusters that no longer belong
  for (const { target, revision } of removals) {
    const r = await revisionOf(revision);
    const outcome = await removeFrom(
      deps,
      workload.name,
      spec.namespace,
      target.cluster,
      r?.record.spec.manifests ?? [],
    );
    const row = next.get(target.cluster.id) ?? rows.get(target.cluster.id);
    if (outcome.reached && !outcome.error) {
      next.delete(target.cluster.id);
      events.push({
        level: 'info',
        cluster: target.cluster.name,
        message: `removed revision ${revision} from ${target.cluster.name}`,
      });
    } else if (row) {
      next.set(target.cluster.id, {
        ...row,
        error: say(`removing revision ${revision}: ${outcome.error}`),
      });
    }
  }
  for (const gone of decision.removed) {
    const row = rows.get(gone.clusterId)!;
    if (paused) {
      next.set(gone.clusterId, row);
      continue;
    }
    const r = await revisionOf(row.revision);
    const remove =
      spec.onClusterRemoved === 'delete' &&
      gone.inInventory &&
      row.revision > 0;
    if (remove) {
      const outcome = await removeFrom(
        deps,
        workload.name,
        r?.record.spec.namespace ?? spec.namespace,
        { id: gone.clusterId, name: gone.clusterName },
        r?.record.spec.manifests ?? [],
      );
      if (!outcome.reached || outcome.error) {
        next.set(gone.clusterId, {
          ...row,
          error: say(`being removed (${gone.reason}): ${outcome.error}`),
        });
        continue;
      }
    }
    events.push({
      level: 'info',
      cluster: gone.clusterName,
      message: `${remove ? 'removed from' : 'left'} ${gone.clusterName}: ${
        gone.reason
      }${
        remove
          ? ''
          : row.revision > 0 && gone.inInventory
          ? ' (onClusterRemoved: orphan, its objects stay)'
          : ''
      }`,
    });
  }

  // ---- status
  const clusters = [...next.values()].sort((a, b) =>
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
  await store.saveClusters(workload.name, clusters);
  await store.saveStatus(workload.name, {
    phase: status.phase,
    reason: say(status.reason),
    rollout,
    stableRevision: stable,
    observedGeneration: workload.generation,
  });
  await writeEvents(deps, workload.name, events, say);

  // ---- when to look again
  let wake = decision.nextDeadline;
  if (!paused && rollout.state === 'progressing') {
    const at = rollout.inFlight.length
      ? now + deps.pollMs
      : rollout.soakUntil ?? now + deps.pollMs;
    wake = wake === undefined ? at : Math.min(wake, at);
  }
  return wake;
}

/** Runs the reconciler over targets; outcomes by cluster id. */
async function run(
  deps: PassDeps,
  workload: string,
  targets: Target[],
): Promise<Map<string, WorkloadClusterOutcome>> {
  // One call per namespace: revisions may differ in namespace.
  const byNamespace = new Map<string, Target[]>();
  for (const t of targets)
    byNamespace.set(t.namespace, [...(byNamespace.get(t.namespace) ?? []), t]);
  const all = await Promise.all(
    [...byNamespace].map(([namespace, list]) =>
      deps.reconciler.reconcile(
        {
          workload,
          namespace,
          targets: list.map(({ cluster, revision, objects, mode }) => ({
            cluster,
            revision,
            objects,
            mode,
          })),
        },
        { signal: deps.signal },
      ),
    ),
  );
  return new Map(all.flat().map(o => [o.clusterId, o]));
}

/** A cluster's row after the reconciler's outcome, and its events. */
async function recordOutcome(
  deps: PassDeps,
  workload: WorkloadRecord,
  target: Target,
  outcome: WorkloadClusterOutcome,
  row: ClusterRecord | undefined,
  events: NewEvent[],
  say: (text: string) => string,
  revisionOf: (revision: number) => Promise<OpenRevision | undefined>,
  now: number,
): Promise<ClusterRecord> {
  const name = target.cluster.name;
  const ok = outcome.reached && !outcome.error;
  const base = row ?? {
    workload: workload.name,
    clusterId: target.cluster.id,
    clusterName: name,
    revision: 0,
    replicas: {},
    desiredReplicas: 0,
    readyReplicas: 0,
    drift: [],
    failedOver: false,
  };
  if (outcome.drift.length) {
    const repaired = target.mode === 'repair' && ok;
    events.push({
      level: 'warning',
      cluster: name,
      message: say(
        `drift on ${name}: ${outcome.drift.slice(0, 20).join('; ')}${
          outcome.drift.length > 20
            ? ` (and ${outcome.drift.length - 20} more)`
            : ''
        }${
          repaired
            ? '; repaired'
            : target.mode === 'observe'
            ? '; not repaired while paused'
            : ''
        }`,
      ),
    });
  }
  if (target.mode === 'apply' && ok) {
    events.push({
      level: 'info',
      cluster: name,
      message: `applied revision ${target.revision} to ${name} (${
        outcome.applied
      } objects${
        Object.keys(target.replicas).length
          ? `, replicas ${Object.entries(target.replicas)
              .map(([k, n]) => `${k}=${n}`)
              .join(', ')}`
          : ''
      })`,
    });
    // Objects the previous revision had and this one has not are pruned.
    if (base.revision > 0 && base.revision !== target.revision) {
      const before = await revisionOf(base.revision);
      const gone = (before?.record.spec.manifests ?? []).filter(
        m =>
          !target.objects.some(o =>
            sameObject(o, m, before!.record.spec.namespace, workload.namespace),
          ),
      );
      if (gone.length) {
        const removed = await removeFrom(
          deps,
          workload.name,
          before!.record.spec.namespace,
          target.cluster,
          gone,
        );
        if (removed.reached && !removed.error)
          events.push({
            level: 'info',
            cluster: name,
            message: `pruned ${gone
              .map(m => describeManifest(m, before!.record.spec.namespace))
              .join(', ')} from ${name}`,
          });
      }
    }
  }
  const error = outcome.error ? say(outcome.error) : undefined;
  if (error && error !== base.error)
    events.push({
      level: 'error',
      cluster: name,
      message: `${name}: ${error}`,
    });
  return {
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
  };
}

function sameObject(
  a: Manifest,
  b: Manifest,
  nsA: string,
  nsB: string,
): boolean {
  return (
    a.apiVersion.split('/')[0] === b.apiVersion.split('/')[0] &&
    a.kind === b.kind &&
    a.metadata.name === b.metadata.name &&
    nsA === nsB
  );
}

function emptyRow(workload: string, t: PlacementTarget): ClusterRecord {
  return {
    workload,
    clusterId: t.cluster.id,
    clusterName: t.cluster.name,
    revision: 0,
    replicas: {},
    desiredReplicas: 0,
    readyReplicas: 0,
    drift: [],
    failedOver: false,
  };
}

/** New clusters selected or out of scope, told once per revision. */
function reportPlacementChanges(
  decision: PlacementDecision,
  rows: Map<string, ClusterRecord>,
  events: NewEvent[],
  revision: number,
) {
  for (const t of decision.targets) {
    if (!rows.has(t.cluster.id) && t.fitness === 'fit')
      events.push({
        level: 'info',
        cluster: t.cluster.name,
        message: `${t.cluster.name} matches the placement of revision ${revision}`,
      });
  }
}

async function writeEvents(
  deps: PassDeps,
  name: string,
  events: NewEvent[],
  say: (text: string) => string,
) {
  if (events.length === 0) return;
  const safe = events.map(e => ({ ...e, message: say(e.message) }));
  for (const e of safe) {
    const line = `Workload ${name}: ${e.message}`;
    if (e.level === 'error') deps.logger.error(line);
    else if (e.level === 'warning') deps.logger.warn(line);
    else deps.logger.debug(line);
  }
  await deps.store.addEvents(name, safe);
  await deps.store.pruneEvents(name, deps.eventLimit);
}

/** Takes a deleted workload off its clusters, then removes it. */
async function deleteWorkload(
  deps: PassDeps,
  workload: WorkloadRecord,
  rows: Map<string, ClusterRecord>,
  inventory: InventorySnapshot,
  revisionOf: (revision: number) => Promise<OpenRevision | undefined>,
  say: (text: string) => string,
): Promise<number | undefined> {
  const newest = await revisionOf(workload.revision);
  const orphan = newest?.record.spec.onClusterRemoved === 'orphan';
  const left: ClusterRecord[] = [];
  const events: NewEvent[] = [];
  for (const row of rows.values()) {
    const cluster = inventory.byId.get(row.clusterId);
    if (orphan || !cluster || row.revision === 0) continue;
    const r = await revisionOf(row.revision);
    const outcome = await removeFrom(
      deps,
      workload.name,
      r?.record.spec.namespace ?? workload.namespace,
      { id: row.clusterId, name: row.clusterName },
      r?.record.spec.manifests ?? [],
    );
    if (outcome.reached && !outcome.error) continue;
    const unfitFor =
      row.unfitSince !== undefined ? Date.now() - row.unfitSince : 0;
    const grace = (newest?.record.spec.failover.graceSeconds ?? 60) * 1000;
    if (!outcome.reached && unfitFor >= grace) {
      events.push({
        level: 'warning',
        cluster: row.clusterName,
        message: say(
          `gave up removing it from ${row.clusterName}, unreachable: ${outcome.error}`,
        ),
      });
      continue;
    }
    left.push({
      ...row,
      unfitSince: outcome.reached ? undefined : row.unfitSince ?? Date.now(),
      error: say(`being removed: ${outcome.error}`),
    });
  }
  if (left.length === 0) {
    await deps.store.delete(workload.name);
    deps.revisions.forget(workload.name);
    deps.logger.info(`Workload ${workload.name} deleted`);
    return undefined;
  }
  await deps.store.saveClusters(workload.name, left);
  const status = aggregateStatus({
    revision: workload.revision,
    paused: false,
    deleting: true,
    clusters: left.map(statusOf),
    waiting: 0,
    inGrace: [],
  });
  await deps.store.saveStatus(workload.name, {
    phase: status.phase,
    reason: status.reason,
    rollout: workload.rollout,
    stableRevision: workload.stableRevision,
    observedGeneration: workload.generation,
  });
  await writeEvents(deps, workload.name, events, say);
  return Date.now() + deps.pollMs * 5;
}
