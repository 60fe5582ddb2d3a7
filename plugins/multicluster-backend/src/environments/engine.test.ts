/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ConfigReader } from '@backstage/config';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { createEnvironmentRequestSchema } from '@archipelago/multicluster-common';
import type { Knex } from 'knex';
import {
  FakeDriver,
  TEST_SECRET_KEY,
  capturingLogger,
  fakeDrivers,
  fakeEnvironmentsConfig,
  migratedDatabase,
  sleep,
  waitFor,
} from './__testUtils__/fakes';
import { DriverRegistry, EnvironmentCatalog } from './catalog';
import {
  EnvironmentsConfigError,
  readEnvironmentsConfig,
} from './config/readEnvironmentsConfig';
import { EnvironmentEngine } from './engine';
import { SecretBox } from './secrets/SecretBox';
import { toEnvironment } from './serialize';
import { EnvironmentStore } from './store/EnvironmentStore';

type Drivers = ReturnType<typeof fakeDrivers>;

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(
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

const request = (over: Record<string, unknown> = {}) =>
  createEnvironmentRequestSchema.parse({
    name: 'demo',
    type: 'small',
    cloud: 'local',
    owner: 'group:default/team-a',
    ...over,
  });

const statusOf = async (store: EnvironmentStore, name = 'demo') =>
  (await store.get(name))?.status;
const settle = async (
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
const allResources = (drivers: Drivers) =>
  Object.values(drivers)
    .flatMap(d => [...d.resources.keys()])
    .sort();

describe('EnvironmentEngine', () => {
  it('provisions in dependency order, independent components in parallel', async () => {
    const { drivers, store, engine } = await setup();
    for (const d of Object.values(drivers)) d.createDelayMs = 60;
    const { created } = await engine.create(request());
    expect(created).toBe(true);
    const env = await settle(engine, store);
    expect(env.status).toBe('ready');
    expect(allResources(drivers)).toEqual([
      'archi-demo-database',
      'archi-demo-kubernetes',
      'archi-demo-network',
      'archi-demo-objectstore',
    ]);
    const at = (d: FakeDriver) => d.calls.find(c => c.op === 'create')!.at;
    // Readers of the network start after it is ready.
    expect(at(drivers.kubernetes)).toBeGreaterThanOrEqual(
      at(drivers.network) + 60,
    );
    expect(at(drivers.database)).toBeGreaterThanOrEqual(
      at(drivers.network) + 60,
    );
    // The bucket needs nothing and starts with the network; the cluster and database together.
    expect(
      Math.abs(at(drivers.objectStore) - at(drivers.network)),
    ).toBeLessThan(50);
    expect(
      Math.abs(at(drivers.kubernetes) - at(drivers.database)),
    ).toBeLessThan(50);
    // References resolved with the network's capabilities.
    expect(
      drivers.kubernetes.resources.get('archi-demo-kubernetes')!.inputs.subnets,
    ).toEqual(['archi-demo-network-a', 'archi-demo-network-b']);
    expect(env.clusterId).toMatch(/^archi-demo-kubernetes-[0-9a-f]{8}$/);
  });

  it('stores secret capabilities encrypted and serves only references', async () => {
    const { db, store, engine, logger } = await setup();
    await engine.create(request());
    await settle(engine, store);
    const password = 'pw-archi-demo-database-s3cr3t-value';
    const view = toEnvironment(
      (await store.get('demo'))!,
      await store.getComponents('demo'),
    );
    const database = view.components.find(c => c.key === 'database')!;
    expect(database.capabilities.master_password).toEqual({
      secretRef: 'multicluster:environment/demo/database/master_password',
    });
    expect(database.capabilities.host).toBe('db.example.test');
    expect(JSON.stringify(view)).not.toContain(password);
    // Not in any table in clear: components, events, environment.
    for (const table of [
      'environments',
      'environment_components',
      'environment_events',
      'environment_secrets',
    ]) {
      expect(JSON.stringify(await db(table).select())).not.toContain(password);
    }
    expect(logger.lines.join('\n')).not.toContain(password);
    expect(
      await engine.revealSecret(
        'multicluster:environment/demo/database/master_password',
      ),
    ).toBe(password);
    expect(
      (await engine.revealCapabilities('demo', 'database')).master_password,
    ).toBe(password);
  });

  it('is idempotent: the same request returns the existing environment', async () => {
    const { drivers, store, engine } = await setup();
    await engine.create(request());
    await settle(engine, store);
    const again = await engine.create(
      request({ ttlMinutes: 60, owner: 'team-a' }),
    );
    expect(again.created).toBe(false);
    expect(again.environment.status).toBe('ready');
    expect(drivers.network.calls.filter(c => c.op === 'create')).toHaveLength(
      1,
    );
  });

  it('answers other inputs under the same name with a 409', async () => {
    const { store, engine } = await setup();
    await engine.create(request());
    await settle(engine, store);
    await expect(
      engine.create(request({ inputs: { kubernetes: { size: 'm' } } })),
    ).rejects.toThrow(ConflictError);
    await expect(
      engine.create(request({ owner: 'group:default/team-b' })),
    ).rejects.toThrow('already exists with other inputs');
  });

  it('lets exactly one of concurrent creates of one name win', async () => {
    const { drivers, store, engine } = await setup();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        engine.create(
          request({ inputs: { kubernetes: { size: i % 2 ? 'm' : 's' } } }),
        ),
      ),
    );
    const created = outcomes.filter(
      o => o.status === 'fulfilled' && o.value.created,
    );
    expect(created).toHaveLength(1);
    const winnerSize = (created[0] as PromiseFulfilledResult<any>).value
      .environment.inputs.kubernetes.size;
    const rejected = outcomes.flatMap(o =>
      o.status === 'rejected' ? [o.reason] : [],
    );
    const returned = outcomes.flatMap(o =>
      o.status === 'fulfilled' && !o.value.created ? [o.value] : [],
    );
    // The four requests with the other size conflict; the three with the same size get the winner.
    expect(rejected).toHaveLength(4);
    expect(rejected.every(r => r instanceof ConflictError)).toBe(true);
    expect(
      returned.map(
        r => (r.environment.inputs.kubernetes as { size: string }).size,
      ),
    ).toEqual([winnerSize, winnerSize, winnerSize]);
    await settle(engine, store);
    expect(drivers.kubernetes.resources.size).toBe(1);
  });

  it('rolls back what was created, in reverse order, when a component fails', async () => {
    const { drivers, store, engine } = await setup();
    drivers.database.failCreates = [
      'quota exceeded for instance class db.t3.medium',
    ];
    drivers.kubernetes.createDelayMs = 80;
    await engine.create(request());
    const env = await settle(engine, store);
    expect(env.status).toBe('failed');
    expect(env.reason).toContain(
      'component database (fake-database) failed: quota exceeded',
    );
    expect(env.reason).toContain('rolled back');
    expect(allResources(drivers)).toEqual([]);
    const deletedAt = (d: FakeDriver) =>
      d.calls.find(c => c.op === 'delete')!.at;
    // The cluster (which reads the network) finished, then went before the network.
    expect(deletedAt(drivers.kubernetes)).toBeLessThanOrEqual(
      deletedAt(drivers.network),
    );
    const components = await store.getComponents('demo');
    expect(components.find(c => c.key === 'network')?.status).toBe('deleted');
  });

  it('keeps what was created with onFailure: keep, and a retry completes it', async () => {
    const { drivers, store, engine } = await setup();
    drivers.database.failCreates = ['transient'];
    await engine.create(request({ onFailure: 'keep' }));
    const failed = await settle(engine, store);
    expect(failed.status).toBe('failed');
    expect(failed.reason).toContain('kept for a retry');
    expect(drivers.network.resources.size).toBe(1);
    const retry = await engine.create(request({ onFailure: 'keep' }));
    expect(retry.retried).toBe(true);
    expect((await settle(engine, store)).status).toBe('ready');
    // The network was not created twice.
    expect(drivers.network.calls.filter(c => c.op === 'create')).toHaveLength(
      1,
    );
    expect(drivers.database.calls.filter(c => c.op === 'create')).toHaveLength(
      2,
    );
  });

  it('fails a component whose outputs break its capability contract', async () => {
    const drivers = fakeDrivers();
    drivers.kubernetes = new FakeDriver(
      'fake-kubernetes',
      'kubernetes',
      'local',
      undefined,
      () => ({
        endpoint: 'http://insecure.example.test',
        cluster_id: 'c',
      }),
    );
    const { store, engine } = await setup({ drivers });
    await engine.create(request());
    const env = await settle(engine, store);
    expect(env.status).toBe('failed');
    expect(env.reason).toContain(
      'Outputs break the kubernetes capability contract',
    );
    expect(env.reason).toContain('version: Required');
  });

  it('destroys in reverse order, idempotently', async () => {
    const { drivers, store, engine } = await setup();
    await engine.create(request());
    await settle(engine, store);
    await engine.destroy('demo');
    const env = await settle(engine, store);
    expect(env.status).toBe('destroyed');
    expect(allResources(drivers)).toEqual([]);
    expect(await store.secrets.list('demo')).toEqual([]);
    const order = Object.values(drivers)
      .map(d => ({ id: d.id, at: d.calls.find(c => c.op === 'delete')!.at }))
      .sort((a, b) => a.at - b.at)
      .map(d => d.id);
    expect(order.indexOf('fake-network')).toBeGreaterThan(
      order.indexOf('fake-kubernetes'),
    );
    expect(order.indexOf('fake-network')).toBeGreaterThan(
      order.indexOf('fake-database'),
    );
    expect((await engine.destroy('demo')).status).toBe('destroyed');
    await expect(engine.destroy('nope')).rejects.toThrow(NotFoundError);
    // The name is free again.
    expect((await engine.create(request())).created).toBe(true);
    expect((await settle(engine, store)).status).toBe('ready');
  });

  it('destroys an environment whose destroy was requested mid-provision', async () => {
    const { drivers, store, engine } = await setup();
    drivers.kubernetes.createDelayMs = 150;
    await engine.create(request());
    await waitFor(async () =>
      (
        await store.getComponents('demo')
      ).some(c => c.key === 'kubernetes' && c.status === 'creating'),
    );
    const during = await engine.destroy('demo');
    expect(during.destroyRequested).toBe(true);
    expect((await settle(engine, store)).status).toBe('destroyed');
    expect(allResources(drivers)).toEqual([]);
  });

  it('resumes after a backend stops mid-provision, without duplicates', async () => {
    const db = await migratedDatabase();
    cleanup.push(() => db.destroy());
    const drivers = fakeDrivers();
    let release!: () => void;
    const stuck = new Promise<void>(resolve => {
      release = resolve;
    });
    drivers.kubernetes.onCreate = async ctx => {
      // The first backend never gets past this point: it is stopped first.
      await Promise.race([
        stuck,
        sleep(60_000, undefined, { signal: ctx.signal }),
      ]);
    };
    const first = await setup({ db, drivers, instanceId: 'replica-a' });
    await first.engine.create(request());
    await waitFor(async () =>
      (
        await first.store.getComponents('demo')
      ).some(c => c.key === 'kubernetes' && c.status === 'creating'),
    );
    await first.engine.shutdown();
    expect(await statusOf(first.store)).toBe('provisioning');

    drivers.kubernetes.onCreate = undefined;
    release();
    const second = await setup({ db, drivers, instanceId: 'replica-b' });
    expect(await second.engine.resumeAll()).toEqual(['demo']);
    expect((await settle(second.engine, second.store)).status).toBe('ready');
    expect(allResources(drivers)).toHaveLength(4);
    for (const d of Object.values(drivers)) expect(d.resources.size).toBe(1);
    // The network was created once; the interrupted cluster create was repeated (idempotent).
    expect(drivers.network.calls.filter(c => c.op === 'create')).toHaveLength(
      1,
    );
    const events = await second.store.events.list('demo', { limit: 100 });
    expect(events.map(e => e.message)).toContainEqual(
      expect.stringContaining('Resuming provisioning after an interruption'),
    );
    expect(events.map(e => e.message)).toContainEqual(
      expect.stringContaining('Resuming create of kubernetes'),
    );
  });

  it('takes over from a replica that died holding the lease, once it expires', async () => {
    const { db, store, engine } = await setup({ instanceId: 'replica-b' });
    const { engine: dead } = await setup({ db, instanceId: 'replica-a' });
    // Plan and record without running: the "dead" replica claimed it and vanished.
    await db('environments').insert({
      name: 'orphan',
      type: 'small',
      cloud: 'local',
      owner: 'group:default/team-a',
      inputs: '{}',
      request_hash: 'x',
      plan: JSON.stringify(dead.plan({ type: 'small', cloud: 'local' })),
      on_failure: 'rollback',
      status: 'provisioning',
      destroy_requested: false,
      lease_owner: 'replica-a',
      lease_until: Date.now() + 800,
      created_at: Date.now(),
      updated_at: Date.now(),
    });
    const plan = dead.plan({ type: 'small', cloud: 'local' });
    await db('environment_components').insert(
      plan.components.map((c, position) => ({
        environment_name: 'orphan',
        key: c.key,
        position,
        kind: c.kind,
        template: c.template,
        driver: c.driver,
        depends_on: JSON.stringify(c.dependsOn),
        inputs: JSON.stringify(c.inputs),
        resource_name: `archi-orphan-${c.key.toLowerCase()}`,
        status: c.key === 'network' ? 'creating' : 'pending',
        capabilities: '{}',
      })),
    );
    expect(await engine.resumeAll()).toEqual([]);
    await sleep(900);
    expect(await engine.resumeAll()).toEqual(['orphan']);
    expect((await settle(engine, store, 'orphan')).status).toBe('ready');
    const events = await store.events.list('orphan', { limit: 100 });
    expect(events[0].message).toContain(
      'Taking over provisioning from replica replica-a',
    );
  });

  it('destroys environments whose TTL passed', async () => {
    const { drivers, store, engine } = await setup();
    await engine.create(request({ ttlMinutes: 10 }));
    const env = await settle(engine, store);
    expect(env.expiresAt).toBe(env.createdAt + 10 * 60_000);
    expect(await engine.sweepExpired(Date.now())).toEqual([]);
    expect(await engine.sweepExpired(Date.now() + 11 * 60_000)).toEqual([
      'demo',
    ]);
    const after = await settle(engine, store);
    expect(after.status).toBe('destroyed');
    expect(after.reason).toBe('TTL expired');
    expect(allResources(drivers)).toEqual([]);
  });

  it('marks drifted components and heals them', async () => {
    const { drivers, store, engine } = await setup();
    await engine.create(request());
    await settle(engine, store);
    expect(await engine.checkDrift()).toEqual([]);
    drivers.objectStore.resources.clear();
    expect(await engine.checkDrift()).toEqual([
      {
        environment: 'demo',
        component: 'objectStore',
        drift: 'archi-demo-objectstore no longer exists',
      },
    ]);
    const drifted = await store.get('demo');
    expect(drifted?.status).toBe('ready');
    expect(drifted?.reason).toContain('drifted: objectStore');
    expect(
      (await store.getComponents('demo')).find(c => c.key === 'objectStore')
        ?.status,
    ).toBe('drifted');
    await engine.heal('demo');
    expect((await settle(engine, store)).status).toBe('ready');
    expect(drivers.objectStore.resources.size).toBe(1);
    expect(
      (await store.getComponents('demo')).every(c => c.status === 'ready'),
    ).toBe(true);
    expect(drivers.network.calls.filter(c => c.op === 'create')).toHaveLength(
      1,
    );
  });

  it.each([
    [{ type: 'huge' }, 'type: unknown environment type "huge"; allowed: small'],
    [
      { cloud: 'aws' },
      'cloud: environment type small does not offer cloud "aws"; allowed: local',
    ],
    [
      { inputs: { cache: { size: 's' } } },
      'inputs.cache: small/local has no component "cache"; allowed: network, objectStore, database, kubernetes',
    ],
    [
      { inputs: { kubernetes: { size: 'xl' } } },
      'inputs.kubernetes: size must be one of s, m, l (got "xl")',
    ],
    [{ inputs: { kubernetes: 3 } }, 'inputs.kubernetes: must be an object'],
    [
      { inputs: { kubernetes: { x: '${{ components.network.network_id }}' } } },
      'inputs.kubernetes: ${{ }} expressions are not allowed',
    ],
  ])(
    'rejects a bad request %j before creating anything',
    async (over, message) => {
      const { drivers, store, engine } = await setup();
      const error = await engine.create(request(over)).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain(message);
      expect(await store.get('demo')).toBeUndefined();
      expect(allResources(drivers)).toEqual([]);
    },
  );

  it('keeps secrets out of events, errors and logs when a driver echoes them', async () => {
    const drivers = fakeDrivers();
    drivers.kubernetes.onCreate = ctx => {
      // A careless upstream error that quotes a credential it was given.
      throw new Error(
        `could not connect to ${String(
          ctx.dependencies.database?.host,
        )} with ${String(ctx.dependencies.database?.master_password)}`,
      );
    };
    const { store, engine, logger, db } = await setup({
      drivers,
      extra: {
        templates: {
          net: { kind: 'network', driver: 'fake-network' },
          cluster: {
            kind: 'kubernetes',
            driver: 'fake-kubernetes',
            inputs: { db: '${{ components.database.host }}' },
          },
          db: { kind: 'database', driver: 'fake-database' },
          bucket: { kind: 'objectStore', driver: 'fake-objectStore' },
        },
      },
    });
    await engine.create(request());
    const env = await settle(engine, store);
    expect(env.status).toBe('failed');
    const password = 'pw-archi-demo-database-s3cr3t-value';
    // Only the secret is redacted; the host (not a secret) stays readable.
    expect(env.reason).toContain(
      'could not connect to db.example.test with [redacted]',
    );
    expect(
      JSON.stringify(await db('environment_events').select()),
    ).not.toContain(password);
    expect(logger.lines.join('\n')).not.toContain(password);
  });
});

