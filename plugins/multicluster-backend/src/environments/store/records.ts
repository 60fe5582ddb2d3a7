/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  ComponentDrift,
  ComponentKind,
  ComponentStatusValue,
  EnvironmentEventLevel,
  EnvironmentStatus,
  OnFailurePolicy,
} from '@archipelago/multicluster-common';
import {
  parseJsonColumn,
  toBoolean,
  toOptionalNumber,
} from '../../database/tables';
import type { ComponentChange, PendingChange } from '../changes/types';
import type { EnvironmentPlan } from '../stagePlanner';

// Records of the environments store and how they map to rows.

/** Statuses with work left to do: a replica holding the lease drives them forward. */
export const ACTIVE_STATUSES: EnvironmentStatus[] = [
  'pending',
  'provisioning',
  'updating',
  'rolling-back',
  'destroying',
];

export interface EnvironmentRecord {
  name: string;
  type: string;
  cloud: string;
  owner: string;
  createdBy?: string;
  inputs: Record<string, unknown>;
  requestHash: string;
  plan: EnvironmentPlan;
  onFailure: OnFailurePolicy;
  ttlMinutes?: number;
  expiresAt?: number;
  status: EnvironmentStatus;
  reason?: string;
  destroyRequested: boolean;
  clusterId?: string;
  leaseOwner?: string;
  leaseUntil: number;
  createdAt: number;
  updatedAt: number;
  /** The revision the environment is at. */
  revision: number;
  /** The change being applied, while `updating`. */
  change?: PendingChange;
  /** When the owner was told the TTL runs out (reset by an extension). */
  expiryWarnedAt?: number;
}

export interface ComponentRecord {
  environment: string;
  key: string;
  position: number;
  kind: ComponentKind;
  template: string;
  driver: string;
  dependsOn: string[];
  inputs: Record<string, unknown>;
  resourceName: string;
  status: ComponentStatusValue;
  /** Public capabilities; secret ones are absent here (see secrets). */
  capabilities: Record<string, unknown>;
  state?: Record<string, unknown>;
  error?: string;
  drift?: string;
  startedAt?: number;
  finishedAt?: number;
  /** Secrets and replacement resource names are per generation (1 at create). */
  generation: number;
  /** This component's step of the change being applied. */
  change?: ComponentChange;
  /** What the drift check found. */
  driftDetails?: ComponentDrift;
}

export interface EventRecord {
  id: number;
  at: number;
  level: EnvironmentEventLevel;
  component?: string;
  message: string;
}

export type NewEnvironment = Omit<
  EnvironmentRecord,
  | 'leaseOwner'
  | 'leaseUntil'
  | 'updatedAt'
  | 'destroyRequested'
  | 'status'
  | 'revision'
  | 'change'
  | 'expiryWarnedAt'
>;
export type NewComponent = Omit<
  ComponentRecord,
  'environment' | 'status' | 'capabilities' | 'generation'
> & { generation?: number; change?: ComponentChange };

const orUndefined = <T>(v: T | null | undefined): T | undefined =>
  v === null ? undefined : v;

export function toEnvironmentRecord(r: any): EnvironmentRecord {
  return {
    name: r.name,
    type: r.type,
    cloud: r.cloud,
    owner: r.owner,
    createdBy: orUndefined(r.created_by),
    inputs: parseJsonColumn(r.inputs, {}),
    requestHash: r.request_hash,
    plan: parseJsonColumn(r.plan, {
      type: r.type,
      cloud: r.cloud,
      components: [],
      stages: [],
    }),
    onFailure: r.on_failure,
    ttlMinutes: toOptionalNumber(r.ttl_minutes),
    expiresAt: toOptionalNumber(r.expires_at),
    status: r.status,
    reason: orUndefined(r.reason),
    destroyRequested: toBoolean(r.destroy_requested),
    clusterId: orUndefined(r.cluster_id),
    leaseOwner: orUndefined(r.lease_owner),
    leaseUntil: toOptionalNumber(r.lease_until) ?? 0,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    revision: toOptionalNumber(r.revision) ?? 1,
    change: parseJsonColumn<PendingChange | undefined>(r.change, undefined),
    expiryWarnedAt: toOptionalNumber(r.expiry_warned_at),
  };
}

