/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Knex } from 'knex';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { sqlDialect } from '../database/updateById';

/** Advisory lock key of the inventory's writers (an arbitrary, fixed 63-bit number). */
export const INVENTORY_WRITE_LOCK = '7221015493811370211';

/**
 * Opens a transaction that holds the inventory's write lock: discovery and
 * probe rounds, on any replica, write one after the other. Each of them
 * touches many cluster rows and the revision row, so two at once could lock
 * them in opposite orders and deadlock; taking this lock first rules that out.
 * The transactions are short (one batch each), so waiting is brief. On
 * PostgreSQL a transaction-scoped advisory lock; SQLite has a single writer
 * anyway.
 *
 * Each transaction first lets the event loop turn: SQLite's driver is
 * synchronous, so a writer's chain of batches would otherwise run from one
 * microtask to the next and no request would be read until the whole round
 * was written.
 */
export async function inventoryWrite<T>(
  db: Knex,
  fn: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  await yieldToEventLoop();
  return db.transaction(async trx => {
    if (sqlDialect(db) === 'pg') {
      await trx.raw('select pg_advisory_xact_lock(?::bigint)', [
        INVENTORY_WRITE_LOCK,
      ]);
    }
    return fn(trx);
  });
}
