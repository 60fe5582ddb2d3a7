/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// The real multicluster backend plugin, as the scaffolder talks to it in a portal (test only).
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import multiclusterPlugin, {
  openEnvironmentSecret,
} from '@archipelago/multicluster-backend';
import localModule from '@archipelago/multicluster-backend-module-local';
import { waitFor } from '@archipelago/multicluster-node-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import knexFactory, { type Knex } from 'knex';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import yaml from 'yaml';
import scaffolderModuleMulticluster from '../index';

jest.setTimeout(180_000);

const TEMPLATES = path.resolve(__dirname, '../../../../examples/templates');
const SECRET_KEY = 'scaffolder-test-key-0123456789abcdef-0123456789';

/** An example template as the catalog serves it: located at its file, so ./skeleton resolves. */
async function loadTemplate(dir: string): Promise<Entity> {
  const file = path.join(TEMPLATES, dir, 'template.yaml');
  const entity = yaml.parse(await readFile(file, 'utf8')) as Entity;
  entity.metadata.namespace = 'default';
  entity.metadata.annotations = {
    'backstage.io/managed-by-location': `file:${file}`,
    'backstage.io/managed-by-origin-location': `file:${file}`,
  };
  return entity;
}

/** The in-memory catalog, plus file locations: what a portal that allows `file` locations does. */
class FileLocationCatalog extends InMemoryCatalogClient {
  readonly locations = new Map<string, string>();
  constructor(private readonly store: Entity[]) {
    super({ entities: store });
  }
  async getLocationByRef(ref: string) {
    return this.locations.has(ref)
      ? {
          id: ref,
          type: 'file',
          target: ref.slice(5),
          entityRef: `location:default/${ref}`,
        }
      : undefined;
  }
  async addLocation(location: { type?: string; target: string }) {
    const text = await readFile(location.target, 'utf8');
    const entities = yaml
      .parseAllDocuments(text)
      .map(d => d.toJSON() as Entity);
    for (const e of entities) {
      e.metadata.namespace ??= 'default';
      this.store.push(e);
    }
    this.locations.set(`file:${location.target}`, location.target);
    return {
      location: {
        id: location.target,
        type: 'file',
        target: location.target,
        entityRef: `location:default/${location.target}`,
      },
      entities,
      exists: false,
    };
  }
  async refreshEntity() {}
}

