/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

/** Applies the plugin's knex migrations (inventory and environments tables). */
export async function migrateDatabase(db: Knex): Promise<void> {
  await db.migrate.latest({
    directory: resolvePackagePath(
      '@archipelago/multicluster-backend',
      'migrations',
    ),
  });
}
