/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import type { Faults, FaultsInput, ResolvedClusterOptions } from '../options';
import type { LightRole } from '../light/cluster';

// Messages between a worker fleet (the parent) and its worker processes, over the IPC channel
// of child_process.fork. Every request carries an id; the worker answers each with a Reply.

/** One cluster for a worker to start: its options are the shared defaults plus these. */
export interface ClusterAssignment {
  name: string;
  port: number;
  tokens: Record<LightRole, string>;
  /** Resolved options that differ from the defaults (perCluster overrides). */
  overrides?: Partial<ResolvedClusterOptions>;
}

/** What the parent asks a worker to do. */
export type RequestBody =
  | {
      op: 'start';
      defaults: ResolvedClusterOptions;
      clusters: ClusterAssignment[];
    }
  | { op: 'setFaults'; names: string[]; faults: FaultsInput }
  | { op: 'stopCluster' | 'startCluster'; name: string }
  | { op: 'memory' }
  | { op: 'shutdown' };

export type Request = RequestBody & { id: number };

export interface Started {
  caData: string;
  clusters: Array<{ name: string; port: number }>;
}

export interface ClusterState {
  running: boolean;
  port: number;
  faults: Faults;
}

export type Reply =
  | { id: number; ok: true; result?: unknown }
  | { id: number; ok: false; error: string };