describe('EnvironmentCatalog', () => {
  const cfgWith = (extra: Record<string, unknown>) =>
    readEnvironmentsConfig(new ConfigReader(fakeEnvironmentsConfig(extra)));

  it('rejects a consumer whose network contract the network does not provide, naming the key', () => {
    const drivers = fakeDrivers();
    const network = new FakeDriver('fake-network', 'network', 'local', {
      provides: 'local/v1',
    });
    const kubernetes = new FakeDriver('fake-kubernetes', 'kubernetes', 'aws', {
      consumes: { network: ['aws/v1'] },
    });
    expect(() =>
      EnvironmentCatalog.build(
        cfgWith({}),
        new DriverRegistry([
          network,
          kubernetes,
          drivers.database,
          drivers.objectStore,
        ]),
      ),
    ).toThrow(
      'multicluster.environments.types.small.clouds.local.kubernetes: driver fake-kubernetes needs a network of contract aws/v1, ' +
        'but component network uses driver fake-network (contract local/v1)',
    );
  });

  it('rejects a user mapping whose driver is not installed', () => {
    const d = fakeDrivers();
    expect(() =>
      EnvironmentCatalog.build(
        cfgWith({}),
        new DriverRegistry([d.network, d.kubernetes, d.database]),
      ),
    ).toThrow(
      'multicluster.environments.types.small.clouds.local.objectStore.template: template bucket uses driver fake-objectStore, which is not installed',
    );
  });

  it('rejects a driver of another kind than its template', () => {
    const d = fakeDrivers();
    const wrong = new FakeDriver('fake-objectStore', 'database');
    expect(() =>
      EnvironmentCatalog.build(
        cfgWith({}),
        new DriverRegistry([d.network, d.kubernetes, d.database, wrong]),
      ),
    ).toThrow(EnvironmentsConfigError);
  });

  it('rejects template inputs a driver refuses', () => {
    expect(() =>
      EnvironmentCatalog.build(
        cfgWith({
          types: {
            small: {
              clouds: {
                local: {
                  network: { template: 'net' },
                  kubernetes: { template: 'cluster', inputs: { size: 'huge' } },
                },
              },
            },
          },
        }),
        new DriverRegistry(Object.values(fakeDrivers())),
      ),
    ).toThrow(
      'multicluster.environments.types.small.clouds.local.kubernetes.inputs: size must be one of s, m, l',
    );
  });

  it('makes a contributed cloud whose drivers are missing unavailable, not an error', () => {
    // A module maps production on aws without its drivers installed (no config for them).
    const mapping = (prefix: string) => ({
      network: { template: `${prefix}-net` },
      kubernetes: { template: `${prefix}-cluster` },
    });
    const cfg = readEnvironmentsConfig(
      new ConfigReader({ multicluster: { environments: {} } }),
      {
        templates: {
          'local-net': { kind: 'network', driver: 'fake-network' },
          'local-cluster': { kind: 'kubernetes', driver: 'fake-kubernetes' },
          'aws-net': { kind: 'network', driver: 'aws-vpc' },
          'aws-cluster': { kind: 'kubernetes', driver: 'aws-eks' },
        },
        mappings: {
          'dev-small': { local: mapping('local') },
          production: { local: mapping('local'), aws: mapping('aws') },
        },
      },
    );
    const catalog = EnvironmentCatalog.build(
      cfg,
      new DriverRegistry(Object.values(fakeDrivers())),
    );
    expect(
      catalog.listTypes().map(t => [t.type, t.clouds.map(c => c.cloud)]),
    ).toEqual([
      ['dev-small', ['local']],
      ['production', ['local']],
    ]);
    expect(() => catalog.plan({ type: 'production', cloud: 'aws' })).toThrow(
      'cloud: environment type production does not offer cloud "aws" (driver aws-eks, aws-vpc is not installed); allowed: local',
    );
  });
});
