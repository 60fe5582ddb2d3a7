/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Knex } from 'knex';
import type { JsonObject } from '@backstage/types';
import request from 'supertest';
import {
  TEST_SECRET_KEY,
  fakeDrivers,
  fakeEnvironmentsConfig,
  migratedDatabase,
  waitFor,
} from './__testUtils__/fakes';
import {
  type PluginHandle,
  startMulticlusterPlugin,
} from '../service/__testUtils__/startPlugin';

jest.setTimeout(60_000);

const PASSWORD = 'pw-archi-demo-database-s3cr3t-value';

/** The plugin's config: fake-driver environments, and no inventory rounds of its own. */
const multiclusterConfig = (envs: Record<string, unknown>) => ({
  multicluster: {
    discovery: { intervalSeconds: 3600 },
    health: { intervalSeconds: 3600, timeoutSeconds: 1 },
    environments: envs,
  } as JsonObject,
});
const environments = fakeEnvironmentsConfig().multicluster.environments;

/** The owners of the tests' environments, as catalog groups. */
const entities = ['team-a', 'team-b', 'team-c'].map(name => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
}));

/** Every body the API sent, for the secret scan at the end. */
const bodies: string[] = [];
const record = <T extends { text: string }>(res: T): T => {
  bodies.push(res.text);
  return res;
};

