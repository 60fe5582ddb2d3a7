/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  ComponentStatusValue,
  EnvironmentStatus,
} from '@archipelago/multicluster-common';
import type { Knex } from 'knex';
import {
  TABLE_ENVIRONMENT_COMPONENTS,
  TABLE_ENVIRONMENT_EVENTS,
  TABLE_ENVIRONMENT_REVISIONS,
  TABLE_ENVIRONMENT_SECRETS,
  TABLE_ENVIRONMENTS,
} from '../../database/tables';
import { EventStore } from './EventStore';
import {
  ACTIVE_STATUSES,
  type ComponentPatch,
  type ComponentRecord,
  type EnvironmentPatch,
  type EnvironmentRecord,
  type ListEnvironmentsQuery,
  type NewComponent,
  type NewEnvironment,
  componentColumns,
  environmentColumns,
  toComponentRecord,
  toEnvironmentRecord,
} from './records';
import { RevisionStore, type RevisionRecord } from './RevisionStore';
import { SecretStore } from './SecretStore';

/**
 * Persistence of the environments engine: environment and component rows and
 * the work leases on them, with the sealed secrets and the event log beside.
 * Every write is one statement or one transaction, so a crash leaves a
 * consistent row to resume from.
 */
export class EnvironmentStore {
  readonly secrets: SecretStore;
  readonly events: EventStore;
  readonly revisions: RevisionStore;

