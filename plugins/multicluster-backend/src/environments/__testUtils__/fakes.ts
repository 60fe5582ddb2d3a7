/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import knexFactory, { type Knex } from 'knex';
import { migrateDatabase } from '../../database/migrations';

// The fakes live in @archipelago/multicluster-node-test-utils, where the
// modules' tests use them too; these names stay for this plugin's tests.
export {
  FakeComponentDriver as FakeDriver,
  FAKE_SECRET_KEY as TEST_SECRET_KEY,
  capturingLogger,
  defaultCapabilities,
  fakeComponentDrivers as fakeDrivers,
  fakeEnvironmentsConfig,
  waitFor,
} from '@archipelago/multicluster-node-test-utils';
export { setTimeout as sleep } from 'node:timers/promises';

/** A fresh SQLite database with the plugin's migrations applied. */
export async function migratedDatabase(file = ':memory:'): Promise<Knex> {
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
  });
  await migrateDatabase(db);
  return db;
}
