/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { useRouteRef } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { FilterPredicate } from '@backstage/filter-predicates';
import {
  ANNOTATION_WORKLOAD,
  type Workload,
  type WorkloadPhase,
} from '@archipelago/multicluster-common';
import { workloadRouteRef, workloadsRouteRef } from '../routes';
import { type StatusTone, ToneStatus } from './status';

// How workload phases look (next to lib/status.tsx's maps for clusters and
// environments), links to the workload pages, and the card's condition.

/** How each workload phase looks and reads. */
export const WORKLOAD_PHASE_PRESENTATION: Record<
  WorkloadPhase,
  { label: string; tone: StatusTone; description: string }
> = {
  Available: {
    label: 'Available',
    tone: 'ok',
    description: 'Every cluster runs the revision with its replicas ready.',
  },
  Progressing: {
    label: 'Progressing',
    tone: 'running',
    description:
      'A revision is rolling out, or replicas are moving or starting.',
  },
  Degraded: {
    label: 'Degraded',
    tone: 'warning',
    description:
      'A cluster is unreachable, failed over, short of ready replicas or in error.',
  },
  Failed: {
    label: 'Failed',
    tone: 'error',
    description:
      'The rollout stopped past its tolerance; the touched clusters were rolled back.',
  },
  Paused: {
    label: 'Paused',
    tone: 'aborted',
    description: 'Nothing is written to its clusters until it is resumed.',
  },
};

/** A workload phase as a status indicator. */
export function WorkloadPhaseIndicator(props: { phase: string }) {
  const p = WORKLOAD_PHASE_PRESENTATION[props.phase as WorkloadPhase] ?? {
    label: props.phase,
    tone: 'pending' as StatusTone,
  };
  return <ToneStatus tone={p.tone}>{p.label}</ToneStatus>;
}

/** Poll quickly while a workload changes, rarely otherwise. */
export function workloadRefreshInterval(
  workloads: Workload | Workload[] | undefined,
): number {
  const list = Array.isArray(workloads) ? workloads : [workloads];
  return list.some(w => w && w.status.phase === 'Progressing') ? 5_000 : 30_000;
}

/** Link to a workload's page, or undefined when the workloads page is not installed. */
export function useWorkloadLink(): ((name: string) => string) | undefined {
  try {
    const route = useRouteRef(workloadRouteRef);
    return (name: string) => route({ name });
  } catch {
    return undefined;
  }
}

/** Link to the workloads page. */
export function useWorkloadsLink(): (() => string) | undefined {
  try {
    const route = useRouteRef(workloadsRouteRef);
    return () => route();
  } catch {
    return undefined;
  }
}

/**
 * True for entities that may have workloads: those naming one in
 * `archipelago.dev/workload`, and components (a workload names its
 * component as `entityRef`). The condition for the workloads card.
 * @public
 */
export function isWorkloadsAvailable(entity: Entity): boolean {
  return (
    Boolean(entity.metadata.annotations?.[ANNOTATION_WORKLOAD]?.trim()) ||
    entity.kind.toLocaleLowerCase('en-US') === 'component'
  );
}

/** The same condition as a filter predicate, for the new frontend system. */
export const workloadsCardFilter: FilterPredicate = {
  $any: [
    { [`metadata.annotations.${ANNOTATION_WORKLOAD}`]: { $exists: true } },
    { kind: 'component' },
  ],
};