  constructor(private readonly db: Knex) {
    this.secrets = new SecretStore(db);
    this.events = new EventStore(db);
    this.revisions = new RevisionStore(db);
  }

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
      await trx(TABLE_ENVIRONMENTS).insert({
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
      await this.insertComponents(trx, env.name, components);
      await this.revisions.insert(
        {
          environment: env.name,
          revision: 1,
          operation: 'create',
          status: 'applying',
          type: env.type,
          cloud: env.cloud,
          inputs: env.inputs,
          ttlMinutes: env.ttlMinutes,
          plan: env.plan,
          components: [],
          createdBy: env.createdBy,
          createdAt: env.createdAt,
        },
        trx,
      );
      await trx(TABLE_ENVIRONMENT_EVENTS).insert({
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
        const replaced = await trx(TABLE_ENVIRONMENTS)
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

  private async insertComponents(
    trx: Knex,
    name: string,
    components: NewComponent[],
  ): Promise<void> {
    if (!components.length) return;
    await trx(TABLE_ENVIRONMENT_COMPONENTS).insert(
      components.map(c => ({
        environment_name: name,
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
        generation: c.generation ?? 1,
        change: c.change ? JSON.stringify(c.change) : null,
      })),
    );
  }

  /**
   * Starts a change of a ready environment in one transaction: the
   * environment moves to `updating` with the change, each component gets its
   * step, new components are inserted and the revision is recorded. False
   * when the environment was not ready (someone else changed it first).
   */
  async startChange(
    name: string,
    patch: EnvironmentPatch & { status: EnvironmentStatus },
    components: Array<{ key: string; patch: ComponentPatch }>,
    added: NewComponent[],
    revision: RevisionRecord | undefined,
    message: string,
    now = Date.now(),
  ): Promise<boolean> {
    return this.db.transaction(async trx => {
      const n = await trx(TABLE_ENVIRONMENTS)
        .where({ name, status: 'ready' })
        .update({ ...environmentColumns(patch), updated_at: now });
      if (!n) return false;
      for (const c of components) {
        await trx(TABLE_ENVIRONMENT_COMPONENTS)
          .where({ environment_name: name, key: c.key })
          .update(componentColumns(c.patch));
      }
      await this.insertComponents(trx, name, added);
      if (revision) await this.revisions.insert(revision, trx);
      await trx(TABLE_ENVIRONMENT_EVENTS).insert({
        environment_name: name,
        at: now,
        level: 'info',
        component: null,
        message,
      });
      return true;
    });
  }

  /** Removes a component's row (a component the environment no longer has). */
  async deleteComponent(name: string, key: string): Promise<void> {
    await this.db(TABLE_ENVIRONMENT_COMPONENTS)
      .where({ environment_name: name, key })
      .delete();
  }

  /** Environments an owner has that are not destroyed, with their components (quotas). */
  async ownedBy(
    owner: string,
  ): Promise<Array<{ env: EnvironmentRecord; components: ComponentRecord[] }>> {
    const rows = await this.db(TABLE_ENVIRONMENTS)
      .whereRaw('lower(owner) = ?', [owner.toLocaleLowerCase('en-US')])
      .whereNot('status', 'destroyed')
      .orderBy('name')
      .limit(100_000);
    const envs = rows.map(toEnvironmentRecord);
    const components = await this.getComponentsOf(envs.map(e => e.name));
    return envs.map(env => ({
      env,
      components: components.get(env.name) ?? [],
    }));
  }

  /** Ready environments that expire within `withinMs` and whose owner was not told yet. */
  async expiringUnwarned(now: number, withinMs: number): Promise<string[]> {
    const rows = await this.db(TABLE_ENVIRONMENTS)
      .where('status', 'ready')
      .whereNotNull('expires_at')
      .andWhere('expires_at', '>', now)
      .andWhere('expires_at', '<=', now + withinMs)
      .whereNull('expiry_warned_at')
      .select('name');
    return rows.map(r => r.name);
  }

  private async deleteChildren(trx: Knex.Transaction, name: string) {
    await trx(TABLE_ENVIRONMENT_REVISIONS)
      .where({ environment_name: name })
      .delete();
    await trx(TABLE_ENVIRONMENT_EVENTS)
      .where({ environment_name: name })
      .delete();
    await trx(TABLE_ENVIRONMENT_SECRETS)
      .where({ environment_name: name })
      .delete();
    await trx(TABLE_ENVIRONMENT_COMPONENTS)
      .where({ environment_name: name })
      .delete();
  }

  async get(name: string): Promise<EnvironmentRecord | undefined> {
    const row = await this.db(TABLE_ENVIRONMENTS).where({ name }).first();
    return row ? toEnvironmentRecord(row) : undefined;
  }

  async getComponents(name: string): Promise<ComponentRecord[]> {
    const rows = await this.db(TABLE_ENVIRONMENT_COMPONENTS)
      .where({ environment_name: name })
      .orderBy('position', 'asc');
    return rows.map(toComponentRecord);
  }

  async getComponentsOf(
    names: string[],
  ): Promise<Map<string, ComponentRecord[]>> {
    const out = new Map<string, ComponentRecord[]>(names.map(n => [n, []]));
    for (let i = 0; i < names.length; i += 500) {
      const rows = await this.db(TABLE_ENVIRONMENT_COMPONENTS)
        .whereIn('environment_name', names.slice(i, i + 500))
        .orderBy([{ column: 'environment_name' }, { column: 'position' }]);
      for (const r of rows)
        out.get(r.environment_name)?.push(toComponentRecord(r));
    }
    return out;
  }

  async list(query: ListEnvironmentsQuery): Promise<{
    items: EnvironmentRecord[];
    totalItems: number;
    nextAfter?: string;
  }> {
    const filtered = () => {
      const qb = this.db(TABLE_ENVIRONMENTS);
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
      toEnvironmentRecord,
    );
    return {
      items,
      totalItems: Number(count?.n ?? 0),
      ...(hasMore ? { nextAfter: items[items.length - 1].name } : {}),
    };
  }

  /** Names in one of the statuses. */
  async listNames(statuses: EnvironmentStatus[]): Promise<string[]> {
    const rows = await this.db(TABLE_ENVIRONMENTS)
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
    await this.db(TABLE_ENVIRONMENTS)
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
    const n = await this.db(TABLE_ENVIRONMENTS)
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
    await this.db(TABLE_ENVIRONMENT_COMPONENTS)
      .where({ environment_name: name, key })
      .update(componentColumns(patch));
    await this.db(TABLE_ENVIRONMENTS)
      .where({ name })
      .update({ updated_at: Date.now() });
  }

  /** Resets components in the given statuses to pending (a retry of a kept failure). */
  async resetComponents(
    name: string,
    statuses: ComponentStatusValue[],
  ): Promise<void> {
    await this.db(TABLE_ENVIRONMENT_COMPONENTS)
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
    const n = await this.db(TABLE_ENVIRONMENTS)
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
    const n = await this.db(TABLE_ENVIRONMENTS)
      .where({ name, lease_owner: owner })
      .update({ lease_until: now + leaseMs });
    return n > 0;
  }

  async release(name: string, owner: string): Promise<void> {
    await this.db(TABLE_ENVIRONMENTS)
      .where({ name, lease_owner: owner })
      .update({ lease_owner: null, lease_until: 0 });
  }

  /** Environments with work left whose lease is free or expired. */
  async claimable(now = Date.now()): Promise<string[]> {
    const rows = await this.db(TABLE_ENVIRONMENTS)
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
    const rows = await this.db(TABLE_ENVIRONMENTS)
      .whereIn('status', ['ready', 'failed'])
      .whereNotNull('expires_at')
      .andWhere('expires_at', '<=', now)
      .select('name');
    return rows.map(r => r.name);
  }
}