describe('environments REST API', () => {
  let knex: Knex;
  let backend: PluginHandle;
  let drivers: ReturnType<typeof fakeDrivers>;

  beforeAll(async () => {
    knex = await migratedDatabase();
    drivers = fakeDrivers();
    backend = await startMulticlusterPlugin({
      knex,
      config: multiclusterConfig(environments),
      drivers: Object.values(drivers),
      entities,
    });
  });

  afterAll(async () => {
    await backend.stop();
    await knex.destroy();
  });

  const api = () => request(backend.server);
  const body = (over: Record<string, unknown> = {}) => ({
    name: 'demo',
    type: 'small',
    cloud: 'local',
    owner: 'group:default/team-a',
    ...over,
  });
  const ready = (name = 'demo') =>
    waitFor(
      async () => {
        const res = record(
          await api().get(`/api/multicluster/environments/${name}`),
        );
        return ['ready', 'failed', 'destroyed'].includes(res.body.status)
          ? res.body
          : undefined;
      },
      { what: `${name} to settle` },
    );

  it('lists environment types', async () => {
    const res = record(await api().get('/api/multicluster/environment-types'));
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        type: 'small',
        title: 'Small',
        description: '',
        clouds: [
          {
            cloud: 'local',
            components: [
              {
                key: 'network',
                kind: 'network',
                template: 'net',
                driver: 'fake-network',
                description: 'fake network',
              },
              {
                key: 'objectStore',
                kind: 'objectStore',
                template: 'bucket',
                driver: 'fake-objectStore',
                description: 'fake objectStore',
              },
              {
                key: 'database',
                kind: 'database',
                template: 'db',
                driver: 'fake-database',
                description: 'fake database',
              },
              {
                key: 'kubernetes',
                kind: 'kubernetes',
                template: 'cluster',
                driver: 'fake-kubernetes',
                description: 'fake kubernetes',
              },
            ],
          },
        ],
      },
    ]);
  });

  it.each([
    [
      body({ name: 'Bad_Name' }),
      'request body field name must match pattern "^[a-z]([-a-z0-9]*[a-z0-9])?$"',
    ],
    [
      body({ type: 'huge' }),
      'type: unknown environment type "huge"; allowed: small',
    ],
    [
      body({ cloud: 'mars' }),
      'request body field cloud must be equal to one of the allowed values: local, aws, azure, gcp',
    ],
    [
      body({ cloud: 'aws' }),
      'cloud: environment type small does not offer cloud "aws"; allowed: local',
    ],
    [body({ ttlMinutes: 5 }), 'request body field ttlMinutes must be >= 10'],
    [
      body({ ttlMinutes: 100000 }),
      'request body field ttlMinutes must be <= 43200',
    ],
    [
      body({ onFailure: 'pray' }),
      'request body field onFailure must be equal to one of the allowed values: rollback, keep',
    ],
    [
      body({ owner: '' }),
      'request body field owner must NOT have fewer than 1 characters',
    ],
    [
      body({ owner: 'not a ref!' }),
      'owner: owner must be an entity ref such as group:default/team-a',
    ],
    [body({ extra: 1 }), 'request body must NOT have additional properties'],
    [
      body({ inputs: { kubernetes: { size: 'xl' } } }),
      'inputs.kubernetes: size must be one of s, m, l (got "xl")',
    ],
    [
      body({ inputs: { cache: {} } }),
      'inputs.cache: small/local has no component "cache"; allowed: network, objectStore, database, kubernetes',
    ],
  ])(
    'answers a bad create with a 400 naming the field (%#)',
    async (payload, message) => {
      const res = record(
        await api().post('/api/multicluster/environments').send(payload),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(message);
      expect(Object.values(drivers).every(d => d.calls.length === 0)).toBe(
        true,
      );
      expect((await knex('environments').count({ n: '*' }))[0].n).toBe(0);
    },
  );

  it('reports the plan on a dry run without creating anything', async () => {
    const res = record(
      await api()
        .post('/api/multicluster/environments?dryRun=true')
        .send(body()),
    );
    expect(res.status).toBe(200);
    expect(res.body.plan.stages).toEqual([
      ['network', 'objectStore'],
      ['database', 'kubernetes'],
    ]);
    expect(
      res.body.plan.components.map((c: any) => [c.key, c.template, c.driver]),
    ).toEqual([
      ['network', 'net', 'fake-network'],
      ['objectStore', 'bucket', 'fake-objectStore'],
      ['database', 'db', 'fake-database'],
      ['kubernetes', 'cluster', 'fake-kubernetes'],
    ]);
    expect(
      (await api().get('/api/multicluster/environments/demo')).status,
    ).toBe(404);
  });

  it('creates, returns the same environment for the same request, and refuses other inputs', async () => {
    const created = record(
      await api()
        .post('/api/multicluster/environments')
        .send(body({ ttlMinutes: 60 })),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'demo',
      type: 'small',
      cloud: 'local',
      owner: 'group:default/team-a',
      ttlMinutes: 60,
    });
    const env = await ready();
    expect(env.status).toBe('ready');
    const database = env.components.find((c: any) => c.key === 'database');
    expect(database.capabilities).toEqual({
      host: 'db.example.test',
      port: 5432,
      database: 'archi_demo_database',
      master_username: 'app',
      master_password: {
        secretRef: 'multicluster:environment/demo/database/master_password',
      },
    });
    expect(env.clusterId).toBeDefined();
    // The inventory was asked to discover at once: the new cluster shows up.
    await waitFor(
      async () =>
        (
          await api().get('/api/multicluster/clusters')
        ).body.items?.some((c: any) => c.environment === 'demo'),
      { what: "the environment's cluster in the inventory" },
    );

    const same = record(
      await api()
        .post('/api/multicluster/environments')
        .send(body({ ttlMinutes: 60 })),
    );
    expect(same.status).toBe(200);
    expect(same.body.createdAt).toBe(created.body.createdAt);
    const other = record(
      await api()
        .post('/api/multicluster/environments')
        .send(body({ inputs: { kubernetes: { size: 'm' } } })),
    );
    expect(other.status).toBe(409);
    expect(other.body.error.message).toContain(
      'already exists with other inputs',
    );
  });

  it('lets exactly one of concurrent creates of one name win', async () => {
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        api()
          .post('/api/multicluster/environments')
          .send(
            body({
              name: 'race',
              inputs: { kubernetes: { size: i % 2 ? 's' : 'm' } },
            }),
          ),
      ),
    );
    responses.forEach(record);
    const statuses = responses.map(r => r.status).sort();
    expect(statuses.filter(s => s === 201)).toHaveLength(1);
    expect(statuses.filter(s => s === 409)).toHaveLength(3);
    expect(statuses.filter(s => s === 200)).toHaveLength(2);
    await ready('race');
  });

  it('lists environments with a cursor and serves events', async () => {
    const page1 = record(
      await api().get('/api/multicluster/environments?limit=1'),
    );
    expect(page1.body.totalItems).toBe(2);
    expect(page1.body.items.map((e: any) => e.name)).toEqual(['demo']);
    const page2 = record(
      await api().get(
        `/api/multicluster/environments?limit=1&cursor=${page1.body.nextCursor}`,
      ),
    );
    expect(page2.body.items.map((e: any) => e.name)).toEqual(['race']);
    expect(page2.body.nextCursor).toBeUndefined();
    const filtered = record(
      await api().get('/api/multicluster/environments?status=failed'),
    );
    expect(filtered.body.items).toEqual([]);
    const bad = record(
      await api().get('/api/multicluster/environments?status=sleeping'),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain(
      'query parameter status.0 must be equal to one of the allowed values: pending, provisioning',
    );

    const events = record(
      await api().get('/api/multicluster/environments/demo/events'),
    );
    const messages = events.body.items.map((e: any) => e.message);
    expect(messages[0]).toContain(
      'Requested by user:default/mock: small on local',
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/^database ready in \d+\.\ds$/),
    );
    expect(messages[messages.length - 1]).toMatch(/^Ready in \d+\.\ds$/);
    expect(
      events.body.items
        .filter((e: any) => e.component === 'kubernetes')
        .map((e: any) => e.message),
    ).toEqual([
      'Creating kubernetes (fake-kubernetes, template cluster)',
      expect.stringMatching(/^kubernetes ready in \d+\.\ds$/),
    ]);
    const after = record(
      await api().get(
        `/api/multicluster/environments/demo/events?after=${events.body.items[2].id}`,
      ),
    );
    expect(after.body.items[0].id).toBe(events.body.items[3].id);
  });

  it('validates path names', async () => {
    const res = record(
      await api().get('/api/multicluster/environments/NOT_OK'),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'path parameter name must match pattern "^[a-z]([-a-z0-9]*[a-z0-9])?$"',
    );
  });

  it('destroys, idempotently', async () => {
    const res = record(
      await api().delete('/api/multicluster/environments/demo'),
    );
    expect(res.status).toBe(202);
    const env = await ready();
    expect(env.status).toBe('destroyed');
    expect(
      env.components.every(
        (c: any) =>
          c.status === 'deleted' && Object.keys(c.capabilities).length === 0,
      ),
    ).toBe(true);
    const again = record(
      await api().delete('/api/multicluster/environments/demo'),
    );
    expect(again.status).toBe(200);
    expect(
      (await api().delete('/api/multicluster/environments/never')).status,
    ).toBe(404);
    // Destroyed environments are left out of lists unless asked for.
    const list = record(await api().get('/api/multicluster/environments'));
    expect(list.body.items.map((e: any) => e.name)).toEqual(['race']);
  });

  it('never sent a secret in any response body or log line (runs last)', () => {
    expect(bodies.length).toBeGreaterThan(10);
    expect(bodies.filter(text => text.includes(PASSWORD))).toEqual([]);
    expect(backend.lines.join('\n')).not.toContain(PASSWORD);
    expect(backend.lines.join('\n')).not.toContain(TEST_SECRET_KEY);
  });
});

