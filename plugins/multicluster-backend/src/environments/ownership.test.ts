/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMulticlusterTestModule } from '@archipelago/multicluster-node-test-utils';
import type { Knex } from 'knex';
import request from 'supertest';
import { multiclusterPlugin } from '../plugin';
import {
  fakeDrivers,
  fakeEnvironmentsConfig,
  migratedDatabase,
  waitFor,
} from './__testUtils__/fakes';
import {
  OwnershipTestPolicy,
  actorAwareAuthFactory,
} from './__testUtils__/ownershipPolicy';

jest.setTimeout(60_000);

const OWNERSHIP: Record<string, string[]> = {
  'user:default/root': ['user:default/root', 'group:default/admins'],
  'user:default/alice': ['user:default/alice', 'group:default/team-a'],
  'user:default/bob': ['user:default/bob', 'group:default/team-b'],
  // A group named like team A's, in another namespace: not team A.
  'user:default/eve': ['user:default/eve', 'group:other/team-a'],
};

const group = (name: string, namespace = 'default') => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace },
  spec: { type: 'team', children: [] },
});

const PASSWORD = 'pw-archi-shop-database-s3cr3t-value';

/**
 * Ownership on every environment route, with the real permission framework:
 * the permission backend and a policy that decides by ownership (IS_OWNER),
 * the multicluster plugin asking it over HTTP as it does in a portal.
 */
