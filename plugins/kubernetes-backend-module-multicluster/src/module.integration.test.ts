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

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'payments' },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

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
 * Acceptance: Backstage's own Kubernetes plugin, configured with no cluster at
 * all, returns an entity's workloads from clusters it only knows through this
 * module (the multicluster inventory, read over REST with service credentials).
 */
describe('kubernetes module with the real Kubernetes plugin', () => {
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
    fleet
      .cluster(1)
      .store.create('deployments.apps', deployment('payments-api'));
    fleet
      .cluster(2)
      .store.create('deployments.apps', deployment('payments-worker'));
    await fleet.cluster(3).setFaults({ refuse: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-k8s-'));
    const kubeconfig = path.join(dir, 'kubeconfig');
    // A context per role: the Kubernetes plugin must only ever get the view identity.
    await fleet.writeKubeconfig(kubeconfig, {
      roles: ['probe', 'view', 'deploy'],
    });
    backend = await startTestBackend({
      features: [
        multiclusterPlugin,
        kubernetesPlugin,
        kubernetesModuleMulticluster,
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              multicluster: { refreshIntervalSeconds: 1 },
            },
            multicluster: {
              // The environments engine shares the plugin and needs its key even when unused.
              environments: {
                secretKey: 'test-only-environments-key-0123456789abcdef',
                dataDir: path.join(os.tmpdir(), 'mc-test-environments'),
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
    // The Kubernetes plugin read the (then empty) inventory at startup; that short-lived cache expires.
    await new Promise(r => setTimeout(r, 1100));
  });

  afterAll(async () => {
    await backend?.stop();
    await fleet?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists inventory clusters in the Kubernetes plugin, without the unreachable one', async () => {
    const res = await request(backend.server).get('/api/kubernetes/clusters');
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: any) => c.name).sort()).toEqual([
      'emulator-1',
      'emulator-2',
    ]);
    expect(res.body.items[0]).toMatchObject({ authProvider: 'serviceAccount' });
    // The plugin's public cluster list must not carry a token either.
    for (const c of fleet.clusters)
      for (const token of Object.values(c.tokens))
        expect(res.text).not.toContain(token);
  });

  it("returns the entity's workloads from clusters the plugin was never configured with", async () => {
    const res = await request(backend.server)
      .post('/api/kubernetes/resources/workloads/query')
      .send({ entityRef: 'component:default/payments', auth: {} });
    expect([res.status, res.status === 200 ? '' : res.text]).toEqual([200, '']);
    const byCluster = Object.fromEntries(
      res.body.items.map((i: any) => [i.cluster.name, i]),
    );
    expect(Object.keys(byCluster).sort()).toEqual(['emulator-1', 'emulator-2']);
    const deploymentsOf = (name: string) =>
      byCluster[name].resources
        .filter((r: any) => r.type === 'deployments')
        .flatMap((r: any) => r.resources.map((d: any) => d.metadata.name));
    expect(deploymentsOf('emulator-1')).toEqual(['payments-api']);
    expect(deploymentsOf('emulator-2')).toEqual(['payments-worker']);
    for (const c of fleet.clusters)
      expect(res.text).not.toContain(c.adminToken);
  });
});
