/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ComponentType, PropsWithChildren, ReactNode } from 'react';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type {
  ClusterHealth,
  ComponentStatusValue,
  EnvironmentEventLevel,
  EnvironmentStatus,
} from '@archipelago/multicluster-common';

/**
 * The one place that decides how a state looks. Every card, table and strip
 * goes through these maps, so "degraded" is the same yellow everywhere.
 */

/** A visual tone; each maps to a Backstage status component and palette colour. */
export type StatusTone =
  | 'ok'
  | 'warning'
  | 'error'
  | 'pending'
  | 'running'
  | 'aborted';

interface Presentation {
  label: string;
  tone: StatusTone;
  /** One line for tooltips and legends. */
  description: string;
}

/** How each cluster health looks and reads. */
export const HEALTH_PRESENTATION: Record<ClusterHealth, Presentation> = {
  healthy: {
    label: 'Healthy',
    tone: 'ok',
    description: 'The API server is ready and its nodes are ready.',
  },
  degraded: {
    label: 'Degraded',
    tone: 'warning',
    description:
      'The API server answers, but some checks or nodes are failing.',
  },
  unhealthy: {
    label: 'Unhealthy',
    tone: 'error',
    description: 'The API server reports that it is not ready.',
  },
  unreachable: {
    label: 'Unreachable',
    tone: 'error',
    description: 'The API server did not answer the last probes.',
  },
  unauthorized: {
    label: 'Unauthorized',
    tone: 'aborted',
    description: 'The API server rejected the credentials Archipelago uses.',
  },
  unknown: {
    label: 'Unknown',
    tone: 'pending',
    description: 'Not probed yet.',
  },
};

/**
 * Worst first, for "what needs attention" orderings. Differs from
 * CLUSTER_HEALTHS (best first, the API's order): a cluster we cannot reach is
 * a bigger worry than one we have not probed yet.
 */
const HEALTH_SEVERITY: readonly ClusterHealth[] = [
  'unreachable',
  'unhealthy',
  'unauthorized',
  'degraded',
  'unknown',
  'healthy',
];

/** Compares healths so that sorting puts the worst first. */
export function compareHealthWorstFirst(
  a: ClusterHealth,
  b: ClusterHealth,
): number {
  return severityIndex(a) - severityIndex(b);
}

function severityIndex(health: ClusterHealth): number {
  const i = HEALTH_SEVERITY.indexOf(health);
  // A health this build does not know (a newer backend) sorts with `unknown`.
  return i === -1 ? HEALTH_SEVERITY.indexOf('unknown') : i;
}

/** Presentation of a health, tolerating values a newer backend may add. */
export function healthPresentation(health: string): Presentation {
  return (
    HEALTH_PRESENTATION[health as ClusterHealth] ?? {
      label: health,
      tone: 'pending',
      description: 'A health this version of the plugin does not know.',
    }
  );
}

/** How each environment status looks. */
export const ENVIRONMENT_STATUS_PRESENTATION: Record<
  EnvironmentStatus,
  Presentation
> = {
  pending: {
    label: 'Pending',
    tone: 'pending',
    description: 'Waiting to be provisioned.',
  },
  provisioning: {
    label: 'Provisioning',
    tone: 'running',
    description: 'Components are being created.',
  },
  ready: {
    label: 'Ready',
    tone: 'ok',
    description: 'Every component is ready.',
  },
  updating: {
    label: 'Updating',
    tone: 'running',
    description:
      'A change is being applied; on failure it returns to the previous revision.',
  },
  failed: {
    label: 'Failed',
    tone: 'error',
    description: 'Provisioning failed.',
  },
  'rolling-back': {
    label: 'Rolling back',
    tone: 'warning',
    description: 'A step failed; what was created is being removed.',
  },
  destroying: {
    label: 'Destroying',
    tone: 'running',
    description: 'Components are being deleted.',
  },
  destroyed: {
    label: 'Destroyed',
    tone: 'aborted',
    description: 'Every component was deleted.',
  },
};

/** How each component status looks. */
export const COMPONENT_STATUS_PRESENTATION: Record<
  ComponentStatusValue,
  Presentation
> = {
  pending: {
    label: 'Pending',
    tone: 'pending',
    description: 'Waiting for its dependencies.',
  },
  creating: {
    label: 'Creating',
    tone: 'running',
    description: 'Being created.',
  },
  ready: {
    label: 'Ready',
    tone: 'ok',
    description: 'Created; its capabilities are available.',
  },
  failed: { label: 'Failed', tone: 'error', description: 'Creation failed.' },
  deleting: {
    label: 'Deleting',
    tone: 'running',
    description: 'Being deleted.',
  },
  deleted: { label: 'Deleted', tone: 'aborted', description: 'Deleted.' },
  drifted: {
    label: 'Drifted',
    tone: 'warning',
    description: 'What runs no longer matches what was created.',
  },
};

/** How each event level looks on a timeline. */
export const EVENT_LEVEL_PRESENTATION: Record<
  EnvironmentEventLevel,
  Presentation
> = {
  info: { label: 'Info', tone: 'ok', description: 'A step went as planned.' },
  warning: {
    label: 'Warning',
    tone: 'warning',
    description: 'Something needs attention.',
  },
  error: { label: 'Error', tone: 'error', description: 'A step failed.' },
};

function lookup<K extends string>(
  table: Record<K, Presentation>,
  value: string,
): Presentation {
  return (
    table[value as K] ?? { label: value, tone: 'pending', description: value }
  );
}

export function environmentStatusPresentation(status: string): Presentation {
  return lookup(ENVIRONMENT_STATUS_PRESENTATION, status);
}

export function componentStatusPresentation(status: string): Presentation {
  return lookup(COMPONENT_STATUS_PRESENTATION, status);
}

export function eventLevelPresentation(level: string): Presentation {
  return lookup(EVENT_LEVEL_PRESENTATION, level);
}

const TONE_COMPONENTS: Record<
  StatusTone,
  ComponentType<PropsWithChildren<{}>>
> = {
  ok: StatusOK,
  warning: StatusWarning,
  error: StatusError,
  pending: StatusPending,
  running: StatusRunning,
  aborted: StatusAborted,
};

/** A Backstage status indicator with a label, for any tone. */
export function ToneStatus(props: { tone: StatusTone; children: ReactNode }) {
  const Component = TONE_COMPONENTS[props.tone];
  return <Component>{props.children}</Component>;
}

/** A cluster's health as a Backstage status indicator. */
export function HealthStatus(props: { health: string }) {
  const p = healthPresentation(props.health);
  return <ToneStatus tone={p.tone}>{p.label}</ToneStatus>;
}

/** An environment's status as a Backstage status indicator. */
export function EnvironmentStatusIndicator(props: { status: string }) {
  const p = environmentStatusPresentation(props.status);
  return <ToneStatus tone={p.tone}>{p.label}</ToneStatus>;
}

/** A component's status as a Backstage status indicator. */
export function ComponentStatusIndicator(props: { status: string }) {
  const p = componentStatusPresentation(props.status);
  return <ToneStatus tone={p.tone}>{p.label}</ToneStatus>;
}
