/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { request, settle, setup } from './__testUtils__/engineSetup';
import { type ExpiryNotifier, warnExpiring } from './expiry';

describe('expiry warnings', () => {
  it('tells the owner once before expiry, again after an extension, and goes on without notifications', async () => {
    const { store, engine, logger } = await setup();
    await engine.create(request({ ttlMinutes: 30 }));
    const env = await settle(engine, store);
    const sent: Array<Parameters<ExpiryNotifier['send']>[0]> = [];
    const notifier: ExpiryNotifier = {
      send: async options => {
        sent.push(options);
      },
    };
    const warn = (now: number, n: ExpiryNotifier | undefined = notifier) =>
      warnExpiring({
        store,
        events: engine.events,
        logger,
        notifier: n,
        warnBeforeMinutes: 60,
        now,
      });
    // 30 minutes left, inside the 60-minute window.
    expect(await warn(env.createdAt)).toEqual(['demo']);
    expect(await warn(env.createdAt + 60_000)).toEqual([]);
    expect(sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: 'group:default/team-a' },
        payload: expect.objectContaining({
          title: 'Environment demo expires in 30 minutes',
          link: '/multicluster/environments/demo',
          severity: 'high',
        }),
      },
    ]);
    const events = (await store.events.list('demo', { limit: 100 })).map(
      e => e.message,
    );
    expect(events).toContainEqual(
      expect.stringMatching(
        /^Expires at .* \(in 30 minutes\) and will be destroyed; extend it/,
      ),
    );
    // Extended past the window: no warning; once the new expiry nears, one more.
    await engine.changes.extend('demo', 120);
    expect(await warn(Date.now())).toEqual([]);
    const failing: ExpiryNotifier = {
      send: async () => {
        throw new Error('notifications plugin not installed (404)');
      },
    };
    expect(await warn(Date.now() + 100 * 60_000, failing)).toEqual(['demo']);
    expect(sent).toHaveLength(1);
  });
});