describe('environment ownership', () => {
  let knex: Knex;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const drivers = fakeDrivers();

  beforeAll(async () => {
    knex = await migratedDatabase();
    const policy = createBackendModule({
      pluginId: 'permission',
      moduleId: 'ownership-test-policy',
      register(reg) {
        reg.registerInit({
          deps: {
            policy: policyExtensionPoint,
            userInfo: coreServices.userInfo,
          },
          async init(deps) {
            deps.policy.setPolicy(
              new OwnershipTestPolicy(deps.userInfo, ['group:default/admins']),
            );
          },
        });
      },
    });
    const config = fakeEnvironmentsConfig({
      quotas: { environmentsPerOwner: 2 },
    });
    backend = await startTestBackend({
      features: [
        permissionPlugin,
        policy,
        permissionsServiceFactory,
        actorAwareAuthFactory,
        multiclusterPlugin,
        createMulticlusterTestModule({ drivers: Object.values(drivers) }),
        catalogServiceMock.factory({
          entities: [
            group('team-a'),
            group('team-b'),
            group('team-a', 'other'),
          ],
        }),
        mockServices.userInfo.mock({
          getUserInfo: async credentials => {
            const ref = (credentials.principal as { userEntityRef: string })
              .userEntityRef;
            return {
              userEntityRef: ref,
              ownershipEntityRefs: OWNERSHIP[ref] ?? [ref],
            };
          },
        }).factory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            multicluster: {
              discovery: { intervalSeconds: 3600 },
              health: { intervalSeconds: 3600, timeoutSeconds: 1 },
              ...config.multicluster,
            },
          },
        }),
        mockServices.database.factory({ knex }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await knex?.destroy();
  });

  const as = (user: string) => {
    const header = mockCredentials.user.header(user);
    const api = {
      get: (p: string) => request(backend.server).get(p),
      delete: (p: string) => request(backend.server).delete(p),
      post: (p: string) => request(backend.server).post(p),
      put: (p: string) => request(backend.server).put(p),
    };
    return {
      get: (path: string) =>
        api.get(`/api/multicluster${path}`).set('Authorization', header),
      delete: (path: string) =>
        api.delete(`/api/multicluster${path}`).set('Authorization', header),
      post: (path: string, body: object) =>
        api
          .post(`/api/multicluster${path}`)
          .set('Authorization', header)
          .send(body),
      put: (path: string, body: object) =>
        api
          .put(`/api/multicluster${path}`)
          .set('Authorization', header)
          .send(body),
    };
  };
  const alice = as('user:default/alice');
  const bob = as('user:default/bob');
  const eve = as('user:default/eve');
  const root = as('user:default/root');
  const settled = (name: string) =>
    waitFor(
      async () => {
        const res = await root.get(`/environments/${name}`);
        return ['ready', 'failed', 'destroyed'].includes(res.body.status)
          ? res.body
          : undefined;
      },
      { what: `${name} to settle` },
    );
  const shop = {
    name: 'shop',
    type: 'small',
    cloud: 'local',
    owner: 'group:default/team-a',
  };

  it('lets a member create for their team, and nobody for a team they are not in', async () => {
    const refused = await bob.post('/environments', shop);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      'owner: you may create environments only for yourself or a group you belong to ' +
        '(user:default/bob, group:default/team-b); group:default/team-a is not one of them',
    );
    // Same-named group in another namespace is not the team.
    expect((await eve.post('/environments', shop)).status).toBe(403);
    const created = await alice.post('/environments', shop);
    expect(created.status).toBe(201);
    expect((await settled('shop')).status).toBe('ready');
  });

  it('answers 404 to others on read, events, revisions, change, destroy, heal, extend, rollback and secrets', async () => {
    for (const user of [bob, eve]) {
      const answers = await Promise.all([
        user.get('/environments/shop'),
        user.get('/environments/shop/events'),
        user.get('/environments/shop/revisions'),
        user.put('/environments/shop', {
          inputs: { kubernetes: { size: 'm' } },
        }),
        user.delete('/environments/shop'),
        user.post('/environments/shop/heal', {}),
        user.post('/environments/shop/extend', { ttlMinutes: 60 }),
        user.post('/environments/shop/rollback', { revision: 1 }),
        user.get('/environments/shop/secrets/database/master_password'),
        user.post('/environments/shop/promote', {
          name: 'shop-copy',
          type: 'small',
          cloud: 'local',
          owner: 'group:default/team-b',
        }),
      ]);
      expect(answers.map(a => a.status)).toEqual(Array(10).fill(404));
      for (const a of answers) {
        expect(a.text).not.toContain('team-a');
        expect(a.text).not.toContain(PASSWORD);
      }
    }
    const list = await bob.get('/environments');
    expect(list.body.items).toEqual([]);
    expect(
      (await alice.get('/environments')).body.items.map((e: any) => e.name),
    ).toEqual(['shop']);
  });

  it('does not let others learn of it through POST /environments, nor retry it', async () => {
    const same = await bob.post('/environments', {
      ...shop,
      owner: 'group:default/team-b',
    });
    expect(same.status).toBe(404);
    expect(same.text).not.toContain('team-a');
    expect(same.text).not.toContain('small');
    const owners = await alice.post('/environments', shop);
    expect(owners.status).toBe(200);
  });

  it('refuses an owner that is not in the catalog', async () => {
    const res = await root.post('/environments', {
      ...shop,
      name: 'ghost',
      owner: 'group:default/nobody',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'owner: group:default/nobody is not in the catalog; use a group or user entity ref such as group:default/team-a',
    );
  });

  it('lets an admin create for any team', async () => {
    const res = await root.post('/environments', {
      ...shop,
      name: 'for-b',
      owner: 'group:default/team-b',
    });
    expect(res.status).toBe(201);
    expect((await settled('for-b')).status).toBe('ready');
    // Bob, of team B, sees and may change it.
    expect((await bob.get('/environments/for-b')).status).toBe(200);
  });

  it('lets the owner reveal a secret, uncached, audited, and nobody else', async () => {
    const res = await alice.get(
      '/environments/shop/secrets/database/master_password',
    );
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      environment: 'shop',
      component: 'database',
      capability: 'master_password',
      value: PASSWORD,
    });
    const notSecret = await alice.get(
      '/environments/shop/secrets/database/host',
    );
    expect(notSecret.status).toBe(400);
    expect(notSecret.body.error.message).toBe(
      'capability: host is not a secret capability of database component database; secret capabilities: master_password',
    );
    expect(
      (await alice.get('/environments/shop/secrets/cache/master_password'))
        .status,
    ).toBe(404);
  });

  it('enforces the per-owner quota with a 429 naming it', async () => {
    await alice.post('/environments', { ...shop, name: 'shop-two' });
    const res = await alice.post('/environments', {
      ...shop,
      name: 'shop-three',
    });
    expect(res.status).toBe(429);
    expect(res.body.error.message).toContain(
      'Quota multicluster.environments.quotas.environmentsPerOwner is 2: group:default/team-a has 2 environments already',
    );
    await settled('shop-two');
  });

  it('lets the owner update, and destroy', async () => {
    const plan = await alice.put('/environments/shop?dryRun=true', {
      inputs: { kubernetes: { size: 'm' } },
    });
    expect(plan.status).toBe(200);
    expect(
      plan.body.plan.components.find((c: any) => c.key === 'kubernetes').action,
    ).toBe('update');
    const applied = await alice.put('/environments/shop', {
      inputs: { kubernetes: { size: 'm' } },
    });
    expect(applied.status).toBe(202);
    expect((await settled('shop')).revision).toBe(2);
    expect((await alice.delete('/environments/shop')).status).toBe(202);
    expect((await settled('shop')).status).toBe('destroyed');
  });
});
