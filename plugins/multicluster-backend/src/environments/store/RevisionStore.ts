/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ComponentKind } from '@archipelago/multicluster-common';
import type { Knex } from 'knex';
import {
  TABLE_ENVIRONMENT_REVISIONS,
  parseJsonColumn,
  toOptionalNumber,
} from '../../database/tables';
import type { EnvironmentPlan } from '../stagePlanner';

/** One component as a revision recorded it. */
export interface RevisionComponent {
  key: string;
  kind: ComponentKind;
  template: string;
  driver: string;
  inputs: Record<string, unknown>;
  /** Public capabilities (secrets are served as references). */
  capabilities: Record<string, unknown>;
}

/** A row of environment_revisions. */
export interface RevisionRecord {
  environment: string;
  revision: number;
  operation: 'create' | 'update' | 'rollback';
  status: 'applying' | 'applied' | 'failed';
  restores?: number;
  type: string;
  cloud: string;
  inputs: Record<string, unknown>;
  ttlMinutes?: number;
  plan: EnvironmentPlan;
  components: RevisionComponent[];
  createdBy?: string;
  reason?: string;
  createdAt: number;
}

export type RevisionPatch = Partial<
  Pick<RevisionRecord, 'status' | 'reason' | 'components'>
>;

function toRecord(r: any): RevisionRecord {
  return {
    environment: r.environment_name,
    revision: Number(r.revision),
    operation: r.operation,
    status: r.status,
    restores: toOptionalNumber(r.restores),
    type: r.type,
    cloud: r.cloud,
    inputs: parseJsonColumn(r.inputs, {}),
    ttlMinutes: toOptionalNumber(r.ttl_minutes),
    plan: parseJsonColumn(r.plan, {
      type: r.type,
      cloud: r.cloud,
      components: [],
      stages: [],
    }),
    components: parseJsonColumn(r.components, []),
    createdBy: r.created_by ?? undefined,
    reason: r.reason ?? undefined,
    createdAt: Number(r.created_at),
  };
}

/** Revisions of environments: every applied (or attempted) change. */
export class RevisionStore {
  constructor(private readonly db: Knex) {}

  async insert(record: RevisionRecord, trx: Knex = this.db): Promise<void> {
    await trx(TABLE_ENVIRONMENT_REVISIONS).insert({
      environment_name: record.environment,
      revision: record.revision,
      operation: record.operation,
      status: record.status,
      restores: record.restores ?? null,
      type: record.type,
      cloud: record.cloud,
      inputs: JSON.stringify(record.inputs),
      ttl_minutes: record.ttlMinutes ?? null,
      plan: JSON.stringify(record.plan),
      components: JSON.stringify(record.components),
      created_by: record.createdBy ?? null,
      reason: record.reason ?? null,
      created_at: record.createdAt,
    });
  }

  async update(
    name: string,
    revision: number,
    patch: RevisionPatch,
  ): Promise<void> {
    const out: Record<string, unknown> = {};
    if ('status' in patch) out.status = patch.status;
    if ('reason' in patch) out.reason = patch.reason ?? null;
    if ('components' in patch)
      out.components = JSON.stringify(patch.components ?? []);
    if (Object.keys(out).length === 0) return;
    await this.db(TABLE_ENVIRONMENT_REVISIONS)
      .where({ environment_name: name, revision })
      .update(out);
  }

  async get(
    name: string,
    revision: number,
  ): Promise<RevisionRecord | undefined> {
    const row = await this.db(TABLE_ENVIRONMENT_REVISIONS)
      .where({ environment_name: name, revision })
      .first();
    return row ? toRecord(row) : undefined;
  }

  /** Newest first. */
  async list(name: string, limit = 1000): Promise<RevisionRecord[]> {
    const rows = await this.db(TABLE_ENVIRONMENT_REVISIONS)
      .where({ environment_name: name })
      .orderBy('revision', 'desc')
      .limit(limit);
    return rows.map(toRecord);
  }

  /** The highest revision number recorded (applied or not). */
  async latest(name: string): Promise<number> {
    const row = await this.db(TABLE_ENVIRONMENT_REVISIONS)
      .where({ environment_name: name })
      .max({ n: 'revision' })
      .first();
    return Number(row?.n ?? 0);
  }

  /** Keeps the newest `keep` revisions and the current one. */
  async prune(name: string, keep: number, current: number): Promise<void> {
    const kept = await this.db(TABLE_ENVIRONMENT_REVISIONS)
      .where({ environment_name: name })
      .orderBy('revision', 'desc')
      .limit(keep)
      .select('revision');
    const oldestKept = kept.length ? Number(kept[kept.length - 1].revision) : 0;
    if (kept.length < keep) return;
    await this.db(TABLE_ENVIRONMENT_REVISIONS)
      .where({ environment_name: name })
      .where('revision', '<', oldestKept)
      .whereNot('revision', current)
      .delete();
  }
}
