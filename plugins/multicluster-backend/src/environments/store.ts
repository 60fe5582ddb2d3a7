/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  ComponentKind,
  ComponentStatusValue,
  EnvironmentEventLevel,
  EnvironmentStatus,
  OnFailurePolicy,
} from '@archipelago/multicluster-common';
import type { Knex } from 'knex';
import type { EnvironmentPlan } from './planner';

const T_ENV = 'environments';
const T_COMP = 'environment_components';
const T_SECRETS = 'environment_secrets';
const T_EVENTS = 'environment_events';

/** Statuses with work left to do: a replica holding the lease drives them forward. */
export const ACTIVE_STATUSES: EnvironmentStatus[] = [
  'pending',
  'provisioning',
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
  'leaseOwner' | 'leaseUntil' | 'updatedAt' | 'destroyRequested' | 'status'
>;
export type NewComponent = Omit<
  ComponentRecord,
  'environment' | 'status' | 'capabilities'
>;

const num = (v: unknown): number | undefined =>
  v === null || v === undefined ? undefined : Number(v);
const bool = (v: unknown): boolean =>
  v === true || v === 1 || v === '1' || v === 't' || v === 'true';
const json = <T>(v: unknown, fallback: T): T => {
  if (typeof v !== 'string' || v === '') return fallback;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
};
const orUndefined = <T>(v: T | null | undefined): T | undefined =>
  v === null ? undefined : v;

function toEnvironment(r: any): EnvironmentRecord {
  return {
    name: r.name,
    type: r.type,
    cloud: r.cloud,
    owner: r.owner,
    createdBy: orUndefined(r.created_by),
    inputs: json(r.inputs, {}),
    requestHash: r.request_hash,
    plan: json(r.plan, {
      type: r.type,
      cloud: r.cloud,
      components: [],
      stages: [],
    }),
    onFailure: r.on_failure,
    ttlMinutes: num(r.ttl_minutes),
    expiresAt: num(r.expires_at),
    status: r.status,
    reason: orUndefined(r.reason),
    destroyRequested: bool(r.destroy_requested),
    clusterId: orUndefined(r.cluster_id),
    leaseOwner: orUndefined(r.lease_owner),
    leaseUntil: num(r.lease_until) ?? 0,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function toComponent(r: any): ComponentRecord {
  return {
    environment: r.environment_name,
    key: r.key,
    position: Number(r.position),
    kind: r.kind,
    template: r.template,
    driver: r.driver,
    dependsOn: json(r.depends_on, []),
    inputs: json(r.inputs, {}),
    resourceName: r.resource_name,
    status: r.status,
    capabilities: json(r.capabilities, {}),
    state: json(r.state, undefined),
    error: orUndefined(r.error),
    drift: orUndefined(r.drift),
    startedAt: num(r.started_at),
    finishedAt: num(r.finished_at),
  };
}

type EnvironmentPatch = Partial<
  Pick<
    EnvironmentRecord,
    'status' | 'reason' | 'destroyRequested' | 'clusterId' | 'expiresAt'
  >
>;
type ComponentPatch = Partial<
  Pick<
    ComponentRecord,
    | 'status'
    | 'capabilities'
    | 'state'
    | 'error'
    | 'drift'
    | 'startedAt'
    | 'finishedAt'
  >
>;

function environmentColumns(p: EnvironmentPatch): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if ('status' in p) out.status = p.status;
  if ('reason' in p) out.reason = p.reason ?? null;
  if ('destroyRequested' in p) out.destroy_requested = p.destroyRequested;
  if ('clusterId' in p) out.cluster_id = p.clusterId ?? null;
  if ('expiresAt' in p) out.expires_at = p.expiresAt ?? null;
  return out;
}

function componentColumns(p: ComponentPatch): Record<string, unknown> {
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

/**
 * Persistence of the environments engine. Every write is one statement or one
 * transaction, so a crash leaves a consistent row to resume from.
 */
export class EnvironmentStore {
  constructor(private readonly db: Knex) {}

  /**
   * Inserts an environment and its components. Returns false when a row of
   * that name exists: the primary key decides between concurrent creates. A
   * destroyed environment of the same name is replaced.
   */
  async create(
    env: NewEnvironment,
    components: NewComponent[],
    message: string,
  ): Promise<boolean> {
    const write = async (trx: Knex.Transaction) => {
      await trx(T_ENV).insert({
        name: env.name,
        type: env.type,
        cloud: env.cloud,
        owner: env.owner,
        created_by: env.createdBy ?? null,
        inputs: JSON.stringify(env.inputs),
        request_hash: env.requestHash,
        plan: JSON.stringify(env.plan),
        on_failure: env.onFailure,
        ttl_minutes: env.ttlMinutes ?? null,
        expires_at: env.expiresAt ?? null,
        status: 'pending',
        reason: null,
        destroy_requested: false,
        cluster_id: null,
        lease_owner: null,
        lease_until: 0,
        created_at: env.createdAt,
        updated_at: env.createdAt,
      });
      if (components.length) {
        await trx(T_COMP).insert(
          components.map(c => ({
            environment_name: env.name,
            key: c.key,
            position: c.position,
            kind: c.kind,
            template: c.template,
            driver: c.driver,
            depends_on: JSON.stringify(c.dependsOn),
            inputs: JSON.stringify(c.inputs),
            resource_name: c.resourceName,
            status: 'pending',
            capabilities: '{}',
            state: null,
          })),
        );
      }
      await trx(T_EVENTS).insert({
        environment_name: env.name,
        at: env.createdAt,
        level: 'info',
        component: null,
        message,
      });
    };
    try {
      await this.db.transaction(async trx => {
        // Only a destroyed environment may be replaced; the delete is conditional,
        // so of two concurrent replacers one deletes and inserts, the other conflicts.
        const replaced = await trx(T_ENV)
          .where({ name: env.name, status: 'destroyed' })
          .delete();
        if (replaced) await this.deleteChildren(trx, env.name);
        await write(trx);
      });
      return true;
    } catch (error) {
      // A unique violation (whatever the database calls it) means another create won.
      if (await this.get(env.name)) return false;
      throw error;
    }
  }

  private async deleteChildren(trx: Knex.Transaction, name: string) {
    await trx(T_EVENTS).where({ environment_name: name }).delete();
    await trx(T_SECRETS).where({ environment_name: name }).delete();
    await trx(T_COMP).where({ environment_name: name }).delete();
  }

  async get(name: string): Promise<EnvironmentRecord | undefined> {
    const row = await this.db(T_ENV).where({ name }).first();
    return row ? toEnvironment(row) : undefined;
  }

  async getComponents(name: string): Promise<ComponentRecord[]> {
    const rows = await this.db(T_COMP)
      .where({ environment_name: name })
      .orderBy('position', 'asc');
    return rows.map(toComponent);
  }

  async getComponentsOf(
    names: string[],
  ): Promise<Map<string, ComponentRecord[]>> {
    const out = new Map<string, ComponentRecord[]>(names.map(n => [n, []]));
    for (let i = 0; i < names.length; i += 500) {
      const rows = await this.db(T_COMP)
        .whereIn('environment_name', names.slice(i, i + 500))
        .orderBy([{ column: 'environment_name' }, { column: 'position' }]);
      for (const r of rows) out.get(r.environment_name)?.push(toComponent(r));
    }
    return out;
  }

  async list(query: ListEnvironmentsQuery): Promise<{
    items: EnvironmentRecord[];
    totalItems: number;
    nextAfter?: string;
  }> {
    const filtered = () => {
      const qb = this.db(T_ENV);
      if (query.owners)
        qb.whereIn('owner', query.owners.length ? query.owners : ['\u0000']);
      if (query.statuses?.length) qb.whereIn('status', query.statuses);
      else if (!query.includeDestroyed) qb.whereNot('status', 'destroyed');
      if (query.type) qb.where('type', query.type);
      if (query.cloud) qb.where('cloud', query.cloud);
      return qb;
    };
    const count = await filtered().count({ n: '*' }).first();
    const page = filtered()
      .select()
      .orderBy('name', 'asc')
      .limit(query.limit + 1);
    if (query.after) page.where('name', '>', query.after);
    const rows = await page;
    const hasMore = rows.length > query.limit;
    const items = (hasMore ? rows.slice(0, query.limit) : rows).map(
      toEnvironment,
    );
    return {
      items,
      totalItems: Number(count?.n ?? 0),
      ...(hasMore ? { nextAfter: items[items.length - 1].name } : {}),
    };
  }

  /** Names in one of the statuses. */
  async listNames(statuses: EnvironmentStatus[]): Promise<string[]> {
    const rows = await this.db(T_ENV)
      .whereIn('status', statuses)
      .select('name')
      .orderBy('name');
    return rows.map(r => r.name);
  }

  async updateEnvironment(
    name: string,
    patch: EnvironmentPatch,
    now = Date.now(),
  ): Promise<void> {
    await this.db(T_ENV)
      .where({ name })
      .update({ ...environmentColumns(patch), updated_at: now });
  }

  /**
   * Moves an environment from one of `from` to `to` atomically; false when it
   * was in another status (someone else moved it first).
   */
  async transition(
    name: string,
    from: EnvironmentStatus[],
    patch: EnvironmentPatch & { status: EnvironmentStatus },
    now = Date.now(),
  ): Promise<boolean> {
    const n = await this.db(T_ENV)
      .where({ name })
      .whereIn('status', from)
      .update({ ...environmentColumns(patch), updated_at: now });
    return n > 0;
  }

  async updateComponent(
    name: string,
    key: string,
    patch: ComponentPatch,
  ): Promise<void> {
    await this.db(T_COMP)
      .where({ environment_name: name, key })
      .update(componentColumns(patch));
    await this.db(T_ENV).where({ name }).update({ updated_at: Date.now() });
  }

  /** Resets components in the given statuses to pending (a retry of a kept failure). */
  async resetComponents(
    name: string,
    statuses: ComponentStatusValue[],
  ): Promise<void> {
    await this.db(T_COMP)
      .where({ environment_name: name })
      .whereIn('status', statuses)
      .update({
        status: 'pending',
        error: null,
        drift: null,
        finished_at: null,
      });
  }

  // ------------------------------------------------------------------- leases

  /** Takes the work lease if free, expired or already ours. */
  async claim(
    name: string,
    owner: string,
    leaseMs: number,
    now = Date.now(),
  ): Promise<boolean> {
    const n = await this.db(T_ENV)
      .where({ name })
      .whereIn('status', ACTIVE_STATUSES)
      .andWhere(q =>
        q
          .whereNull('lease_owner')
          .orWhere('lease_owner', owner)
          .orWhere('lease_until', '<', now),
      )
      .update({ lease_owner: owner, lease_until: now + leaseMs });
    return n > 0;
  }

  /** Extends our lease; false when it is no longer ours. */
  async renew(
    name: string,
    owner: string,
    leaseMs: number,
    now = Date.now(),
  ): Promise<boolean> {
    const n = await this.db(T_ENV)
      .where({ name, lease_owner: owner })
      .update({ lease_until: now + leaseMs });
    return n > 0;
  }

  async release(name: string, owner: string): Promise<void> {
    await this.db(T_ENV)
      .where({ name, lease_owner: owner })
      .update({ lease_owner: null, lease_until: 0 });
  }

  /** Environments with work left whose lease is free or expired. */
  async claimable(now = Date.now()): Promise<string[]> {
    const rows = await this.db(T_ENV)
      .whereIn('status', ACTIVE_STATUSES)
      .andWhere(q =>
        q.whereNull('lease_owner').orWhere('lease_until', '<', now),
      )
      .select('name')
      .orderBy('updated_at', 'asc');
    return rows.map(r => r.name);
  }

  /** Ready or failed environments whose TTL has passed. */
  async expired(now = Date.now()): Promise<string[]> {
    const rows = await this.db(T_ENV)
      .whereIn('status', ['ready', 'failed'])
      .whereNotNull('expires_at')
      .andWhere('expires_at', '<=', now)
      .select('name');
    return rows.map(r => r.name);
  }

  // ------------------------------------------------------------------ secrets

  async putSecret(
    name: string,
    component: string,
    capability: string,
    ciphertext: string,
  ): Promise<void> {
    await this.db(T_SECRETS)
      .insert({
        environment_name: name,
        component_key: component,
        capability,
        ciphertext,
        created_at: Date.now(),
      })
      .onConflict(['environment_name', 'component_key', 'capability'])
      .merge(['ciphertext', 'created_at']);
  }

  async getSecrets(
    name: string,
  ): Promise<
    Array<{ component: string; capability: string; ciphertext: string }>
  > {
    const rows = await this.db(T_SECRETS).where({ environment_name: name });
    return rows.map(r => ({
      component: r.component_key,
      capability: r.capability,
      ciphertext: r.ciphertext,
    }));
  }

  async getSecret(
    name: string,
    component: string,
    capability: string,
  ): Promise<string | undefined> {
    const row = await this.db(T_SECRETS)
      .where({ environment_name: name, component_key: component, capability })
      .first('ciphertext');
    return row?.ciphertext;
  }

  async deleteSecrets(name: string, component?: string): Promise<void> {
    const qb = this.db(T_SECRETS).where({ environment_name: name });
    if (component) qb.where({ component_key: component });
    await qb.delete();
  }

  // ------------------------------------------------------------------- events

  async addEvent(
    name: string,
    event: {
      level: EnvironmentEventLevel;
      component?: string;
      message: string;
    },
    now = Date.now(),
  ): Promise<void> {
    await this.db(T_EVENTS).insert({
      environment_name: name,
      at: now,
      level: event.level,
      component: event.component ?? null,
      message: event.message,
    });
  }

  async listEvents(
    name: string,
    options: { after?: number; limit: number },
  ): Promise<EventRecord[]> {
    const qb = this.db(T_EVENTS)
      .where({ environment_name: name })
      .orderBy('id', 'asc')
      .limit(options.limit);
    if (options.after !== undefined) qb.where('id', '>', options.after);
    const rows = await qb;
    return rows.map(r => ({
      id: Number(r.id),
      at: Number(r.at),
      level: r.level,
      component: orUndefined(r.component),
      message: r.message,
    }));
  }
}