export function toComponentRecord(r: any): ComponentRecord {
  return {
    environment: r.environment_name,
    key: r.key,
    position: Number(r.position),
    kind: r.kind,
    template: r.template,
    driver: r.driver,
    dependsOn: parseJsonColumn(r.depends_on, []),
    inputs: parseJsonColumn(r.inputs, {}),
    resourceName: r.resource_name,
    status: r.status,
    capabilities: parseJsonColumn(r.capabilities, {}),
    state: parseJsonColumn(r.state, undefined),
    error: orUndefined(r.error),
    drift: orUndefined(r.drift),
    startedAt: toOptionalNumber(r.started_at),
    finishedAt: toOptionalNumber(r.finished_at),
    generation: toOptionalNumber(r.generation) ?? 1,
    change: parseJsonColumn<ComponentChange | undefined>(r.change, undefined),
    driftDetails: parseJsonColumn<ComponentDrift | undefined>(
      r.drift_details,
      undefined,
    ),
  };
}

export type EnvironmentPatch = Partial<
  Pick<
    EnvironmentRecord,
    | 'status'
    | 'reason'
    | 'destroyRequested'
    | 'clusterId'
    | 'expiresAt'
    | 'revision'
    | 'change'
    | 'expiryWarnedAt'
    | 'type'
    | 'inputs'
    | 'plan'
    | 'requestHash'
    | 'ttlMinutes'
  >
>;
export type ComponentPatch = Partial<
  Pick<
    ComponentRecord,
    | 'status'
    | 'capabilities'
    | 'state'
    | 'error'
    | 'drift'
    | 'startedAt'
    | 'finishedAt'
    | 'generation'
    | 'change'
    | 'driftDetails'
    | 'kind'
    | 'template'
    | 'driver'
    | 'inputs'
    | 'dependsOn'
    | 'position'
    | 'resourceName'
  >
>;

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

export function environmentColumns(
  p: EnvironmentPatch,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if ('status' in p) out.status = p.status;
  if ('reason' in p) out.reason = p.reason ?? null;
  if ('destroyRequested' in p) out.destroy_requested = p.destroyRequested;
  if ('clusterId' in p) out.cluster_id = p.clusterId ?? null;
  if ('expiresAt' in p) out.expires_at = p.expiresAt ?? null;
  if ('revision' in p) out.revision = p.revision;
  if ('change' in p) out.change = json(p.change);
  if ('expiryWarnedAt' in p) out.expiry_warned_at = p.expiryWarnedAt ?? null;
  if ('type' in p) out.type = p.type;
  if ('inputs' in p) out.inputs = JSON.stringify(p.inputs ?? {});
  if ('plan' in p) out.plan = JSON.stringify(p.plan);
  if ('requestHash' in p) out.request_hash = p.requestHash;
  if ('ttlMinutes' in p) out.ttl_minutes = p.ttlMinutes ?? null;
  return out;
}

export function componentColumns(p: ComponentPatch): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if ('status' in p) out.status = p.status;
  if ('capabilities' in p)
    out.capabilities = JSON.stringify(p.capabilities ?? {});
  if ('state' in p)
    out.state = p.state === undefined ? null : JSON.stringify(p.state);
  if ('error' in p) out.error = p.error ?? null;
  if ('drift' in p) out.drift = p.drift ?? null;
  if ('startedAt' in p) out.started_at = p.startedAt ?? null;
  if ('finishedAt' in p) out.finished_at = p.finishedAt ?? null;
  if ('generation' in p) out.generation = p.generation;
  if ('change' in p) out.change = json(p.change);
  if ('driftDetails' in p) out.drift_details = json(p.driftDetails);
  if ('kind' in p) out.kind = p.kind;
  if ('template' in p) out.template = p.template;
  if ('driver' in p) out.driver = p.driver;
  if ('inputs' in p) out.inputs = JSON.stringify(p.inputs ?? {});
  if ('dependsOn' in p) out.depends_on = JSON.stringify(p.dependsOn ?? []);
  if ('position' in p) out.position = p.position;
  if ('resourceName' in p) out.resource_name = p.resourceName;
  return out;
}

export interface ListEnvironmentsQuery {
  /** Owners to keep (permission conditions); undefined means all. */
  owners?: string[];
  statuses?: EnvironmentStatus[];
  type?: string;
  cloud?: string;
  limit: number;
  /** Name after which to continue. */
  after?: string;
  includeDestroyed: boolean;
}
