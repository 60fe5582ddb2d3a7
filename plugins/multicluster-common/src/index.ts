/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * Common library for the multicluster plugin: types, capability contracts,
 * permissions, label selectors, placement, per-cluster overrides, the KubeFed
 * replica planner, environment types, workloads and the REST client. Isomorphic: it runs
 * in browsers and in Node.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './capabilities';
export * from './validation';
export * from './labelSelector';
export * from './placement';
export * from './overrides';
export * from './replicaPlanner';
export * from './capacity';
export * from './limits';
export * from './permissions';
export * from './environments';
export * from './workloads';
export * from './workloadDns';
export * from './environmentChanges';
export * from './api/types';
export * from './api/MulticlusterApi';
export * from './api/MulticlusterClient';
export * from './teams';
