/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createMulticlusterService } from '@archipelago/multicluster-node';
import { actorAwareMockAuthFactory } from '@archipelago/multicluster-node-test-utils';
import { type Fleet, startFleet } from '@archipelago/kube-emulator';
// The real multicluster backend plugin, as the scaffolder talks to it in a portal (test only).
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import multiclusterPlugin from '@archipelago/multicluster-backend';
import {
  createBackendModule,
  coreServices,
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
import { createDeployAction } from './deploy';

jest.setTimeout(120_000);

/** Registers multicluster:deploy in the scaffolder, as the module of this package does. */
const deployModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'multicluster-deploy-test',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
      },
      async init({ scaffolder, auth, discovery, permissions }) {
        scaffolder.addActions(
          createDeployAction({
            permissions,
            multicluster: createMulticlusterService({ auth, discovery }),
          }),
        );
      },
    });
  },
});

/** The example template of this repository, run as is. */
const template = {
  ...yaml.parse(
    fs.readFileSync(
      path.resolve(
        __dirname,
        '../../../../examples/templates/push-to-clusters/template.yaml',
      ),
      'utf8',
    ),
  ),
};
template.metadata.namespace = 'default';

const TLS_CERT =
  '-----BEGIN CERTIFICATE-----\nMIIBexamplecertificate\n-----END CERTIFICATE-----\n';
const TLS_KEY =
  '-----BEGIN PRIVATE KEY-----\nMIIEexampleprivatekeythatmustneverleak\n-----END PRIVATE KEY-----\n';

/**
 * The action inside the real scaffolder, against the real multicluster
 * backend plugin: the example template "Push to clusters (one-shot)" runs as a task,
 * the action reads the inventory on behalf of the user, and connection details
 * with each cluster's deploy identity (the scaffolder is allow-listed for that
 * role), and deploys to emulated clusters, TLS Secret included.
 */
describe('multicluster:deploy in a Backstage backend', () => {
  let fleet: Fleet;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let base: string;
  const auth = {
    authorization: mockCredentials.user.header('user:default/alice'),
  };

  beforeAll(async () => {
    fleet = await startFleet({
      clusters: 3,
      nodes: 1,
      adminPort: null,
      podReadyDelayMs: 100,
    });
    const names = ['front-a', 'front-b', 'back'];
    backend = await startTestBackend({
      features: [
        multiclusterPlugin,
        scaffolderPlugin,
        deployModule,
        catalogServiceMock.factory({ entities: [template] }),
        // On-behalf-of tokens name the plugin acting for the user, as real ones do.
        actorAwareMockAuthFactory(),
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:0' },
            multicluster: {
              providers: {
                config: fleet.clusters.map((c, i) => ({
                  name: names[i],
                  url: c.url,
                  caData: c.caData,
                  // One identity per role; the admin token never leaves the emulator.
                  credentials: {
                    probe: c.tokens.probe,
                    view: c.tokens.view,
                    deploy: c.tokens.deploy,
                  },
                  cloud: 'local',
                  labels: { tier: i < 2 ? 'front' : 'back' },
                })),
              },
              health: { intervalSeconds: 3600, timeoutSeconds: 2 },
              discovery: { intervalSeconds: 3600 },
              connections: {
                allowedPlugins: {
                  view: ['kubernetes'],
                  deploy: ['scaffolder'],
                },
              },
            },
          },
        }),
      ],
    });
    base = `http://127.0.0.1:${
      (backend.server.address() as AddressInfo).port
    }/api`;
    // Discovery ran at startup; one refresh probes the clusters too.
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

  it('runs the example template as a task that deploys to the selected clusters', async () => {
    const created = await fetch(`${base}/scaffolder/v2/tasks`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        templateRef: 'template:default/push-to-clusters',
        values: {
          name: 'web',
          image: 'web:1',
          namespace: 'shop',
          clusterSelector: 'tier=front',
          totalReplicas: 5,
          preferences: { '*': { weight: 1 }, 'front-a': { weight: 2 } },
          maxConcurrent: 2,
          timeoutSeconds: 60,
        },
        secrets: { tlsCert: TLS_CERT, tlsKey: TLS_KEY },
      }),
    });
    expect(created.status).toBe(201);
    const { id } = await created.json();

    let task: any;
    for (let i = 0; i < 240; i++) {
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
    const log = events
      .filter((e: any) => e.type === 'log')
      .map((e: any) => e.body.message);
    expect([task.status, log]).toEqual([
      'completed',
      expect.arrayContaining([
        expect.stringMatching(/front-a: ready - rolled out in/),
      ]),
    ]);

    // 5 replicas, front-a weighing twice: KubeFed rounds its share up (4 and 1); the back cluster is not selected.
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
    const table = completion.body.output.text[0].content;
    expect(table).toMatch(
      /\| front-a \| ready \| shop\/web: 4 \| rolled out in [\d.]+ s \|/,
    );
    expect(table).toMatch(
      /\| front-b \| ready \| shop\/web: 1 \| rolled out in [\d.]+ s \|/,
    );
    // The key went to the clusters and nowhere else.
    for (const leak of [
      TLS_KEY,
      'MIIEexampleprivatekeythatmustneverleak',
      Buffer.from(TLS_KEY).toString('base64'),
    ]) {
      expect(eventsText).not.toContain(leak);
      expect(JSON.stringify(task)).not.toContain(leak);
    }
  });
});
