/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';
import type { Knex } from 'knex';
import { SecretStore } from '../store/SecretStore';
import { EnvironmentSecrets } from './EnvironmentSecrets';
import { TABLE_ENVIRONMENT_COMPONENTS } from '../../database/tables';
import { SecretBox, parseSecretReference } from './SecretBox';

/**
 * Reads the clear value behind a secret reference
 * (`multicluster:environment/<name>/<component>/<capability>`) straight from
 * the plugin's database with the configured key. For operators with database
 * access and for tests of drivers: no route or action calls it, so no user
 * reaches it through the portal.
 * @public
 */
export async function openEnvironmentSecret(options: {
  /** The multicluster plugin's database. */
  database: Knex;
  /** Config holding `multicluster.environments.secretKey`. */
  config: Config;
  reference: string;
}): Promise<string> {
  const secrets = new EnvironmentSecrets(
    new SecretStore(options.database),
    new SecretBox(
      options.config.getString('multicluster.environments.secretKey'),
    ),
  );
  const parsed = parseSecretReference(options.reference);
  const row = parsed
    ? await options
        .database(TABLE_ENVIRONMENT_COMPONENTS)
        .where({
          environment_name: parsed.environment,
          key: parsed.component,
        })
        .first('generation')
    : undefined;
  return secrets.reveal(options.reference, Number(row?.generation ?? 1));
}
