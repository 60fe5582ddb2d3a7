/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type Cluster,
  replicaCapacity,
} from '@archipelago/multicluster-common';
import type { Knex } from 'knex';
import { TABLE_CLUSTERS } from '../database/tables';
import { rowToCluster } from '../inventory/rows';
import type { InventoryCluster } from './decide/placement';

/** The stored inventory as the workloads engine reads it each round. */
export interface InventorySnapshot {
  /** By inventory order (name). */
  clusters: InventoryCluster[];
  /** The served form, for permission rules (deploy scope). */
  byId: Map<string, Cluster>;
  /** Changes when a cluster joins, leaves, or changes health or labels. */
  fingerprint: string;
}

/**
 * Reads every cluster of the stored inventory: the reconciler places on
 * what the prober last recorded, never on a live call.
 */
export async function readInventory(db: Knex): Promise<InventorySnapshot> {
  const rows = await db(TABLE_CLUSTERS).select().orderBy('name');
  const byId = new Map<string, Cluster>();
  const clusters: InventoryCluster[] = [];
  const parts: string[] = [];
  for (const row of rows) {
    const cluster = rowToCluster(row, []);
    byId.set(cluster.id, cluster);
    const capacity = replicaCapacity(cluster);
    clusters.push({
      id: cluster.id,
      name: cluster.name,
      labels: cluster.labels,
      health: cluster.status.health,
      ...(capacity !== undefined ? { capacity } : {}),
    });
    parts.push(`${cluster.id}:${cluster.status.health}:${row.labels}`);
  }
  return { clusters, byId, fingerprint: parts.join('|') };
}
