/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { InputError } from '@backstage/errors';
import {
  allResources,
  request,
  settle,
  setup,
} from './__testUtils__/engineSetup';

describe('EnvironmentTasks', () => {
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
});
