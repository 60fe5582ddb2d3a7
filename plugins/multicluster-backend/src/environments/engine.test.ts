/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  FakeDriver,
  fakeDrivers,
  migratedDatabase,
  sleep,
  waitFor,
} from './__testUtils__/fakes';
import {
  allResources,
  cleanup,
  request,
  settle,
  setup,
  statusOf,
} from './__testUtils__/engineSetup';
import { toEnvironment } from './serialize';

describe('EnvironmentEngine', () => {
  it('provisions in dependency order, independent components in parallel', async () => {
    const { drivers, store, engine } = await setup();
    // Long enough that "in parallel" (started before the other finished)
    // holds on a loaded machine too.
    const delay = 300;
    for (const d of Object.values(drivers)) d.createDelayMs = delay;
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
      at(drivers.network) + delay,
    );
    expect(at(drivers.database)).toBeGreaterThanOrEqual(
      at(drivers.network) + delay,
    );
    // The bucket needs nothing and starts with the network; the cluster and database together.
    expect(
      Math.abs(at(drivers.objectStore) - at(drivers.network)),
    ).toBeLessThan(delay);
    expect(
      Math.abs(at(drivers.kubernetes) - at(drivers.database)),
    ).toBeLessThan(delay);
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
