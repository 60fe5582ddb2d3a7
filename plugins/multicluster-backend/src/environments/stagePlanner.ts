/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  ComponentKind,
  EnvironmentCost,
} from '@archipelago/multicluster-common';

/** A node of the component graph. */
export interface GraphNode {
  key: string;
  dependsOn: string[];
}

/**
 * Kahn's algorithm by levels: stage n holds the components whose dependencies
 * are all in earlier stages, so each stage can run in parallel. Keys are
 * sorted inside a stage so plans are deterministic. Throws naming the
 * components of a cycle, or an unknown dependency.
 */
export function topologicalStages(nodes: GraphNode[]): string[][] {
  const keys = new Set(nodes.map(n => n.key));
  for (const n of nodes) {
    for (const d of n.dependsOn) {
      if (!keys.has(d))
        throw new Error(`component ${n.key} depends on unknown component ${d}`);
    }
  }
  const remaining = new Map(nodes.map(n => [n.key, new Set(n.dependsOn)]));
  const stages: string[][] = [];
  while (remaining.size > 0) {
    const ready = [...remaining.entries()]
      .filter(([, deps]) => deps.size === 0)
      .map(([k]) => k)
      .sort();
    if (ready.length === 0) {
      const cycle = [...remaining.keys()].sort();
      throw new Error(
        `components depend on each other in a cycle: ${cycle.join(', ')}`,
      );
    }
    stages.push(ready);
    for (const k of ready) remaining.delete(k);
    for (const deps of remaining.values())
      for (const k of ready) deps.delete(k);
  }
  return stages;
}

/**
 * Reverse order for teardown: a component is deleted only after every
 * component that depends on it, and independent ones together.
 */
export function reverseStages(nodes: GraphNode[]): string[][] {
  return topologicalStages(nodes).reverse();
}

/** One component of a concrete environment plan. */
export interface PlannedComponent {
  key: string;
  kind: ComponentKind;
  template: string;
  driver: string;
  description?: string;
  /** Merged inputs (template, mapping, request); references still unresolved. */
  inputs: Record<string, unknown>;
  dependsOn: string[];
  /** Estimated price per hour (the template's). */
  hourlyPrice?: number;
}

/** What an environment will be made of, and in which order. */
export interface EnvironmentPlan {
  type: string;
  cloud: string;
  components: PlannedComponent[];
  /** Components that run together, stage after stage. */
  stages: string[][];
  /** Estimated cost of the components, from their templates' prices. */
  cost?: EnvironmentCost;
}

/**
 * The components that can start now: not started or interrupted, and every
 * dependency ready. Pure, so the engine's scheduling is table-tested.
 */
export function runnableComponents(
  components: Array<{ key: string; dependsOn: string[]; status: string }>,
): string[] {
  const status = new Map(components.map(c => [c.key, c.status]));
  return components
    .filter(c => c.status === 'pending' || c.status === 'creating')
    .filter(c => c.dependsOn.every(d => status.get(d) === 'ready'))
    .map(c => c.key);
}

/**
 * The components that can be deleted now, in reverse dependency order: those
 * that may exist, whose dependents are all gone (or never existed).
 */
export function deletableComponents(
  components: Array<{ key: string; dependsOn: string[]; status: string }>,
): string[] {
  const gone = (s: string) => s === 'deleted' || s === 'pending';
  return components
    .filter(c => !gone(c.status))
    .filter(c =>
      components.every(
        other => !other.dependsOn.includes(c.key) || gone(other.status),
      ),
    )
    .map(c => c.key);
}
