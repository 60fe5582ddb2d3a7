/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// The real multicluster backend plugin, as the scaffolder talks to it in a portal (test only).
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import multiclusterPlugin from '@archipelago/multicluster-backend';
import localModule from '@archipelago/multicluster-backend-module-local';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { execFile } from 'node:child_process';
import {
  chmod,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import scaffolderModuleMulticluster from '../index';

jest.setTimeout(300_000);

const run = promisify(execFile);
const SECRET_KEY = 'scaffolder-update-key-0123456789abcdef-0123456789';
const OWNER = 'group:default/team-a';

const template = (name: string, steps: unknown[]): Entity => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name, namespace: 'default' },
  spec: {
    type: 'service',
    parameters: [{ properties: { name: { type: 'string' } } }],
    steps,
  } as Entity['spec'],
});

/**
 * The acceptance of environment updates, through the real scaffolder: the
 * scaffolder backend runs templates with `multicluster:environment:create`
 * and `…:update` against the real multicluster plugin and the local cloud
 * (an emulated cluster, embedded PostgreSQL, the in-process S3 store). The
 * environment's cluster is then read with the real kubectl and its database
 * with psql, using the password from the Secret in that cluster.
 */
describe('dev-small → dev-large on local, through the scaffolder', () => {
  let dataDir: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let base: string;
  const auth = {
    authorization: mockCredentials.user.header('user:default/alice'),
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'archi-update-'));
    await chmod(dataDir, 0o755);
    const catalog = new InMemoryCatalogClient({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'team-a', namespace: 'default' },
          spec: { type: 'team', children: [] },
        },
        template('create-env', [
          {
            id: 'create',
            name: 'Create',
            action: 'multicluster:environment:create',
            input: {
              name: '${{ parameters.name }}',
              type: 'dev-small',
              cloud: 'local',
              owner: OWNER,
            },
          },
        ]),
        template('grow-env', [
          {
            id: 'grow',
            name: 'Grow',
            action: 'multicluster:environment:update',
            input: { name: '${{ parameters.name }}', type: 'dev-large' },
          },
        ]),
      ],
    });
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
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:0' },
            multicluster: {
              discovery: { intervalSeconds: 3600 },
              health: { intervalSeconds: 3600, timeoutSeconds: 2 },
              environments: {
                secretKey: SECRET_KEY,
                dataDir,
                leaseSeconds: 2,
                drift: { enabled: false },
                local: true,
              },
            },
          },
        }),
      ],
    });
    base = `http://127.0.0.1:${
      (backend.server.address() as AddressInfo).port
    }/api`;
  });

  afterAll(async () => {
    await backend?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function runTask(templateRef: string, values: Record<string, unknown>) {
    const created = await fetch(`${base}/scaffolder/v2/tasks`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ templateRef, values }),
    });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    let task: any;
    for (let i = 0; i < 2400; i++) {
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
      .map((e: any) =>
        // Without the logger's colour and level prefix.
        stripVTControlCharacters(String(e.body.message)).replace(/^info: /, ''),
      );
    return { task, log, eventsText };
  }

  const environment = async (name: string) =>
    (
      await fetch(`${base}/multicluster/environments/${name}`, {
        headers: auth,
      })
    ).json();

  /** kubectl on the environment's cluster, as its deployer (the identity in the emulator's state file). */
  async function kubectl(name: string, args: string[]): Promise<string> {
    const state = JSON.parse(
      await readFile(
        path.join(dataDir, 'clusters', `archi-${name}-kubernetes.json`),
        'utf8',
      ),
    );
    const env = await environment(name);
    const endpoint = env.components.find((c: any) => c.key === 'kubernetes')
      .capabilities.endpoint;
    const file = path.join(dataDir, `${name}.kubeconfig`);
    await writeFile(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name,
            cluster: {
              server: endpoint,
              'certificate-authority-data': Buffer.from(
                state.identity.caCertPem,
              ).toString('base64'),
            },
          },
        ],
        users: [{ name, user: { token: state.identity.tokens.deploy } }],
        contexts: [{ name, context: { cluster: name, user: name } }],
        'current-context': name,
      }),
      { mode: 0o600 },
    );
    const { stdout } = await run('kubectl', ['--kubeconfig', file, ...args], {
      timeout: 30_000,
    });
    return stdout;
  }

  it('shows the plan, applies it, and the capabilities change; the cluster and database answer', async () => {
    const created = await runTask('template:default/create-env', {
      name: 'grow',
    });
    expect(created.task.status).toBe('completed');
    const before = await environment('grow');
    expect(before).toMatchObject({
      status: 'ready',
      type: 'dev-small',
      revision: 1,
    });
    expect(
      (await kubectl('grow', ['get', 'nodes', '-o', 'name']))
        .trim()
        .split('\n'),
    ).toHaveLength(1);

    const { task, log, eventsText } = await runTask(
      'template:default/grow-env',
      {
        name: 'grow',
      },
    );
    expect(task.status).toBe('completed');
    // The plan, logged before anything is applied.
    expect(log).toEqual(
      expect.arrayContaining([
        'Plan: dev-small → dev-large on local, revision 1 → 2',
        expect.stringMatching(
          /^ {2}database: replaced \(postgres-shared → postgres-dedicated\); server: "shared" → "dedicated"; capabilities that change: host, port, database, master_username, master_password$/,
        ),
        expect.stringMatching(
          /^ {2}kubernetes: updated in place \(emulated-cluster-small → emulated-cluster-large\); nodeCpu: null → "8", nodeMemory: null → "32Gi", nodes: 1 → 3$/,
        ),
        '  objectStore: unchanged',
        '  order: database + network → kubernetes',
        expect.stringMatching(/^Updating to revision 2 \(dev-large\)/),
        expect.stringMatching(/^\[kubernetes\] kubernetes updated in/),
        expect.stringMatching(/^Updated to revision 2 in/),
      ]),
    );
    // Only this change's events, not the environment's history.
    expect(log).not.toContainEqual(expect.stringMatching(/^Provisioning/));
    const after = await environment('grow');
    expect(after).toMatchObject({
      status: 'ready',
      type: 'dev-large',
      revision: 2,
    });
    const caps = (env: any, key: string) =>
      env.components.find((c: any) => c.key === key).capabilities;
    // A database of its own: another server, another port; the same bucket.
    expect(caps(after, 'database').port).not.toBe(
      caps(before, 'database').port,
    );
    expect(caps(after, 'database').database).toBe('archi_grow_database_r2');
    expect(caps(after, 'network').subnet_ids).toHaveLength(3);
    expect(caps(after, 'objectStore')).toEqual(caps(before, 'objectStore'));

    // kubectl on the environment's cluster: three nodes, and the capabilities.
    const nodes = await kubectl('grow', ['get', 'nodes', '-o', 'name']);
    expect(nodes.trim().split('\n')).toHaveLength(3);
    const listed = await kubectl('grow', [
      'get',
      'secret,configmap',
      '-n',
      'archipelago',
    ]);
    expect(listed).toContain('secret/grow-connection');
    expect(listed).toContain('configmap/grow-connection');
    const config = JSON.parse(
      await kubectl('grow', [
        'get',
        'configmap',
        'grow-connection',
        '-n',
        'archipelago',
        '-o',
        'json',
      ]),
    ).data;
    expect(config).toMatchObject({
      database_host: caps(after, 'database').host,
      database_port: String(caps(after, 'database').port),
      database_database: 'archi_grow_database_r2',
      kubernetes_endpoint: caps(after, 'kubernetes').endpoint,
    });
    expect(config.database_master_password).toBeUndefined();
    const secret = JSON.parse(
      await kubectl('grow', [
        'get',
        'secret',
        'grow-connection',
        '-n',
        'archipelago',
        '-o',
        'json',
      ]),
    ).data;
    const password = Buffer.from(
      secret.database_master_password,
      'base64',
    ).toString('utf8');

    // A PostgreSQL client connects with the password from that Secret.
    const { stdout } = await run(
      'psql',
      [
        '-h',
        config.database_host,
        '-p',
        config.database_port,
        '-U',
        config.database_master_username,
        '-d',
        config.database_database,
        '-tAc',
        'SELECT current_database()',
      ],
      { env: { ...process.env, PGPASSWORD: password }, timeout: 30_000 },
    );
    expect(stdout.trim()).toBe('archi_grow_database_r2');
    // The shared server's database of revision 1 is gone.
    await expect(
      run(
        'psql',
        [
          '-h',
          caps(before, 'database').host,
          '-p',
          String(caps(before, 'database').port),
          '-U',
          'archi_grow_database',
          '-d',
          'archi_grow_database',
          '-tAc',
          'SELECT 1',
        ],
        { env: { ...process.env, PGPASSWORD: password }, timeout: 30_000 },
      ),
    ).rejects.toThrow();

    // Secrets never in the task log or outputs.
    expect(eventsText).not.toContain(password);
    expect(JSON.stringify(task)).not.toContain(password);
    expect(task.state?.output ?? {}).not.toHaveProperty('password');
  });

  it('returns to the previous revision with nothing left over when the update fails midway', async () => {
    const created = await runTask('template:default/create-env', {
      name: 'fail',
    });
    expect(created.task.status).toBe('completed');
    const before = await environment('fail');
    // The dedicated server of the replacement cannot be set up: its data folder is taken.
    await mkdir(path.join(dataDir, 'postgres'), { recursive: true });
    await writeFile(
      path.join(dataDir, 'postgres', 'archi-fail-database-r2'),
      'in the way',
    );

    const { task, log } = await runTask('template:default/grow-env', {
      name: 'fail',
    });
    expect(task.status).toBe('failed');
    expect(log).toContainEqual(
      expect.stringContaining('The update of fail failed and was reverted'),
    );
    const after = await environment('fail');
    expect(after).toMatchObject({
      status: 'ready',
      type: 'dev-small',
      revision: 1,
    });
    expect(after.reason).toContain('returned to revision 1');
    expect(
      after.components.map((c: any) => [c.key, c.template, c.status]),
    ).toEqual(before.components.map((c: any) => [c.key, c.template, c.status]));
    const caps = (env: any, key: string) =>
      env.components.find((c: any) => c.key === key).capabilities;
    expect(caps(after, 'network')).toEqual(caps(before, 'network'));
    expect(caps(after, 'database')).toEqual(caps(before, 'database'));
    expect(
      (await kubectl('fail', ['get', 'nodes', '-o', 'name']))
        .trim()
        .split('\n'),
    ).toHaveLength(1);
    // Nothing of revision 2 is left: the replacement's server folder was removed with it.
    await expect(
      stat(path.join(dataDir, 'postgres', 'archi-fail-database-r2')),
    ).rejects.toThrow('ENOENT');
    const revisions = await (
      await fetch(`${base}/multicluster/environments/fail/revisions`, {
        headers: auth,
      })
    ).json();
    expect(
      revisions.items.map((r: any) => [r.revision, r.status, r.current]),
    ).toEqual([
      [2, 'failed', false],
      [1, 'applied', true],
    ]);
  });
});
