/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Knex } from 'knex';
import { TABLE_ENVIRONMENT_SECRETS } from '../../database/tables';

/** Sealed secret capabilities (ciphertext only; SecretBox seals and opens). */
export class SecretStore {
  constructor(private readonly db: Knex) {}

  async put(
    name: string,
    component: string,
    capability: string,
    ciphertext: string,
  ): Promise<void> {
    await this.db(TABLE_ENVIRONMENT_SECRETS)
      .insert({
        environment_name: name,
        component_key: component,
        capability,
        ciphertext,
        created_at: Date.now(),
      })
      .onConflict(['environment_name', 'component_key', 'capability'])
      .merge(['ciphertext', 'created_at']);
  }

  async list(
    name: string,
  ): Promise<
    Array<{ component: string; capability: string; ciphertext: string }>
  > {
    const rows = await this.db(TABLE_ENVIRONMENT_SECRETS).where({
      environment_name: name,
    });
    return rows.map(r => ({
      component: r.component_key,
      capability: r.capability,
      ciphertext: r.ciphertext,
    }));
  }

  async get(
    name: string,
    component: string,
    capability: string,
  ): Promise<string | undefined> {
    const row = await this.db(TABLE_ENVIRONMENT_SECRETS)
      .where({ environment_name: name, component_key: component, capability })
      .first('ciphertext');
    return row?.ciphertext;
  }

  /** Deletes an environment's secrets, or those stored under the given component keys. */
  async delete(name: string, componentKeys?: string[]): Promise<void> {
    const qb = this.db(TABLE_ENVIRONMENT_SECRETS).where({
      environment_name: name,
    });
    if (componentKeys) {
      if (!componentKeys.length) return;
      qb.whereIn('component_key', componentKeys);
    }
    await qb.delete();
  }

  /** The component keys secrets are stored under (one per component generation). */
  async storedKeys(name: string): Promise<string[]> {
    const rows = await this.db(TABLE_ENVIRONMENT_SECRETS)
      .where({ environment_name: name })
      .distinct('component_key');
    return rows.map(r => r.component_key);
  }
}
