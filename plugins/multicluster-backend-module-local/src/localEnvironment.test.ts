/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { S3Client, ListBucketsCommand } from '@aws-sdk/client-s3';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import multiclusterPlugin, {
  openEnvironmentSecret,
} from '@archipelago/multicluster-backend';
import {
  FAKE_SECRET_KEY,
  capturingLoggerFactory,
  catalogWithOwners,
  multiclusterApi,
  waitFor,
} from '@archipelago/multicluster-node-test-utils';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import knexFactory, { type Knex } from 'knex';
import request from 'supertest';
import localModule from './index';

interface TestBackendHandle {
  server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  stop(): Promise<void>;
  lines: string[];
}

jest.setTimeout(180_000);

/**
 * dev-small on the local cloud with the real drivers of this module in the
 * real plugin: an emulated cluster, a database on embedded PostgreSQL, a
 * bucket on the in-process S3 store and a local network, through the REST API.
 */
describe('dev-small on local, end to end', () => {
  let dataDir: string;
  const handles: Array<{ backend: TestBackendHandle; knex: Knex }> = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'archi-env-e2e-'));
    await chmod(dataDir, 0o755);
  });

  afterAll(async () => {
    for (const { backend, knex } of handles.reverse()) {
      await backend.stop().catch(() => undefined);
      await knex.destroy();
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  const settings = (dir: string) => ({
    multicluster: {
      environments: {
        secretKey: FAKE_SECRET_KEY,
        dataDir: dir,
        leaseSeconds: 2,
        drift: { enabled: false },
        local: true,
      },
    },
  });

  /** The plugin and this module in a backend on a SQLite file in `dir`. */
  async function start(dir: string, knex?: Knex) {
    await mkdir(dir, { recursive: true, mode: 0o755 });
    const db =
      knex ??
      knexFactory({
        client: 'better-sqlite3',
        connection: { filename: path.join(dir, 'backend.sqlite') },
        useNullAsDefault: true,
      });
    const lines: string[] = [];
    const started = await startTestBackend({
      features: [
        multiclusterPlugin,
        localModule,
        catalogWithOwners(['group:default/team-a']),
        mockServices.rootConfig.factory({ data: settings(dir) }),
        mockServices.database.factory({ knex: db }),
        capturingLoggerFactory(lines),
      ],
    });
    const backend: TestBackendHandle = {
      server: started.server,
      stop: () => started.stop(),
      lines,
    };
    handles.push({ backend, knex: db });
    return { backend, knex: db };
  }

  /** The local S3 store's own key, read from its data folder as an operator would. */
  const localStoreKeys = async (dir: string) => {
    const { accessKeyId, secretAccessKey } = JSON.parse(
      await readFile(path.join(dir, 's3', 'endpoint.json'), 'utf8'),
    );
    return { accessKeyId, secretAccessKey };
  };

  /** The secret behind a reference, read from the plugin's database as an operator would. */
  const reveal = (dir: string, knex: Knex, reference: string) =>
    openEnvironmentSecret({
      database: knex,
      config: new ConfigReader(settings(dir)),
      reference,
    });

  /** The inventory's view of the environment's cluster, with the connection the Kubernetes plugin gets. */
  async function inventoryCluster(backend: TestBackendHandle, name: string) {
    const api = multiclusterApi(backend.server);
    // Discovery runs now rather than at its next interval.
    expect((await api.call('POST', '/clusters/refresh')).status).toBe(202);
    const clusters = await waitFor(
      async () => {
        const res = await api.get('/clusters');
        const found = res.body.items?.filter(
          (c: any) => c.environment === name,
        );
        return found?.length ? found : undefined;
      },
      { what: `the cluster of ${name} in the inventory` },
    );
    const connections = await api.get(
      `/internal/connections?ids=${clusters[0].id}`,
      {
        authorization: mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('plugin:kubernetes'),
          targetPluginId: 'multicluster',
        }),
      },
    );
    return { clusters, connection: connections.body.items?.[0] };
  }

  const settled = (backend: TestBackendHandle, name: string) =>
    waitFor(
      async () => {
        const res = await request(backend.server).get(
          `/api/multicluster/environments/${name}`,
        );
        return ['ready', 'failed', 'destroyed'].includes(res.body.status)
          ? res.body
          : undefined;
      },
      { timeoutMs: 90_000, what: `${name} to settle` },
    );

  function httpsGet(
    url: string,
    caData: string | undefined,
    token: string,
  ): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
      https
        .get(
          url,
          { ca: caData, headers: { Authorization: `Bearer ${token}` } },
          res => {
            let text = '';
            res.on('data', c => (text += c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                body: text.startsWith('{') ? JSON.parse(text) : text,
              }),
            );
          },
        )
        .on('error', reject);
    });
  }

  it('creates dev-small/local: the database answers SQL, the bucket takes a PUT and a GET, the cluster is registered and healthy; destroy removes it all', async () => {
    const dir = path.join(dataDir, 'main');
    const { backend, knex } = await start(dir);
    const api = request(backend.server);
    const started = Date.now();
    const created = await api.post('/api/multicluster/environments').send({
      name: 'demo',
      type: 'dev-small',
      cloud: 'local',
      owner: 'group:default/team-a',
      ttlMinutes: 120,
    });
    expect(created.status).toBe(201);
    const env = await settled(backend, 'demo');
    const elapsed = Date.now() - started;
    expect(env.status).toBe('ready');
    expect(elapsed).toBeLessThan(60_000);
    const caps = Object.fromEntries(
      env.components.map((c: any) => [c.key, c.capabilities]),
    );
    expect(caps.database.master_password).toEqual({
      secretRef: 'multicluster:environment/demo/database/master_password',
    });

    // The database answers SQL with the generated credentials, read from the plugin's database.
    const secret = await reveal(
      dir,
      knex,
      caps.database.master_password.secretRef,
    );
    const client = new Client({
      host: caps.database.host,
      port: caps.database.port,
      database: caps.database.database,
      user: caps.database.master_username,
      password: secret,
    });
    await client.connect();
    const { rows } = await client.query(
      'SELECT current_user AS who, 6 * 7 AS answer',
    );
    expect(rows[0]).toEqual({ who: 'archi_demo_database', answer: 42 });
    await client.end();

    // The bucket accepts a PUT and a GET.
    const objectUrl = `${caps.objectStore.bucket_url}/greeting.txt`;
    expect(
      (await fetch(objectUrl, { method: 'PUT', body: 'hello from demo' }))
        .status,
    ).toBe(200);
    expect(await (await fetch(objectUrl)).text()).toBe('hello from demo');

    // The cluster is in the inventory and answers as a healthy cluster.
    const { clusters, connection } = await inventoryCluster(backend, 'demo');
    expect(clusters).toHaveLength(1);
    const cluster = clusters[0];
    expect(cluster).toMatchObject({
      id: env.clusterId,
      name: 'archi-demo-kubernetes',
      url: caps.kubernetes.endpoint,
      cloud: 'local',
      environment: 'demo',
      labels: {
        'archipelago.dev/environment': 'demo',
        team: 'team-a',
        cloud: 'local',
      },
      sources: [expect.objectContaining({ sourceId: 'demo/kubernetes' })],
    });
    const caData = Buffer.from(connection.caData, 'base64').toString();
    expect(
      (
        await httpsGet(
          `${cluster.url}/readyz`,
          caData,
          connection.serviceAccountToken,
        )
      ).status,
    ).toBe(200);
    const nodes = await httpsGet(
      `${cluster.url}/api/v1/nodes`,
      caData,
      connection.serviceAccountToken,
    );
    expect(nodes.body.items).toHaveLength(1);
    expect(nodes.body.items[0].metadata.labels['archipelago.dev/network']).toBe(
      'archi-demo-network',
    );
    expect(env.clusterId).toMatch(/^archi-demo-kubernetes-[0-9a-f]{8}$/);

    // No REST body, event or log line holds the password.
    const events = await api.get('/api/multicluster/environments/demo/events');
    const list = await api.get('/api/multicluster/environments');
    for (const text of [
      JSON.stringify(env),
      events.text,
      list.text,
      created.text,
      backend.lines.join('\n'),
    ]) {
      expect(text).not.toContain(secret);
    }

    // Destroy removes all of it.
    const destroyStarted = Date.now();
    expect(
      (await api.delete('/api/multicluster/environments/demo')).status,
    ).toBe(202);
    expect((await settled(backend, 'demo')).status).toBe('destroyed');
    expect(Date.now() - destroyStarted).toBeLessThan(30_000);
    const gone = new Client({
      host: caps.database.host,
      port: caps.database.port,
      database: caps.database.database,
      user: caps.database.master_username,
      password: secret,
    });
    gone.on('error', () => undefined);
    await expect(gone.connect()).rejects.toThrow(
      /password authentication failed|does not exist/,
    );
    const admin = JSON.parse(
      await readFile(
        path.join(dir, 'postgres', 'shared', 'instance.json'),
        'utf8',
      ),
    );
    const adminClient = new Client({
      host: '127.0.0.1',
      port: admin.port,
      user: 'postgres',
      password: admin.password,
      database: 'postgres',
    });
    await adminClient.connect();
    expect(
      (
        await adminClient.query(
          `SELECT datname FROM pg_database WHERE datname LIKE 'archi_%'`,
        )
      ).rows,
    ).toEqual([]);
    expect(
      (
        await adminClient.query(
          `SELECT rolname FROM pg_roles WHERE rolname LIKE 'archi_%'`,
        )
      ).rows,
    ).toEqual([]);
    await adminClient.end();
    expect((await fetch(objectUrl)).status).toBe(404);
    const s3 = new S3Client({
      endpoint: new URL(caps.objectStore.bucket_url).origin,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: await localStoreKeys(dir),
    });
    expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual(
      [],
    );
    expect(await readdir(path.join(dir, 'clusters'))).toEqual([]);
    await expect(fetch(`${caps.kubernetes.endpoint}/readyz`)).rejects.toThrow();
    expect(await knex('environment_network_allocations').select()).toEqual([]);
    // The inventory let the cluster go with its environment.
    await waitFor(
      async () =>
        (
          await multiclusterApi(backend.server).get('/clusters')
        ).body.items?.length === 0,
      { what: 'the cluster to leave the inventory' },
    );
  });

  it('resumes after the backend stops mid-provision, with no duplicate resources', async () => {
    const dir = path.join(dataDir, 'resume');
    const first = await start(dir);
    expect(
      (
        await request(first.backend.server)
          .post('/api/multicluster/environments')
          .send({
            name: 'resume',
            type: 'dev-small',
            cloud: 'local',
            owner: 'group:default/team-a',
          })
      ).status,
    ).toBe(201);
    // The first database create starts embedded PostgreSQL (seconds): stop the backend meanwhile.
    await waitFor(
      async () => {
        const rows = await first
          .knex('environment_components')
          .where({ environment_name: 'resume' });
        return rows.some(r => r.key === 'database' && r.status === 'creating');
      },
      { intervalMs: 5, what: 'the database create to start' },
    );
    await first.backend.stop();
    const interrupted = await first
      .knex('environments')
      .where({ name: 'resume' })
      .first();
    expect(interrupted.status).toBe('provisioning');
    expect(interrupted.lease_owner).toBeNull();

    const second = await start(dir, first.knex);
    const env = await settled(second.backend, 'resume');
    expect([env.status, env.reason]).toEqual(['ready', undefined]);
    const events = await request(second.backend.server).get(
      '/api/multicluster/environments/resume/events',
    );
    expect(events.body.items.map((e: any) => e.message)).toContainEqual(
      expect.stringContaining('Resuming provisioning after an interruption'),
    );

    // Exactly one of everything.
    expect(await readdir(path.join(dir, 'clusters'))).toEqual([
      'archi-resume-kubernetes.json',
    ]);
    expect(
      await first
        .knex('environment_network_allocations')
        .select('resource_name'),
    ).toEqual([{ resource_name: 'archi-resume-network' }]);
    const caps = Object.fromEntries(
      env.components.map((c: any) => [c.key, c.capabilities]),
    );
    const secret = await reveal(
      dir,
      first.knex,
      caps.database.master_password.secretRef,
    );
    const client = new Client({
      host: caps.database.host,
      port: caps.database.port,
      database: caps.database.database,
      user: caps.database.master_username,
      password: secret,
    });
    await client.connect();
    expect(
      (
        await client.query(
          `SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE 'archi_resume%'`,
        )
      ).rows[0].n,
    ).toBe(1);
    await client.end();
    const s3 = new S3Client({
      endpoint: new URL(caps.objectStore.bucket_url).origin,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: await localStoreKeys(dir),
    });
    expect(
      ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map(
        b => b.Name,
      ),
    ).toEqual(['archi-resume-objectstore']);

    // The cluster created by the first backend is served again by the second.
    const { clusters, connection } = await inventoryCluster(
      second.backend,
      'resume',
    );
    expect(
      (
        await httpsGet(
          `${clusters[0].url}/readyz`,
          Buffer.from(connection.caData, 'base64').toString(),
          connection.serviceAccountToken,
        )
      ).status,
    ).toBe(200);

    expect(
      (
        await request(second.backend.server).delete(
          '/api/multicluster/environments/resume',
        )
      ).status,
    ).toBe(202);
    expect((await settled(second.backend, 'resume')).status).toBe('destroyed');
  });
});
