/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { TestDatabaseId } from '@backstage/backend-test-utils';

/**
 * The databases every database test runs on, for
 * `TestDatabases.create({ ids: TEST_DATABASE_IDS })`: SQLite, and PostgreSQL
 * as started by this package's jest global setup (`jest/postgresGlobalSetup.js`).
 * @public
 */
export const TEST_DATABASE_IDS: TestDatabaseId[] = ['SQLITE_3', 'POSTGRES_18'];
