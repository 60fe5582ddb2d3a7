/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { startCluster } from '@archipelago/kube-emulator';
import type { ComponentContext } from '@archipelago/multicluster-node';
import {
  chmod,
  mkdtemp,
  readFile,
  readdir,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { capturingLogger } from '@archipelago/multicluster-node-test-utils';
import knexFactory, { type Knex } from 'knex';
import { EmulatorClusterDriver } from './EmulatorClusterDriver';
import { KubeconfigClusterDriver } from './KubeconfigClusterDriver';
import { LocalNetworkDriver } from './LocalNetworkDriver';
import { PostgresDatabaseDriver } from './PostgresDatabaseDriver';
import { S3BucketDriver } from './S3BucketDriver';

jest.setTimeout(120_000);

let dataDir: string;
let db: Knex;
const logger = capturingLogger();
const shutdowns: Array<() => Promise<void>> = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'archi-drivers-'));
  // Embedded PostgreSQL runs as the postgres user when tests run as root.
  await chmod(dataDir, 0o755);
  // The local-network driver creates its table when the plugin's migrations did not.
  db = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
});

afterAll(async () => {
  for (const s of shutdowns) await s();
  await db.destroy();
  await rm(dataDir, { recursive: true, force: true });
});

const ctx = (
  resourceName: string,
  inputs: Record<string, unknown> = {},
): ComponentContext => ({
  environment: 'demo',
  component: 'c',
  resourceName,
  inputs,
  dependencies: {},
  tags: {},
  logger,
});

/** GET over https with a CA and a bearer token; resolves with status and body. */
function get(
  url: string,
  caData: string,
  token: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(
        url,
        { ca: caData, headers: { Authorization: `Bearer ${token}` } },
        res => {
          let body = '';
          res.on('data', c => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      )
      .on('error', reject);
  });
}

