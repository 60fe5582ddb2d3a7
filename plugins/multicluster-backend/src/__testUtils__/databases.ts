/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TEST_DATABASE_IDS } from '@archipelago/multicluster-node-test-utils';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';

// Backstage's TestDatabases, fed with embedded PostgreSQL by the jest global
// setup of @archipelago/multicluster-node-test-utils (see package.json).

/** The databases of a test run, by the short names the tests use. */
export type Engine = 'sqlite' | 'postgres';
export const ENGINES: Engine[] = ['sqlite', 'postgres'];

const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

/** A knex client on a fresh, empty database of the engine. */
export function createKnex(engine: Engine): Promise<Knex> {
  return databases.init(engine === 'sqlite' ? 'SQLITE_3' : 'POSTGRES_18');
}
