/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { stripVTControlCharacters } from 'node:util';
import { createMulticlusterService } from '@archipelago/multicluster-node';
import { type Fleet, startFleet } from '@archipelago/kube-emulator';
// The real multicluster backend plugin, as the scaffolder talks to it in a portal (test only).
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import multiclusterPlugin from '@archipelago/multicluster-backend';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import yaml from 'yaml';
import { Kubectl } from '../deploy/__testUtils__/kubectl';
import { createWorkloadApplyAction } from './workloadApply';
import { createWorkloadDeleteAction } from './workloadDelete';

jest.setTimeout(180_000);

/** Registers the workload actions in the scaffolder, as the module of this package does. */
const workloadModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'multicluster-workload-test',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init({ scaffolder, auth, discovery }) {
        const multicluster = createMulticlusterService({ auth, discovery });
        scaffolder.addActions(
          createWorkloadApplyAction({
            auth,
            multicluster,
            pollIntervalMs: 250,
          }),
          createWorkloadDeleteAction({
            auth,
            multicluster,
            pollIntervalMs: 250,
          }),
        );
      },
    });
  },
});

/** The example template of this repository, run as is. */
const template = yaml.parse(
  fs.readFileSync(
    path.resolve(
      __dirname,
      '../../../../examples/templates/deploy-to-clusters/template.yaml',
    ),
    'utf8',
  ),
);
template.metadata.namespace = 'default';

const TLS_KEY =
  '-----BEGIN PRIVATE KEY-----\nMIIEworkloadprivatekeythatmustneverleak\n-----END PRIVATE KEY-----\n';
const TLS_CERT =
  '-----BEGIN CERTIFICATE-----\nMIIBworkloadcertificate\n-----END CERTIFICATE-----\n';

/**
 * The example template "Deploy to clusters" as a task of the real
 * scaffolder, against the real multicluster plugin on an emulated fleet: the
 * workload is created on behalf of the user, rolled out, and its TLS Secret
 * reaches the clusters and nothing else.
 */