describe('the example environment templates in a Backstage backend', () => {
  let dataDir: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let base: string;
  let catalog: FileLocationCatalog;
  let knex: Knex;
  const auth = {
    authorization: mockCredentials.user.header('user:default/alice'),
  };
  const settings = (dir: string) => ({
    backend: { baseUrl: 'http://localhost:0' },
    multicluster: {
      environments: {
        secretKey: SECRET_KEY,
        dataDir: dir,
        leaseSeconds: 2,
        local: true,
      },
      scaffolder: { localCatalogDirectory: path.join(dir, 'catalog') },
    },
  });
  /** A secret behind a reference, read from the plugin's database as an operator would. */
  const reveal = (reference: string) =>
    openEnvironmentSecret({
      database: knex,
      config: new ConfigReader(settings(dataDir)),
      reference,
    });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'archi-scaffolder-env-'));
    await chmod(dataDir, 0o755);
    const entities = [
      await loadTemplate('create-environment'),
      await loadTemplate('service-with-environment'),
      // Environments are owned by catalog entities: the plugin refuses an owner it cannot find.
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'team-a', namespace: 'default' },
        spec: { type: 'team', children: [] },
      } as Entity,
    ];
    catalog = new FileLocationCatalog(entities);
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dataDir, 'backend.sqlite') },
      useNullAsDefault: true,
    });
    // The real multicluster plugin with the local module's drivers, as the example backend runs them.
    backend = await startTestBackend({
      features: [
        multiclusterPlugin,
        localModule,
        scaffolderPlugin,
        scaffolderModuleMulticluster,
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => catalog,
        }),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({ data: settings(dataDir) }),
      ],
    });
    base = `http://127.0.0.1:${
      (backend.server.address() as AddressInfo).port
    }/api`;
  });

  afterAll(async () => {
    await backend?.stop();
    // Not destroyed: the scheduler's task workers of the stopped backend may
    // still poll once more on a busy machine, and a destroyed pool fails the
    // suite after its tests passed. The connection closes with the worker.
    await rm(dataDir, { recursive: true, force: true });
  });

  async function runTask(
    templateRef: string,
    values: Record<string, unknown>,
  ): Promise<{ task: any; log: string[]; eventsText: string }> {
    const created = await fetch(`${base}/scaffolder/v2/tasks`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ templateRef, values }),
    });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    let task: any;
    for (let i = 0; i < 600; i++) {
      task = await (
        await fetch(`${base}/scaffolder/v2/tasks/${id}`, { headers: auth })
      ).json();
      if (['completed', 'failed', 'cancelled'].includes(task.status)) break;
      await new Promise(r => setTimeout(r, 100));
    }
    const eventsText = await (
      await fetch(`${base}/scaffolder/v2/tasks/${id}/events`, { headers: auth })
    ).text();
    const log = JSON.parse(eventsText)
      .filter((e: any) => e.type === 'log')
      .map((e: any) => e.body.message as string);
    return { task, log, eventsText };
  }

  const httpsGet = (url: string, ca: string | undefined, token: string) =>
    new Promise<number>((resolve, reject) => {
      https
        .get(
          url,
          { ca, headers: { Authorization: `Bearer ${token}` } },
          res => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        )
        .on('error', reject);
    });

  const refreshInventory = async () =>
    expect(
      (
        await fetch(`${base}/multicluster/clusters/refresh`, {
          method: 'POST',
          headers: auth,
        })
      ).status,
    ).toBe(202);
  const clustersOf = async (environment: string) =>
    (
      await (
        await fetch(`${base}/multicluster/clusters`, { headers: auth })
      ).json()
    ).items.filter((c: any) => c.environment === environment);
  /** The environment's cluster, once discovery has listed it. */
  async function inventoryCluster(environment: string) {
    await refreshInventory();
    return waitFor(async () => (await clustersOf(environment))[0], {
      what: `the cluster of ${environment} in the inventory`,
    });
  }
  /** What the multicluster plugin hands the Kubernetes plugin for a cluster. */
  async function connectionOf(id: string) {
    const res = await fetch(
      `${base}/multicluster/internal/connections?ids=${id}`,
      {
        headers: {
          authorization: mockCredentials.service.header({
            onBehalfOf: mockCredentials.service('plugin:kubernetes'),
            targetPluginId: 'multicluster',
          }),
        },
      },
    );
    expect(res.status).toBe(200);
    return (await res.json()).items[0];
  }

  it('"Create an environment" creates dev-small/local: ready, SQL, bucket, cluster; destroy removes it', async () => {
    const { task, log, eventsText } = await runTask(
      'template:default/create-environment',
      {
        name: 'tpl-demo',
        owner: 'group:default/team-a',
        environment: { type: 'dev-small', cloud: 'local' },
        ttlHours: 24,
        onFailure: 'rollback',
      },
    );
    expect([task.status, log]).toEqual([
      'completed',
      expect.arrayContaining([
        expect.stringMatching(/\[database\] database ready in/),
      ]),
    ]);
    expect(log).toContainEqual(
      expect.stringContaining('Environment tpl-demo is ready'),
    );
    const env = await (
      await fetch(`${base}/multicluster/environments/tpl-demo`, {
        headers: auth,
      })
    ).json();
    expect(env.status).toBe('ready');
    expect(env.ttlMinutes).toBe(24 * 60);
    const caps = Object.fromEntries(
      env.components.map((c: any) => [c.key, c.capabilities]),
    );

    // The database answers with the generated credentials, read from the backend internals.
    const password = await reveal(caps.database.master_password.secretRef);
    const client = new Client({
      host: caps.database.host,
      port: caps.database.port,
      database: caps.database.database,
      user: caps.database.master_username,
      password,
    });
    await client.connect();
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await client.end();
    // The bucket takes a PUT and a GET.
    expect(
      (
        await fetch(`${caps.objectStore.bucket_url}/a.txt`, {
          method: 'PUT',
          body: 'A',
        })
      ).status,
    ).toBe(200);
    expect(
      await (await fetch(`${caps.objectStore.bucket_url}/a.txt`)).text(),
    ).toBe('A');
    // The cluster is in the inventory and answers with the connection the Kubernetes plugin gets.
    const cluster = await inventoryCluster('tpl-demo');
    const connection = await connectionOf(cluster.id);
    expect(
      await httpsGet(
        `${cluster.url}/readyz`,
        Buffer.from(connection.caData, 'base64').toString(),
        connection.serviceAccountToken,
      ),
    ).toBe(200);
    // No secret in the task log, its outputs or any event.
    expect(eventsText).not.toContain(password);
    expect(JSON.stringify(task)).not.toContain(password);

    const destroyed = await fetch(
      `${base}/multicluster/environments/tpl-demo`,
      { method: 'DELETE', headers: auth },
    );
    expect(destroyed.status).toBe(202);
    for (let i = 0; i < 300; i++) {
      const s = (
        await (
          await fetch(`${base}/multicluster/environments/tpl-demo`, {
            headers: auth,
          })
        ).json()
      ).status;
      if (s === 'destroyed') break;
      await new Promise(r => setTimeout(r, 100));
    }
    await refreshInventory();
    await waitFor(
      async () =>
        (await clustersOf('tpl-demo')).length === 0 ? true : undefined,
      { what: 'the cluster of tpl-demo to leave the inventory' },
    );
    expect((await fetch(`${caps.objectStore.bucket_url}/a.txt`)).status).toBe(
      404,
    );
  });

  it('"Create an environment" with 0 hours keeps the environment without a TTL', async () => {
    const { task } = await runTask('template:default/create-environment', {
      name: 'tpl-keep',
      owner: 'group:default/team-a',
      environment: { type: 'dev-small', cloud: 'local' },
      ttlHours: 0,
      onFailure: 'keep',
    });
    expect(task.status).toBe('completed');
    const env = await (
      await fetch(`${base}/multicluster/environments/tpl-keep`, {
        headers: auth,
      })
    ).json();
    expect(env.status).toBe('ready');
    expect(env.ttlMinutes).toBeUndefined();
    expect(env.expiresAt).toBeUndefined();
    await fetch(`${base}/multicluster/environments/tpl-keep`, {
      method: 'DELETE',
      headers: auth,
    });
  });

  it('fails the task with a message naming the field when the input is bad, creating nothing', async () => {
    const { task, log } = await runTask('template:default/create-environment', {
      name: 'tpl-bad',
      owner: 'group:default/team-a',
      environment: { type: 'dev-small', cloud: 'aws' },
      ttlHours: 24,
      onFailure: 'rollback',
    });
    expect(task.status).toBe('failed');
    // No AWS module in this backend: only the local module's cloud is offered.
    expect(log.join('\n')).toContain(
      'cloud: environment type dev-small does not offer cloud "aws"; allowed: local',
    );
    expect(
      (
        await fetch(`${base}/multicluster/environments/tpl-bad`, {
          headers: auth,
        })
      ).status,
    ).toBe(404);
  });

  it('"New service with its own dev environment" registers an annotated component', async () => {
    const { task, log, eventsText } = await runTask(
      'template:default/service-with-environment',
      {
        name: 'orders',
        description: 'Order service',
        owner: 'group:default/team-a',
        environment: { type: 'dev-small', cloud: 'local' },
        ttlHours: 1,
      },
    );
    expect([
      task.status,
      log.filter((l: string) => /error|fail/i.test(l)),
    ]).toEqual(['completed', []]);
    const entity = catalog[
      'store' as keyof FileLocationCatalog
    ] as unknown as Entity[];
    const component = entity.find(
      e => e.kind === 'Component' && e.metadata.name === 'orders',
    )!;
    expect(component.metadata.annotations).toMatchObject({
      'archipelago.dev/environment': 'orders-dev',
      'backstage.io/kubernetes-cluster': expect.stringMatching(
        /^archi-orders-dev-kubernetes-[0-9a-f]{8}$/,
      ),
    });
    expect(component.spec?.owner).toBe('group:default/team-a');
    const written = await readFile(
      path.join(dataDir, 'catalog', 'orders', 'catalog-info.yaml'),
      'utf8',
    );
    expect(written).toContain('archipelago.dev/environment: orders-dev');
    const password = await reveal(
      'multicluster:environment/orders-dev/database/master_password',
    );
    expect(eventsText).not.toContain(password);
    expect(written).not.toContain(password);
    await fetch(`${base}/multicluster/environments/orders-dev`, {
      method: 'DELETE',
      headers: auth,
    });
  });
});
