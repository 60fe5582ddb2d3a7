/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import request from 'supertest';
import { startFleet, Fleet } from './fleet';
import { eventually } from './__testUtils__/kubectl';

const LABELS = { 'backstage.io/kubernetes-id': 'checkout' };

async function deployCheckout(fleet: Fleet, index: number, replicas: number) {
  const cluster = fleet.cluster(index);
  cluster.store.create('namespaces', { metadata: { name: 'shop' } });
  cluster.store.create('deployments', {
    metadata: {
      name: 'checkout',
      namespace: 'shop',
      labels: { ...LABELS, app: 'checkout' },
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'checkout' } },
      template: {
        metadata: { labels: { ...LABELS, app: 'checkout' } },
        spec: {
          containers: [
            { name: 'checkout', image: 'ghcr.io/acme/checkout:1.4.2' },
          ],
        },
      },
    },
  });
  cluster.store.create('services', {
    metadata: { name: 'checkout', namespace: 'shop', labels: LABELS },
    spec: {
      selector: { app: 'checkout' },
      ports: [{ port: 80, targetPort: 8080 }],
    },
  });
  await eventually(
    () =>
      cluster.store.get('deployments', 'checkout', 'shop')?.status
        ?.readyReplicas === replicas,
  );
}

// Real kubectl processes and servers: generous bounds for a loaded CI machine.
jest.setTimeout(30_000);

describe("Backstage's Kubernetes plugin reading emulated clusters", () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet({
      clusters: 2,
      podReadyDelayMs: 20,
      adminPort: null,
    });
    await deployCheckout(fleet, 1, 2);
    await deployCheckout(fleet, 2, 1);
    // A canary whose image never becomes ready, viewed like any other workload.
    fleet.cluster(2).store.create('deployments', {
      metadata: { name: 'checkout-canary', namespace: 'shop', labels: LABELS },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'checkout-canary' } },
        template: {
          metadata: { labels: { ...LABELS, app: 'checkout-canary' } },
          spec: {
            containers: [
              {
                name: 'checkout',
                image: 'ghcr.io/acme/checkout:1.5.0-never-ready',
              },
            ],
          },
        },
      },
    });
    await eventually(() =>
      fleet
        .cluster(2)
        .store.list('pods', 'shop')
        .some(
          p =>
            p.metadata.labels?.app === 'checkout-canary' &&
            p.status?.phase === 'Running',
        ),
    );
  });

  afterAll(async () => {
    await fleet?.stop();
  });

  it('answers POST /api/kubernetes/resources/workloads/query with deployments and pods', async () => {
    const { server } = await startTestBackend({
      features: [
        kubernetesPlugin,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'checkout',
                namespace: 'default',
                annotations: { 'backstage.io/kubernetes-id': 'checkout' },
              },
              spec: {
                type: 'service',
                owner: 'team-a',
                lifecycle: 'production',
              },
            },
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: fleet.clusters.map(c => ({
                    name: c.name,
                    url: c.url,
                    authProvider: 'serviceAccount',
                    serviceAccountToken: c.readOnlyToken,
                    caData: Buffer.from(c.caData).toString('base64'),
                  })),
                },
              ],
            },
          },
        }),
      ],
    });

    const res = await request(server)
      .post('/api/kubernetes/resources/workloads/query')
      .set('Authorization', mockCredentials.user.header())
      .send({ entityRef: 'component:default/checkout' });

    expect(res.status).toBe(200);
    const byCluster = new Map<string, any>(
      res.body.items.map((i: any) => [i.cluster.name, i]),
    );
    expect([...byCluster.keys()].sort()).toEqual(['emulator-1', 'emulator-2']);
    for (const [name, expected] of [
      ['emulator-1', 2],
      ['emulator-2', 1],
    ] as const) {
      const item = byCluster.get(name);
      expect(item.errors).toEqual([]);
      const ofType = (t: string) =>
        item.resources.find((r: any) => r.type === t)?.resources ?? [];
      const deployments = ofType('deployments').filter(
        (d: any) => d.metadata.name === 'checkout',
      );
      expect(deployments).toHaveLength(1);
      expect(deployments[0].status.readyReplicas).toBe(expected);
      const pods = ofType('pods').filter(
        (p: any) => p.metadata.labels.app === 'checkout',
      );
      expect(pods).toHaveLength(expected);
      for (const pod of pods) {
        expect(pod.status.phase).toBe('Running');
        expect(pod.metadata.labels['backstage.io/kubernetes-id']).toBe(
          'checkout',
        );
      }
      expect(ofType('replicasets')).toHaveLength(name === 'emulator-2' ? 2 : 1);
      expect(ofType('services').map((s: any) => s.metadata.name)).toEqual([
        'checkout',
      ]);
      // Pod metrics come from the emulated metrics.k8s.io API, as from metrics-server.
      expect(item.podMetrics.length).toBeGreaterThanOrEqual(expected);
    }
    const canary = byCluster
      .get('emulator-2')
      .resources.find((r: any) => r.type === 'pods')
      .resources.filter(
        (p: any) => p.metadata.labels.app === 'checkout-canary',
      );
    expect(canary).toHaveLength(1);
    expect(canary[0].status.phase).toBe('Running');
    expect(canary[0].status.containerStatuses[0].ready).toBe(false);
  });
});
