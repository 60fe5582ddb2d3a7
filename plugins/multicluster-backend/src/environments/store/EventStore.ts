/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { EnvironmentEventLevel } from '@archipelago/multicluster-common';
import type { Knex } from 'knex';
import { TABLE_ENVIRONMENT_EVENTS } from '../../database/tables';
import type { EventRecord } from './records';

/** The append-only event log of environments, served by REST. */
export class EventStore {
  constructor(private readonly db: Knex) {}

  async add(
    name: string,
    event: {
      level: EnvironmentEventLevel;
      component?: string;
      message: string;
    },
    now = Date.now(),
  ): Promise<void> {
    await this.db(TABLE_ENVIRONMENT_EVENTS).insert({
      environment_name: name,
      at: now,
      level: event.level,
      component: event.component ?? null,
      message: event.message,
    });
  }

  async list(
    name: string,
    options: { after?: number; limit: number },
  ): Promise<EventRecord[]> {
    const qb = this.db(TABLE_ENVIRONMENT_EVENTS)
      .where({ environment_name: name })
      .orderBy('id', 'asc')
      .limit(options.limit);
    if (options.after !== undefined) qb.where('id', '>', options.after);
    const rows = await qb;
    return rows.map(r => ({
      id: Number(r.id),
      at: Number(r.at),
      level: r.level,
      component: r.component ?? undefined,
      message: r.message,
    }));
  }
}
