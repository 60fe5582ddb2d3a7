/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// An engine on fake drivers and a fresh SQLite database, for the engine tests.
import { ConfigReader } from '@backstage/config';
import { createEnvironmentRequestSchema } from '@archipelago/multicluster-common';
import type { Knex } from 'knex';
import {
  TEST_SECRET_KEY,
  capturingLogger,
  fakeDrivers,
  fakeEnvironmentsConfig,
  migratedDatabase,
  waitFor,
} from './fakes';
import { DriverRegistry, EnvironmentCatalog } from '../catalog';
import { readEnvironmentsConfig } from '../config/readEnvironmentsConfig';
import { EnvironmentEngine } from '../engine';
import { SecretBox } from '../secrets/SecretBox';
import { EnvironmentStore } from '../store/EnvironmentStore';

export type Drivers = ReturnType<typeof fakeDrivers>;

export const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

export async function setup(
  options: {
    db?: Knex;
    drivers?: Drivers;
    instanceId?: string;
    extra?: Record<string, unknown>;
  } = {},
) {
  const db = options.db ?? (await migratedDatabase());
  if (!options.db) cleanup.push(() => db.destroy());
  const drivers = options.drivers ?? fakeDrivers();
  const cfg = readEnvironmentsConfig(
    new ConfigReader(fakeEnvironmentsConfig(options.extra)),
  );
  const catalog = EnvironmentCatalog.build(
    cfg,
    new DriverRegistry(Object.values(drivers)),
  );
  const store = new EnvironmentStore(db);
  const logger = capturingLogger();
  const engine = new EnvironmentEngine({
    store,
    catalog,
    secrets: new SecretBox(TEST_SECRET_KEY),
    logger,
    settings: {
      resourcePrefix: 'archi',
      leaseSeconds: 1,
      componentTimeoutMinutes: 1,
    },
    instanceId: options.instanceId ?? 'replica-a',
  });
  cleanup.push(() => engine.shutdown());
  return { db, drivers, store, engine, logger, catalog };
}

export const request = (over: Record<string, unknown> = {}) =>
  createEnvironmentRequestSchema.parse({
    name: 'demo',
    type: 'small',
    cloud: 'local',
    owner: 'group:default/team-a',
    ...over,
  });

export const statusOf = async (store: EnvironmentStore, name = 'demo') =>
  (await store.get(name))?.status;
export const settle = async (
  engine: EnvironmentEngine,
  store: EnvironmentStore,
  name = 'demo',
) => {
  await waitFor(
    async () => {
      await engine.idle();
      const s = await statusOf(store, name);
      return s &&
        !['pending', 'provisioning', 'rolling-back', 'destroying'].includes(s)
        ? s
        : undefined;
    },
    { what: `${name} to settle` },
  );
  return (await store.get(name))!;
};
export const allResources = (drivers: Drivers) =>
  Object.values(drivers)
    .flatMap(d => [...d.resources.keys()])
    .sort();
