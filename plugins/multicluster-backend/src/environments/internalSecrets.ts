/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';
import type { Knex } from 'knex';
import { SecretBox, parseSecretReference } from './secrets';
import { EnvironmentStore } from './store';

/**
 * Reads the clear value behind a secret reference straight from the plugin's
 * database with the configured key. Internal: for tests and operators with
 * database access; no route or action calls it, so no user reaches it.
 */
export async function openEnvironmentSecret(options: {
  database: Knex;
  config: Config;
  reference: string;
}): Promise<string> {
  const parsed = parseSecretReference(options.reference);
  if (!parsed) throw new Error(`not a secret reference: ${options.reference}`);
  const box = new SecretBox(
    options.config.getString('multicluster.environments.secretKey'),
  );
  const sealed = await new EnvironmentStore(options.database).getSecret(
    parsed.environment,
    parsed.component,
    parsed.capability,
  );
  if (!sealed) throw new Error(`no secret ${options.reference}`);
  return box.open(sealed, options.reference);
}
