/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { startFleet, type Fleet } from '@archipelago/kube-emulator';
// The acceptance test runs the real inventory next to the Kubernetes plugin; the module itself
// only talks to it over REST.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import multiclusterPlugin from '@archipelago/multicluster-backend';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { kubernetesModuleMulticluster } from './module';

jest.setTimeout(120_000);

const component = (name: string, annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'payments', ...annotations },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
});
const entities = [
  // Names two clusters: one answers, one is unreachable.
  component('payments', {
    'backstage.io/kubernetes-cluster': 'emulator-1,emulator-3',
  }),
  // Its label selector matches no cluster of this fleet.
  component('payments-canary', {
    'archipelago.dev/cluster-selector': 'env=canary',
  }),
  // Names nothing: multiTenant would fan out to every cluster.
  component('payments-unscoped', {}),
];

function deployment(name: string) {
  const labels = { app: name, 'backstage.io/kubernetes-id': 'payments' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
      },
    },
  };
}

/**
 * Acceptance: with `kubernetes.multicluster.serviceLocator.enabled`, Backstage's
 * own Kubernetes plugin asks only an entity's clusters, healthy ones only.
 */
describe('the entity-scoped service locator with the real Kubernetes plugin', () => {
  let fleet: Fleet;
  let dir: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    fleet = await startFleet({
      clusters: 3,
      nodes: 1,
      adminPort: null,
      podReadyDelayMs: 0,
    });
    // The same workload runs on every cluster: only the entity's own may answer.
    for (const i of [1, 2, 3])
      fleet
        .cluster(i)
        .store.create('deployments.apps', deployment(`payments-${i}`));
    await fleet.cluster(3).setFaults({ refuse: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-k8s-locator-'));
    const kubeconfig = path.join(dir, 'kubeconfig');
    await fleet.writeKubeconfig(kubeconfig, {
      roles: ['probe', 'view', 'deploy'],
    });
    backend = await startTestBackend({
      features: [
        multiclusterPlugin,
        kubernetesPlugin,
        kubernetesModuleMulticluster,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              multicluster: {
                refreshIntervalSeconds: 1,
                // Unreachable clusters reach the locator, which must leave them out itself.
                skipUnhealthy: false,
                serviceLocator: { enabled: true },
              },
            },
            multicluster: {
              environments: {
                secretKey: 'test-only-environments-key-0123456789abcdef',
                dataDir: path.join(dir, 'environments'),
              },
              providers: {
                kubeconfig: [
                  {
                    file: kubeconfig,
                    roleContexts: {
                      probe: '{context}-probe',
                      view: '{context}-view',
                      deploy: '{context}-deploy',
                    },
                  },
                ],
              },
              health: { timeoutSeconds: 1 },
              discovery: { intervalSeconds: 3600 },
            },
          },
        }),
      ],
    });
    const refresh = await request(backend.server).post(
      '/api/multicluster/clusters/refresh',
    );
    if (refresh.status !== 202)
      throw new Error(`refresh failed: ${refresh.status} ${refresh.text}`);
    await new Promise(r => setTimeout(r, 1100));
  });

  afterAll(async () => {
    await backend?.stop();
    await fleet?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const workloads = async (name: string) => {
    const res = await request(backend.server)
      .post('/api/kubernetes/resources/workloads/query')
      .send({ entityRef: `component:default/${name}`, auth: {} });
    expect([res.status, res.status === 200 ? '' : res.text]).toEqual([200, '']);
    return Object.fromEntries(
      res.body.items.map((i: any) => [
        i.cluster.name,
        i.resources
          .filter((r: any) => r.type === 'deployments')
          .flatMap((r: any) => r.resources.map((d: any) => d.metadata.name)),
      ]),
    );
  };

  it("shows an entity's workloads from its own healthy clusters only", async () => {
    // emulator-2 runs the workload too but is not the entity's; emulator-3 is unreachable.
    expect(await workloads('payments')).toEqual({
      'emulator-1': ['payments-1'],
    });
  });

  it('asks no cluster for an entity whose clusters match nothing or that names none', async () => {
    expect(await workloads('payments-canary')).toEqual({});
    expect(await workloads('payments-unscoped')).toEqual({});
  });

  it('still lists every cluster the caller may see on /clusters', async () => {
    const res = await request(backend.server).get('/api/kubernetes/clusters');
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: any) => c.name).sort()).toEqual([
      'emulator-1',
      'emulator-2',
      'emulator-3',
    ]);
  });
});
