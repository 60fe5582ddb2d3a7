/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  ComponentChangeAction,
  ComponentKind,
  ComponentStatusValue,
  EnvironmentChangePlan,
} from '@archipelago/multicluster-common';
import type { EnvironmentPlan } from '../stagePlanner';

// The persisted form of a change in progress: on the environment row (what
// the change is and which phase it is in) and on each component row (its
// step). Every step is one row update, so a restarted backend resumes the
// change where the last one stopped, like a create.

/** The desired state a change moves the environment to. */
export interface ChangeTarget {
  type: string;
  cloud: string;
  /** Request inputs (per component). */
  inputs: Record<string, unknown>;
  requestHash: string;
  plan: EnvironmentPlan;
  ttlMinutes?: number;
  expiresAt?: number;
}

/** `environments.change`: the change being applied, or reverted after a failure. */
export interface PendingChange {
  operation: 'update' | 'rollback' | 'heal';
  /** The revision applying creates (the current one for a heal). */
  revision: number;
  fromRevision: number;
  /** For a rollback: the revision it restores. */
  restores?: number;
  phase: 'apply' | 'revert';
  target: ChangeTarget;
  /** The plan as the caller saw it (served while updating). */
  plan: EnvironmentChangePlan;
  /** Why the apply failed, once it did. */
  failure?: string;
  startedAt: number;
}

/** A component as it was before the change: enough to revert to it or delete it. */
export interface ComponentSnapshot {
  kind: ComponentKind;
  template: string;
  driver: string;
  inputs: Record<string, unknown>;
  dependsOn: string[];
  position: number;
  generation: number;
  resourceName: string;
  capabilities: Record<string, unknown>;
  state?: Record<string, unknown>;
  status: ComponentStatusValue;
}

/** The target of one component: what the plan says it becomes. */
export interface ComponentTarget {
  kind: ComponentKind;
  template: string;
  driver: string;
  inputs: Record<string, unknown>;
  dependsOn: string[];
  position: number;
}

/** Steps of a component's part of a change. */
export type ComponentChangeStep =
  | 'pending'
  | 'applying'
  | 'applied'
  | 'failed'
  | 'reverting'
  | 'reverted'
  | 'revert-failed';

/** `environment_components.change`: this component's step of the change. */
export interface ComponentChange {
  action: Exclude<ComponentChangeAction, 'unchanged'>;
  step: ComponentChangeStep;
  /** Absent for `delete`. */
  target?: ComponentTarget;
  /** Absent for `create`. */
  previous?: ComponentSnapshot;
  /** For `replace`: the new resource, once its create started. */
  next?: { generation: number; resourceName: string };
  error?: string;
}