describe('environments REST API permissions', () => {
  it('answers 403 to a create the policy denies, and to reads it denies', async () => {
    const knex = await migratedDatabase();
    const permissions = mockServices.permissions.mock({
      authorize: async reqs =>
        reqs.map(() => ({ result: AuthorizeResult.DENY })),
      authorizeConditional: async reqs =>
        reqs.map(() => ({ result: AuthorizeResult.DENY })),
    });
    const backend = await startMulticlusterPlugin({
      knex,
      config: multiclusterConfig(environments),
      drivers: Object.values(fakeDrivers()),
      permissions,
      entities,
    });
    try {
      const api = request(backend.server);
      const res = await api
        .post('/api/multicluster/environments')
        .set('Authorization', mockCredentials.user.header('user:default/jane'))
        .send({ name: 'nope', type: 'small', cloud: 'local', owner: 'team-a' });
      expect(res.status).toBe(403);
      expect((await api.get('/api/multicluster/environments')).status).toBe(
        403,
      );
      expect((await knex('environments').count({ n: '*' }))[0].n).toBe(0);
    } finally {
      await backend.stop();
      await knex.destroy();
    }
  });
});

describe('environments REST API without a secret key', () => {
  it('serves types and lists, but refuses to create, naming the missing key', async () => {
    const knex = await migratedDatabase();
    const { secretKey: _omitted, ...withoutKey } = environments as Record<
      string,
      unknown
    >;
    const drivers = fakeDrivers();
    const backend = await startMulticlusterPlugin({
      knex,
      config: multiclusterConfig(withoutKey),
      drivers: Object.values(drivers),
      entities,
    });
    try {
      const api = request(backend.server);
      expect(
        (await api.get('/api/multicluster/environment-types')).status,
      ).toBe(200);
      expect(
        (await api.get('/api/multicluster/environments')).body.items,
      ).toEqual([]);
      const res = await api
        .post('/api/multicluster/environments')
        .send({ name: 'demo', type: 'small', cloud: 'local', owner: 'team-a' });
      expect(res.status).toBe(503);
      expect(res.body.error.message).toContain(
        'multicluster.environments.secretKey is not set',
      );
      expect(Object.values(drivers).every(d => d.calls.length === 0)).toBe(
        true,
      );
      expect(backend.lines.join('\n')).toContain(
        'multicluster.environments.secretKey is not set',
      );
    } finally {
      await backend.stop();
      await knex.destroy();
    }
  });
});
