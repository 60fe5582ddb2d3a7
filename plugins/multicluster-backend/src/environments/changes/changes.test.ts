/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ConflictError, InputError } from '@backstage/errors';
import {
  allResources,
  request,
  settle,
  setup,
} from '../__testUtils__/engineSetup';
import { toEnvironment } from '../serialize';
import { QuotaExceededError } from '../quotas';

const PASSWORD = 'pw-archi-demo-database-s3cr3t-value';
const REPLACED_PASSWORD = 'pw-archi-demo-database-r2-s3cr3t-value';

async function readyDemo(extra?: Record<string, unknown>) {
  const ctx = await setup({ extra });
  await ctx.engine.create(request());
  expect((await settle(ctx.engine, ctx.store)).status).toBe('ready');
  return ctx;
}

describe('changing an environment', () => {
  it('updates in place, in dependency order, and records a revision', async () => {
    const { drivers, store, engine } = await readyDemo();
    const prepared = await engine.changes.planUpdate('demo', {
      inputs: { kubernetes: { size: 'm' } },
    });
    expect(
      prepared.plan.components.map(c => [c.key, c.action, c.inputs]),
    ).toEqual([
      ['network', 'unchanged', []],
      ['objectStore', 'unchanged', []],
      ['database', 'unchanged', []],
      [
        'kubernetes',
        'update',
        [{ name: 'size', from: 's', to: 'm', how: 'in-place' }],
      ],
    ]);
    expect(prepared.plan).toMatchObject({ fromRevision: 1, toRevision: 2 });
    // Planning wrote nothing.
    expect((await store.get('demo'))!.status).toBe('ready');

    await engine.changes.start(prepared, 'user:default/jane');
    const env = await settle(engine, store);
    expect(env).toMatchObject({
      status: 'ready',
      revision: 2,
      inputs: { kubernetes: { size: 'm' } },
    });
    expect(drivers.kubernetes.calls.filter(c => c.op === 'update')).toEqual([
      expect.objectContaining({
        resourceName: 'archi-demo-kubernetes',
        changed: ['size'],
      }),
    ]);
    expect(
      drivers.kubernetes.resources.get('archi-demo-kubernetes')!.inputs.size,
    ).toBe('m');
    const revisions = await store.revisions.list('demo');
    expect(revisions.map(r => [r.revision, r.operation, r.status])).toEqual([
      [2, 'update', 'applied'],
      [1, 'create', 'applied'],
    ]);
    expect(revisions[0].createdBy).toBe('user:default/jane');
    expect(
      revisions[0].components.find(c => c.key === 'kubernetes')!.inputs.size,
    ).toBe('m');
  });

  it('replaces a component beside the old one, then deletes the old one; secrets follow', async () => {
    const { drivers, store, engine } = await readyDemo();
    const prepared = await engine.changes.planUpdate('demo', {
      inputs: { database: { tier: 'big' } },
    });
    const database = prepared.plan.components.find(c => c.key === 'database')!;
    expect(database.action).toBe('replace');
    expect(database.reasons).toEqual([
      'fake-database cannot change tier in place',
    ]);
    expect(
      database.capabilities.find(c => c.name === 'master_password'),
    ).toEqual({ name: 'master_password', secret: true, knownAfterApply: true });
    await engine.changes.start(prepared);
    const env = await settle(engine, store);
    expect(env.status).toBe('ready');
    const ops = drivers.database.calls.map(c => `${c.op} ${c.resourceName}`);
    expect(ops).toEqual([
      'create archi-demo-database',
      'create archi-demo-database-r2',
      'delete archi-demo-database',
    ]);
    expect([...drivers.database.resources.keys()]).toEqual([
      'archi-demo-database-r2',
    ]);
    const components = await store.getComponents('demo');
    const db = components.find(c => c.key === 'database')!;
    expect(db).toMatchObject({
      generation: 2,
      resourceName: 'archi-demo-database-r2',
    });
    expect(
      await engine.revealSecret(
        'multicluster:environment/demo/database/master_password',
      ),
    ).toBe(REPLACED_PASSWORD);
    // The first generation's secret is gone with the old database.
    expect(await store.secrets.storedKeys('demo')).toEqual(['database#2']);
  });

  it('returns to the previous revision with nothing left over when a step fails midway', async () => {
    const { drivers, store, engine } = await readyDemo();
    const before = allResources(drivers);
    // The network changes in place, then the replacement database fails.
    drivers.database.failCreates.push('quota exceeded in the fake cloud');
    await engine.changes.start(
      await engine.changes.planUpdate('demo', {
        inputs: { network: { size: 'm' }, database: { tier: 'big' } },
      }),
    );
    const env = await settle(engine, store);
    expect(env.status).toBe('ready');
    expect(env.revision).toBe(1);
    expect(env.inputs).toEqual({});
    expect(env.reason).toContain(
      'Update to revision 2 failed (database (fake-database): quota exceeded in the fake cloud); returned to revision 1',
    );
    expect(allResources(drivers)).toEqual(before);
    expect(drivers.network.calls.filter(c => c.op === 'update')).toHaveLength(
      2,
    );
    expect(
      drivers.network.resources.get('archi-demo-network')!.inputs.size,
    ).toBeUndefined();
    const components = await store.getComponents('demo');
    expect(components.every(c => !c.change && c.generation === 1)).toBe(true);
    expect(
      (await store.revisions.list('demo')).map(r => [r.revision, r.status]),
    ).toEqual([
      [2, 'failed'],
      [1, 'applied'],
    ]);
    expect(
      await engine.revealSecret(
        'multicluster:environment/demo/database/master_password',
      ),
    ).toBe(PASSWORD);
  });

  it('rolls back to a kept revision through the same plan and apply', async () => {
    const { store, engine } = await readyDemo();
    await engine.changes.start(
      await engine.changes.planUpdate('demo', {
        inputs: { kubernetes: { size: 'l' } },
      }),
    );
    await settle(engine, store);
    const plan = await engine.changes.planRollback('demo', 1);
    expect(plan.plan).toMatchObject({
      operation: 'rollback',
      fromRevision: 2,
      toRevision: 3,
    });
    expect(
      plan.plan.components.find(c => c.key === 'kubernetes')!.inputs,
    ).toEqual([{ name: 'size', from: 'l', to: 's', how: 'in-place' }]);
    await engine.changes.start(plan);
    const env = await settle(engine, store);
    expect(env).toMatchObject({ status: 'ready', revision: 3, inputs: {} });
    expect((await store.revisions.get('demo', 3))!).toMatchObject({
      operation: 'rollback',
      restores: 1,
      status: 'applied',
    });
  });

  it.each([
    [
      { cloud: 'aws' as const },
      'cloud: an update cannot move environment demo from local to aws; promote it to a new environment instead',
    ],
    [
      { inputs: { kubernetes: { zone: 'b' } } },
      'inputs.kubernetes.zone: fake-kubernetes cannot change zone of an existing kubernetes (from unset to "b")',
    ],
    [
      { inputs: { kubernetes: { size: 'xl' } } },
      'inputs.kubernetes: size must be one of s, m, l (got "xl")',
    ],
    [{ type: 'huge' }, 'type: unknown environment type "huge"; allowed: small'],
    [
      { ttlMinutes: 50000 },
      'ttlMinutes: 50000 is over the maximum of 43200 minutes',
    ],
  ])(
    'refuses a bad update naming the field, and changes nothing (%#)',
    async (update, message) => {
      const { drivers, store, engine } = await readyDemo();
      const before = JSON.stringify(await store.get('demo'));
      const error = await engine.changes
        .planUpdate('demo', update)
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain(message);
      expect(JSON.stringify(await store.get('demo'))).toBe(before);
      expect(
        Object.values(drivers).every(d =>
          d.calls.every(c => c.op === 'create'),
        ),
      ).toBe(true);
    },
  );

  it('refuses an unknown revision, naming the kept ones', async () => {
    const { engine } = await readyDemo();
    await expect(engine.changes.planRollback('demo', 7)).rejects.toThrow(
      'revision: environment demo has no revision 7; kept revisions: 1',
    );
    await expect(engine.changes.planRollback('demo', 1)).rejects.toThrow(
      'revision: environment demo is at revision 1 already',
    );
  });

  it('heals: recreates the drifted component, then updates what reads it', async () => {
    const { drivers, store, engine } = await readyDemo();
    drivers.network.resources.clear();
    const drift = await engine.checkDrift();
    expect(drift).toEqual([
      {
        environment: 'demo',
        component: 'network',
        drift: 'archi-demo-network no longer exists',
      },
    ]);
    const prepared = await engine.changes.planHeal('demo');
    expect(
      Object.fromEntries(prepared.plan.components.map(c => [c.key, c.action])),
    ).toEqual({
      network: 'recreate',
      objectStore: 'unchanged',
      database: 'update',
      kubernetes: 'update',
    });
    await engine.heal('demo');
    const env = await settle(engine, store);
    expect(env.status).toBe('ready');
    expect(env.revision).toBe(1);
    expect(drivers.network.resources.has('archi-demo-network')).toBe(true);
    const components = await store.getComponents('demo');
    expect(components.every(c => c.status === 'ready')).toBe(true);
    // The dependants read the same subnets again: nothing to change on them.
    expect(drivers.kubernetes.calls.filter(c => c.op === 'update')).toEqual([]);
    const view = toEnvironment(env, components);
    expect(view.components.every(c => !c.drift)).toBe(true);
  });

  it('refuses changes while a change runs', async () => {
    const { drivers, store, engine } = await readyDemo();
    drivers.kubernetes.updates = { inPlace: {} };
    drivers.kubernetes.createDelayMs = 200;
    await engine.changes.start(
      await engine.changes.planUpdate('demo', {
        inputs: { kubernetes: { size: 'm' } },
      }),
    );
    await expect(
      engine.changes.planUpdate('demo', { inputs: {} }),
    ).rejects.toBeInstanceOf(ConflictError);
    const env = await settle(engine, store);
    expect(env.revision).toBe(2);
    // Without in-place support the cluster was replaced.
    expect([...drivers.kubernetes.resources.keys()]).toEqual([
      'archi-demo-kubernetes-r2',
    ]);
  });

  it('extends the TTL within the maximum', async () => {
    const { store, engine } = await readyDemo();
    await expect(engine.changes.extend('demo', 60)).rejects.toThrow(
      'has no TTL',
    );
    await engine.changes.start(
      await engine.changes.planUpdate('demo', { ttlMinutes: 60 }),
    );
    const withTtl = (await store.get('demo'))!;
    expect(withTtl.revision).toBe(2);
    expect(withTtl.expiresAt! - Date.now()).toBeGreaterThan(59 * 60_000);
    await engine.changes.extend('demo', 120, 'user:default/jane');
    const extended = (await store.get('demo'))!;
    expect(extended.expiresAt! - withTtl.expiresAt!).toBe(120 * 60_000);
    await expect(engine.changes.extend('demo', 43200)).rejects.toThrow(
      'ttlMinutes: extending by 43200 minutes would put the expiry more than 43200 minutes from now',
    );
  });

  it('enforces per-owner quotas before any work', async () => {
    const { drivers, engine } = await setup({
      extra: {},
    });
    (engine.quotas as any).settings = {
      environmentsPerOwner: 1,
      dedicatedDatabaseServersPerOwner: 0,
    };
    await engine.create(request());
    const second = await engine
      .create(request({ name: 'second' }))
      .catch(e => e);
    expect(second).toBeInstanceOf(QuotaExceededError);
    expect(second.message).toBe(
      'Quota multicluster.environments.quotas.environmentsPerOwner is 1: group:default/team-a has 1 environments already; destroy one first',
    );
    const third = await engine
      .create(
        request({
          name: 'third',
          owner: 'group:default/team-b',
          inputs: { database: { dedicated: true } },
        }),
      )
      .catch(e => e);
    expect(third.message).toContain(
      'Quota multicluster.environments.quotas.dedicatedDatabaseServersPerOwner is 0',
    );
    expect(
      drivers.database.calls.filter(c => c.resourceName.includes('third')),
    ).toEqual([]);
  });
});
