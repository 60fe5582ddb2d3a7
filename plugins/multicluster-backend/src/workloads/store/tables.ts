/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// The workloads tables (migrations/20261125_30_workloads.js), named once.

export const TABLE_WORKLOADS = 'workloads';
export const TABLE_WORKLOAD_REVISIONS = 'workload_revisions';
export const TABLE_WORKLOAD_CLUSTERS = 'workload_clusters';
export const TABLE_WORKLOAD_EVENTS = 'workload_events';
export const TABLE_WORKLOAD_ROUNDS = 'workload_rounds';
