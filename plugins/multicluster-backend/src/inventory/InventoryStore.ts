/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Knex } from 'knex';
import { DiscoveryWriter } from './DiscoveryWriter';
import { InventoryQueries } from './InventoryQueries';
import { ProbeRecorder } from './ProbeRecorder';
import type { InventoryQueriesOptions } from './types';

export type {
  ClusterAccessFilter,
  ClusterLabelCondition,
  ClusterListQuery,
  ClusterSort,
  DiscoveryOutcome,
  InventoryQueriesOptions,
  ProbeOutcome,
  ProbeTarget,
} from './types';
export { CLUSTER_SORTS } from './types';

/**
 * The inventory's persistence, one object over the shared tables
 * (database/tables.ts) with its three roles apart: the discovery writer, the
 * probe recorder and the read queries. Scheduled tasks use the writers, REST
 * only the queries.
 */
export class InventoryStore {
  readonly discovery: DiscoveryWriter;
  readonly probes: ProbeRecorder;
  readonly queries: InventoryQueries;

  constructor(db: Knex, options: InventoryQueriesOptions = {}) {
    this.discovery = new DiscoveryWriter(db);
    this.probes = new ProbeRecorder(db);
    this.queries = new InventoryQueries(db, options);
  }

  // Discovery writer.
  applyDiscovery: DiscoveryWriter['applyDiscovery'] = (...args) =>
    this.discovery.applyDiscovery(...args);
  analyze: DiscoveryWriter['analyze'] = () => this.discovery.analyze();

  // Probe recorder.
  listProbeTargets: ProbeRecorder['listProbeTargets'] = ids =>
    this.probes.listProbeTargets(ids);
  startProbeRound: ProbeRecorder['startProbeRound'] = (...args) =>
    this.probes.startProbeRound(...args);
  listProbeRounds: ProbeRecorder['listProbeRounds'] = limit =>
    this.probes.listProbeRounds(limit);
  recordProbeRound: ProbeRecorder['recordProbeRound'] = (...args) =>
    this.probes.recordProbeRound(...args);

  // Read queries.
  getRevision: InventoryQueries['getRevision'] = () =>
    this.queries.getRevision();
  listProviderRuns: InventoryQueries['listProviderRuns'] = () =>
    this.queries.listProviderRuns();
  getHealthHistory: InventoryQueries['getHealthHistory'] = (...args) =>
    this.queries.getHealthHistory(...args);
  listClusters: InventoryQueries['listClusters'] = (...args) =>
    this.queries.listClusters(...args);
  getCluster: InventoryQueries['getCluster'] = (...args) =>
    this.queries.getCluster(...args);
  accessibleIds: InventoryQueries['accessibleIds'] = (...args) =>
    this.queries.accessibleIds(...args);
  summary: InventoryQueries['summary'] = access => this.queries.summary(access);
  countByHealth: InventoryQueries['countByHealth'] = (...args) =>
    this.queries.countByHealth(...args);
}
