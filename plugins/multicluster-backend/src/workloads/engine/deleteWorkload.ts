/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { aggregateStatus } from '../decide/status';
import type { InventorySnapshot } from '../inventory';
import type { ClusterRecord } from '../store/records';
import { statusOf } from './clusterRows';
import type { WorkloadPass } from './WorkloadPass';

/**
 * A deleted workload's pass: its objects leave every cluster it ran on
 * (unless `onClusterRemoved` is `orphan`), then the workload goes. A cluster
 * that does not answer is tried again each round until it has been
 * unreachable for the grace period, then given up on with a warning.
 */
export async function deleteWorkload(
  pass: WorkloadPass,
  inventory: InventorySnapshot,
): Promise<number | undefined> {
  const { deps, workload, say, now } = pass;
  const spec = pass.newest.record.spec;
  const orphan = spec.onClusterRemoved === 'orphan';
  const graceMs = spec.failover.graceSeconds * 1000;
  const left: ClusterRecord[] = [];
  for (const row of pass.rows.values()) {
    if (orphan || !inventory.byId.has(row.clusterId) || row.revision === 0)
      continue;
    const r = await pass.revision(row.revision);
    const outcome = await pass.remove(
      r?.record.spec.namespace ?? workload.namespace,
      { id: row.clusterId, name: row.clusterName },
      r?.record.spec.manifests ?? [],
    );
    if (outcome.reached && !outcome.error) continue;
    const unfitSince = outcome.reached ? undefined : row.unfitSince ?? now;
    if (unfitSince !== undefined && now - unfitSince >= graceMs) {
      pass.event({
        level: 'warning',
        cluster: row.clusterName,
        message: say(
          `gave up removing it from ${row.clusterName}, unreachable for ${spec.failover.graceSeconds} s: ${outcome.error}`,
        ),
      });
      continue;
    }
    left.push({
      ...row,
      unfitSince,
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
  await pass.writeEvents();
  return now + deps.pollMs * 5;
}