function post(
  url: string,
  caData: string,
  token: string,
  body: unknown,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: 'POST',
        ca: caData,
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
        },
      },
      res => {
        let text = '';
        res.on('data', c => (text += c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('LocalNetworkDriver', () => {
  it('hands out non-overlapping blocks, idempotently, and frees them on delete', async () => {
    const driver = new LocalNetworkDriver(db, '10.64.0.0/14');
    const a = await driver.create(
      ctx('net-a', { prefixLength: 16, subnets: 3 }),
    );
    const again = await driver.create(
      ctx('net-a', { prefixLength: 16, subnets: 3 }),
    );
    expect(again).toEqual(a);
    expect(a.capabilities.subnet_ids).toHaveLength(3);
    const b = await driver.create(ctx('net-b', { prefixLength: 16 }));
    expect(b.state!.cidr).not.toBe(a.state!.cidr);
    const blocks = [];
    for (const n of ['net-c', 'net-d'])
      blocks.push(
        (await driver.create(ctx(n, { prefixLength: 16 }))).state!.cidr,
      );
    expect(new Set([a.state!.cidr, b.state!.cidr, ...blocks]).size).toBe(4);
    await expect(
      driver.create(ctx('net-e', { prefixLength: 16 })),
    ).rejects.toThrow(
      'the local address pool 10.64.0.0/14 has no free /16 left',
    );
    expect((await driver.status(ctx('net-a'))).state).toBe('active');
    await driver.delete(ctx('net-a'));
    await driver.delete(ctx('net-a'));
    expect((await driver.status(ctx('net-a'))).state).toBe('missing');
    expect(
      await driver.checkDrift({
        ...ctx('net-a'),
        capabilities: a.capabilities,
        state: a.state,
      }),
    ).toEqual({
      summary: 'the address block was released',
      differences: [
        {
          resource: 'address block of net-a',
          expected: a.state!.cidr,
          actual: 'released',
        },
      ],
    });
    expect(
      (await driver.create(ctx('net-e', { prefixLength: 16 }))).state!.cidr,
    ).toBe(a.state!.cidr);
  });

  it.each([
    [{ prefixLength: 12 }, 'prefixLength: must be at least 14'],
    [
      { prefixLength: 29 },
      'prefixLength: must be a whole number between 8 and 28',
    ],
    [{ subnets: 0 }, 'subnets: must be a whole number between 1 and 16'],
    [
      { color: 'red' },
      'unknown input color for driver local-network; allowed: prefixLength, subnets, region',
    ],
  ])('rejects %j', (inputs, message) => {
    expect(() =>
      new LocalNetworkDriver(db, '10.64.0.0/14').validateInputs(inputs),
    ).toThrow(message);
  });
});

describe('EmulatorClusterDriver', () => {
  it('starts a cluster per component and brings the same one back after a restart', async () => {
    const driver = new EmulatorClusterDriver(dataDir, logger);
    shutdowns.push(() => driver.shutdown());
    const created = await driver.create(
      ctx('archi-demo-kubernetes', { nodes: 2, version: 'v1.30.2' }),
    );
    expect(created.capabilities).toMatchObject({
      cluster_id: 'archi-demo-kubernetes',
      version: 'v1.30.2',
    });
    const endpoint = String(created.capabilities.endpoint);
    expect(endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(
      await driver.create(ctx('archi-demo-kubernetes', { nodes: 2 })),
    ).toEqual(created);
    const existing = {
      ...ctx('archi-demo-kubernetes', { nodes: 2 }),
      state: created.state,
      capabilities: created.capabilities,
    };
    const access = await driver.clusterAccess(existing);
    const creds = await access.credentials();
    expect(creds.type).toBe('bearer');
    const token = (creds as { token: string }).token;
    // One identity per role, never admin: each is what the emulator says it is.
    const whoami = async (role: 'probe' | 'view' | 'deploy') => {
      const c = (await access.roleCredentials![role]!()) as { token: string };
      const res = await post(
        `${endpoint}/apis/authentication.k8s.io/v1/selfsubjectreviews`,
        access.caData!,
        c.token,
        { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      );
      return JSON.parse(res.body).status.userInfo.username;
    };
    expect([
      await whoami('probe'),
      await whoami('view'),
      await whoami('deploy'),
    ]).toEqual(['archipelago-probe', 'archipelago-view', 'archipelago-deploy']);
    const nodes = await get(`${endpoint}/api/v1/nodes`, access.caData!, token);
    expect(nodes.status).toBe(200);
    expect(JSON.parse(nodes.body).items).toHaveLength(2);
    expect(
      (await get(`${endpoint}/readyz`, access.caData!, token)).status,
    ).toBe(200);

    // A backend restart: everything in this process stops, a new driver attaches.
    await driver.shutdown();
    const after = new EmulatorClusterDriver(dataDir, logger);
    shutdowns.push(() => after.shutdown());
    expect(await after.attach(existing)).toBeUndefined();
    const again = await after.clusterAccess(existing);
    expect(again.url).toBe(endpoint);
    expect(again.caData).toBe(access.caData);
    expect(
      (await get(`${endpoint}/version`, again.caData!, token)).status,
    ).toBe(200);
    expect(await after.checkDrift(existing)).toBeUndefined();

    await after.delete(existing);
    await after.delete(existing);
    expect((await after.status(existing)).state).toBe('missing');
    await expect(
      stat(path.join(dataDir, 'clusters', 'archi-demo-kubernetes.json')),
    ).rejects.toThrow();
  });

  it('rejects bad inputs naming them, and more nodes than the limit naming it', () => {
    const driver = new EmulatorClusterDriver(dataDir, logger, { maxNodes: 4 });
    expect(() => driver.validateInputs({ nodes: 0 })).toThrow(
      'nodes: must be at least 1',
    );
    expect(() => driver.validateInputs({ nodes: 5 })).toThrow(
      'nodes: must be at most 4 (the limit multicluster.limits.emulatedClusterNodes)',
    );
    expect(() => driver.validateInputs({ nodes: 4 })).not.toThrow();
    expect(() => driver.validateInputs({ version: '1.31' })).toThrow(
      'version: must be a Kubernetes version such as v1.31.4',
    );
  });
});

describe('KubeconfigClusterDriver', () => {
  it('adopts an existing context and never deletes the cluster', async () => {
    const cluster = await startCluster({ name: 'kind-dev' });
    shutdowns.push(() => cluster.stop());
    const file = path.join(dataDir, 'kubeconfig.yaml');
    await writeFile(file, cluster.kubeconfigYaml());
    const driver = new KubeconfigClusterDriver();
    const created = await driver.create(
      ctx('archi-demo-kubernetes', { context: 'kind-dev', kubeconfig: file }),
    );
    expect(created.capabilities).toEqual({
      endpoint: cluster.url,
      cluster_id: 'kind-dev',
      version: 'v1.31.4',
    });
    const existing = {
      ...ctx('archi-demo-kubernetes', {
        context: 'kind-dev',
        kubeconfig: file,
      }),
      ...created,
    };
    const access = await driver.clusterAccess(existing);
    expect(await access.credentials()).toEqual({
      type: 'bearer',
      token: cluster.adminToken,
    });
    await driver.delete();
    expect(cluster.running).toBe(true);
    await expect(
      driver.create(ctx('x', { context: 'minikube', kubeconfig: file })),
    ).rejects.toThrow(
      `context: no context "minikube" in ${file}; it has kind-dev`,
    );
  });
});

describe('S3BucketDriver on the in-process store', () => {
  it('creates a bucket that takes a PUT and a GET, and deletes it with its objects', async () => {
    const driver = new S3BucketDriver({ dataDir, logger });
    shutdowns.push(() => driver.shutdown());
    const created = await driver.create(ctx('archi-demo-objectstore'));
    expect(await driver.create(ctx('archi-demo-objectstore'))).toEqual(created);
    const url = String(created.capabilities.bucket_url);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/archi-demo-objectstore$/);
    expect(
      (await fetch(`${url}/hello.txt`, { method: 'PUT', body: 'hello' }))
        .status,
    ).toBe(200);
    expect(await (await fetch(`${url}/hello.txt`)).text()).toBe('hello');
    // Nobody lists buckets or objects anonymously, nor with s3rver's well-known key.
    const origin = new URL(url).origin;
    for (const listing of [
      `${origin}/`,
      url,
      `${url}/`,
      `${url}?list-type=2`,
    ]) {
      expect([listing, (await fetch(listing)).status]).toEqual([listing, 403]);
    }
    const store = JSON.parse(
      await readFile(path.join(dataDir, 's3', 'endpoint.json'), 'utf8'),
    );
    expect(
      (await stat(path.join(dataDir, 's3', 'endpoint.json'))).mode & 0o777,
    ).toBe(0o600);
    const client = (credentials: {
      accessKeyId: string;
      secretAccessKey: string;
    }) =>
      new S3Client({
        endpoint: origin,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials,
      });
    await expect(
      client({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }).send(
        new ListBucketsCommand({}),
      ),
    ).rejects.toThrow(/Access Key Id you provided does not exist/);
    expect(
      (
        await client({
          accessKeyId: store.accessKeyId,
          secretAccessKey: store.secretAccessKey,
        }).send(new ListBucketsCommand({}))
      ).Buckets?.map(b => b.Name),
    ).toContain('archi-demo-objectstore');
    await driver.delete(ctx('archi-demo-objectstore'));
    await driver.delete(ctx('archi-demo-objectstore'));
    expect((await driver.status(ctx('archi-demo-objectstore'))).state).toBe(
      'missing',
    );
    expect((await fetch(`${url}/hello.txt`)).status).toBe(404);
  });
});

describe('PostgresDatabaseDriver on embedded PostgreSQL', () => {
  it('creates a database and role that work with the generated password, and drops them', async () => {
    const driver = new PostgresDatabaseDriver({ dataDir, logger });
    shutdowns.push(() => driver.shutdown());
    const a = await driver.create(
      ctx('archi-a-database', { server: 'shared' }),
    );
    const b = await driver.create(
      ctx('archi-b-database', { server: 'shared' }),
    );
    const caps = a.capabilities as {
      host: string;
      port: number;
      database: string;
      master_username: string;
      master_password: string;
    };
    expect(caps).toMatchObject({
      host: '127.0.0.1',
      database: 'archi_a_database',
      master_username: 'archi_a_database',
    });
    expect(JSON.stringify(a.state)).not.toContain(caps.master_password);
    const connect = (database: string, user: string, password: string) =>
      new Client({
        host: caps.host,
        port: caps.port,
        database,
        user,
        password,
      });
    const client = connect(
      caps.database,
      caps.master_username,
      caps.master_password,
    );
    await client.connect();
    expect(
      (await client.query('SELECT current_database() AS db, 1 + 1 AS two'))
        .rows[0],
    ).toEqual({
      db: 'archi_a_database',
      two: 2,
    });
    await client.query('CREATE TABLE t (id int)');
    await client.end();
    // Another environment's role cannot connect to this database on the shared server.
    const intruder = connect(
      'archi_a_database',
      'archi_b_database',
      String(b.capabilities.master_password),
    );
    await expect(intruder.connect()).rejects.toThrow(/permission denied/);
    // A repeated create (a resume) rotates the password; the new one works, the old does not.
    const again = await driver.create(
      ctx('archi-a-database', { server: 'shared' }),
    );
    expect(again.capabilities.master_password).not.toBe(caps.master_password);
    const rotated = connect(
      caps.database,
      caps.master_username,
      String(again.capabilities.master_password),
    );
    await rotated.connect();
    expect(
      (await rotated.query('SELECT count(*)::int AS n FROM t')).rows[0].n,
    ).toBe(0);
    await rotated.end();

    await driver.delete(ctx('archi-a-database', { server: 'shared' }));
    await driver.delete(ctx('archi-a-database', { server: 'shared' }));
    expect(
      (await driver.status(ctx('archi-a-database', { server: 'shared' })))
        .state,
    ).toBe('missing');
    expect(
      (await driver.status(ctx('archi-b-database', { server: 'shared' })))
        .state,
    ).toBe('active');
    // The shared server survives a restart with its databases.
    await driver.shutdown();
    const after = new PostgresDatabaseDriver({ dataDir, logger });
    shutdowns.push(() => after.shutdown());
    expect(
      (await after.status(ctx('archi-b-database', { server: 'shared' }))).state,
    ).toBe('active');
    expect(await readdir(path.join(dataDir, 'postgres'))).toContain('shared');

    // No administrator password file is left, in the temp folder or beside the server.
    await after.shutdown();
    const instanceDir = path.join(dataDir, 'postgres', 'shared');
    const { password } = JSON.parse(
      await readFile(path.join(instanceDir, 'instance.json'), 'utf8'),
    );
    expect(
      (await readdir(instanceDir)).filter(e => e.startsWith('tmp-')),
    ).toEqual([]);
    const leaked: string[] = [];
    for (const entry of await readdir(os.tmpdir())) {
      if (!entry.startsWith('pg-password-')) continue;
      const text = await readFile(path.join(os.tmpdir(), entry), 'utf8').catch(
        () => '',
      );
      if (text.includes(password)) leaked.push(entry);
    }
    expect(leaked).toEqual([]);
  });
});