describe('multicluster:workload:* in a Backstage backend', () => {
  let fleet: Fleet;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let base: string;
  const auth = {
    authorization: mockCredentials.user.header('user:default/alice'),
  };

  const runTask = async (values: object, secrets?: object) => {
    const created = await fetch(`${base}/scaffolder/v2/tasks`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        templateRef: 'template:default/deploy-to-clusters',
        values,
        secrets,
      }),
    });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    let task: any;
    for (let i = 0; i < 480; i++) {
      task = await (
        await fetch(`${base}/scaffolder/v2/tasks/${id}`, { headers: auth })
      ).json();
      if (['completed', 'failed', 'cancelled'].includes(task.status)) break;
      await new Promise(r => setTimeout(r, 250));
    }
    const eventsText = await (
      await fetch(`${base}/scaffolder/v2/tasks/${id}/events`, { headers: auth })
    ).text();
    const events = JSON.parse(eventsText);
    // Log lines as people read them: without the logger's colours and level.
    const log: string[] = events
      .filter((e: any) => e.type === 'log')
      .map((e: any) =>
        stripVTControlCharacters(String(e.body.message)).replace(
          /^(info|warn|error): /,
          '',
        ),
      );
    return { task, eventsText, events, log };
  };

  beforeAll(async () => {
    fleet = await startFleet({
      clusters: 3,
      nodes: 1,
      adminPort: null,
      podReadyDelayMs: 100,
    });
    const names = ['prod-a', 'prod-b', 'dev'];
    backend = await startTestBackend({
      features: [
        multiclusterPlugin,
        scaffolderPlugin,
        workloadModule,
        catalogServiceMock.factory({ entities: [template] }),
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:0' },
            multicluster: {
              providers: {
                config: fleet.clusters.map((c, i) => ({
                  name: names[i],
                  url: c.url,
                  caData: c.caData,
                  token: c.adminToken,
                  cloud: 'local',
                  labels: { env: i < 2 ? 'production' : 'development' },
                })),
              },
              environments: {
                secretKey: 'test-only-environments-key-0123456789abcdef',
              },
              health: { intervalSeconds: 3600, timeoutSeconds: 2 },
              discovery: { intervalSeconds: 3600 },
              workloads: { pollMilliseconds: 200 },
            },
          },
        }),
      ],
    });
    base = `http://127.0.0.1:${
      (backend.server.address() as AddressInfo).port
    }/api`;
    const refresh = await fetch(`${base}/multicluster/clusters/refresh`, {
      method: 'POST',
      headers: auth,
    });
    if (refresh.status !== 202)
      throw new Error(`refresh answered ${refresh.status}`);
  });

  afterAll(async () => {
    await backend?.stop();
    await fleet?.stop();
  });

  it('runs the example template: a workload rolled out to the selected clusters', async () => {
    const { task, events, eventsText, log } = await runTask(
      {
        name: 'web',
        owner: 'group:default/team-a',
        image: 'web:1',
        namespace: 'shop',
        clusterSelector: 'env=production',
        totalReplicas: 5,
        preferences: { '*': { weight: 1 }, 'prod-a': { weight: 2 } },
        maxConcurrent: 1,
        timeoutSeconds: 60,
      },
      { tlsCert: TLS_CERT, tlsKey: TLS_KEY },
    );
    expect([task.status, log]).toEqual([
      'completed',
      expect.arrayContaining([
        'Workload web: created at revision 1',
        expect.stringMatching(
          /^Available: 2 clusters run revision 1; 5 of 5 replicas ready$/,
        ),
      ]),
    ]);

    // prod-a weighs twice: KubeFed rounds its share up (4 and 1); dev is not selected.
    const observed = await Promise.all(
      fleet.clusters.map(async c => {
        const kubectl = new Kubectl(c);
        try {
          const ready = await kubectl.run([
            'get',
            'deploy',
            'web',
            '-n',
            'shop',
            '-o',
            'jsonpath={.status.readyReplicas}',
          ]);
          const key = await kubectl.run([
            'get',
            'secret',
            'web-tls',
            '-n',
            'shop',
            '-o',
            'jsonpath={.data.tls\\.key}',
          ]);
          return [
            ready.stdout || 'none',
            key.stdout
              ? Buffer.from(key.stdout, 'base64').toString('utf8')
              : 'none',
          ];
        } finally {
          kubectl.cleanup();
        }
      }),
    );
    expect(observed).toEqual([
      ['4', TLS_KEY],
      ['1', TLS_KEY],
      ['none', 'none'],
    ]);

    const completion = events.find((e: any) => e.type === 'completion');
    const text = completion.body.output.text[0].content;
    expect(text).toMatch(/Workload \*\*web\*\*, revision 1: Available/);
    expect(text).toMatch(/\| prod-a \| 1 \| 4\/4 \| false \|/);

    const workload = await (
      await fetch(`${base}/multicluster/workloads/web`, { headers: auth })
    ).text();
    expect(JSON.parse(workload)).toMatchObject({
      owner: 'group:default/team-a',
      createdBy: 'user:default/alice',
    });
    for (const leak of [
      TLS_KEY,
      'MIIEworkloadprivatekeythatmustneverleak',
      Buffer.from(TLS_KEY).toString('base64'),
    ]) {
      expect(eventsText).not.toContain(leak);
      expect(JSON.stringify(task)).not.toContain(leak);
      expect(workload).not.toContain(leak);
    }
  });

  it('runs it again as a new revision, rolled out in steps', async () => {
    const { task, log } = await runTask({
      name: 'web',
      owner: 'group:default/team-a',
      image: 'web:2',
      namespace: 'shop',
      clusterSelector: 'env=production',
      totalReplicas: 2,
      maxConcurrent: 1,
    });
    expect(task.status).toBe('completed');
    expect(log).toContain('Workload web: updated at revision 2');
    const kubectl = new Kubectl(fleet.cluster(2));
    try {
      expect(
        await kubectl.run([
          'get',
          'deploy',
          'web',
          '-n',
          'shop',
          '-o',
          'jsonpath={.spec.template.spec.containers[0].image}',
        ]),
      ).toMatchObject({ stdout: 'web:2' });
    } finally {
      kubectl.cleanup();
    }
  });
});
