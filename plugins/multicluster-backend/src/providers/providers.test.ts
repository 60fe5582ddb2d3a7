/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CatalogClusterProvider,
  clusterFromEntity,
} from './CatalogClusterProvider';
import { ConfigClusterProvider } from './ConfigClusterProvider';
import {
  EmulatorClusterProvider,
  degradedIndex,
} from './EmulatorClusterProvider';
import { KubeHttpClient } from '../prober/kubeHttp';
import { probeCluster } from '../prober/Prober';

jest.setTimeout(60_000);

const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('ConfigClusterProvider', () => {
  it('lists configured clusters with a config token and a CA file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-config-'));
    try {
      fs.writeFileSync(path.join(dir, 'ca.pem'), CA_PEM);
      const provider = new ConfigClusterProvider([
        {
          name: 'a',
          url: 'https://a.example.com',
          token: 'secret-token-1',
          skipTLSVerify: false,
          labels: { x: 'y' },
          cloud: 'aws',
          region: 'us-east-1',
          caFile: path.join(dir, 'ca.pem'),
        },
        {
          name: 'b',
          url: 'https://b.example.com',
          skipTLSVerify: true,
          labels: {},
          cloud: 'other',
        },
      ]);
      const result = await provider.discover();
      expect(result.complete).toBe(true);
      expect(result.clusters[0]).toMatchObject({
        sourceId: 'a',
        caData: CA_PEM,
        cloud: 'aws',
        region: 'us-east-1',
        labels: { x: 'y' },
      });
      expect(await result.clusters[0].credentials()).toEqual({
        type: 'bearer',
        token: 'secret-token-1',
      });
      expect(await result.clusters[1].credentials()).toEqual({
        type: 'anonymous',
      });
      expect(result.clusters[1].skipTLSVerify).toBe(true);
      const failing = new ConfigClusterProvider([
        {
          name: 'c',
          url: 'https://c',
          skipTLSVerify: false,
          labels: {},
          cloud: 'other',
          caFile: path.join(dir, 'missing.pem'),
        },
      ]);
      await expect(failing.discover()).rejects.toThrow(
        /providers\.config\[0\]\.caFile: cannot read .*ENOENT/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CatalogClusterProvider', () => {
  const resource = (name: string, annotations: Record<string, string>) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations,
      labels: { env: 'prod' },
    },
    spec: { type: 'kubernetes-cluster', owner: 'x' },
  });
  const entities = [
    resource('eks-prod', {
      'kubernetes.io/api-server': 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
      'kubernetes.io/api-server-certificate-authority':
        Buffer.from(CA_PEM).toString('base64'),
      'kubernetes.io/auth-provider': 'aws',
      'amazonaws.com/region': 'eu-west-1',
    }),
    resource('gke-dev', {
      'kubernetes.io/api-server': 'https://35.1.2.3',
      'google.com/location': 'europe-west1',
      'kubernetes.io/skip-tls-verify': 'true',
    }),
    resource('ours', {
      'kubernetes.io/api-server': 'https://x',
      'archipelago.dev/cluster-id': 'x-1',
    }),
    resource('no-server', {}),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'db',
        annotations: { 'kubernetes.io/api-server': 'https://db' },
      },
      spec: { type: 'database', owner: 'x' },
    },
  ];

  it('reads kubernetes-cluster Resources the way the EKS and GKE catalog modules emit them', async () => {
    const provider = new CatalogClusterProvider({
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      config: { enabled: true, labels: { source: 'catalog' } },
    });
    const { clusters, complete } = await provider.discover();
    expect(complete).toBe(true);
    expect(clusters.map(c => c.name)).toEqual(['eks-prod', 'gke-dev']);
    expect(clusters[0]).toMatchObject({
      sourceId: 'resource:default/eks-prod',
      caData: CA_PEM,
      cloud: 'aws',
      region: 'eu-west-1',
      kubernetesPluginAuth: { authProvider: 'aws' },
      labels: { source: 'catalog', env: 'prod' },
    });
    expect(clusters[1]).toMatchObject({
      cloud: 'gcp',
      region: 'europe-west1',
      skipTLSVerify: true,
    });
    expect(await clusters[1].credentials()).toEqual({ type: 'anonymous' });
  });

  it('skips entities it publishes itself and ones without an API server', () => {
    expect(
      clusterFromEntity(entities[2] as any, { enabled: true, labels: {} }),
    ).toEqual({ skip: 'published by the multicluster catalog module' });
    expect(
      clusterFromEntity(entities[3] as any, { enabled: true, labels: {} }),
    ).toEqual({ skip: 'no kubernetes.io/api-server annotation' });
  });
});

describe('EmulatorClusterProvider', () => {
  it('picks the degraded cluster', () => {
    const names = ['emulator-1', 'emulator-2', 'emulator-3', 'emulator-4'];
    const base = {
      enabled: true,
      clusters: 4,
      nodesPerCluster: 1,
      basePort: 0,
      labels: {},
    };
    expect(degradedIndex({ ...base, degraded: true }, names)).toBe(3);
    expect(degradedIndex({ ...base, degraded: true }, names.slice(0, 2))).toBe(
      2,
    );
    expect(degradedIndex({ ...base, degraded: 'emulator-4' }, names)).toBe(4);
    expect(degradedIndex({ ...base, degraded: false }, names)).toBeUndefined();
  });

  it('starts an emulated fleet with cloud and region labels and stops it', async () => {
    const provider = new EmulatorClusterProvider(
      {
        enabled: true,
        clusters: 3,
        nodesPerCluster: 1,
        degraded: true,
        basePort: 0,
        labels: { demo: 'yes' },
      },
      mockServices.logger.mock(),
    );
    try {
      const { clusters, complete } = await provider.discover();
      expect(complete).toBe(true);
      expect(
        clusters.map(c => [
          c.name,
          c.cloud,
          c.region,
          c.labels?.cloud,
          c.labels?.demo,
          c.distribution,
        ]),
      ).toEqual([
        ['emulator-1', 'aws', 'us-east-1', 'aws', 'yes', 'emulator'],
        ['emulator-2', 'azure', 'westeurope', 'azure', 'yes', 'emulator'],
        ['emulator-3', 'gcp', 'europe-west1', 'gcp', 'yes', 'emulator'],
      ]);
      expect(clusters[0].url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(clusters[0].caData).toContain('BEGIN CERTIFICATE');
      // The degraded demo cluster really has a NotReady node, as the prober sees it.
      const http = new KubeHttpClient();
      try {
        const outcome = await probeCluster(
          http,
          {
            id: 'e3',
            urlKey: clusters[2].url,
            name: clusters[2].name,
            url: clusters[2].url,
            skipTLSVerify: false,
            health: 'unknown',
          },
          {
            provider: 'emulator',
            sourceId: 'emulator-3',
            url: clusters[2].url,
            caData: clusters[2].caData,
            skipTLSVerify: false,
            credentials: clusters[2].credentials,
          },
          { timeoutMs: 5000 },
        );
        expect(outcome.classification).toMatchObject({
          health: 'degraded',
          reason: '1 of 2 nodes NotReady',
        });
      } finally {
        http.close();
      }
      // Rediscovery reuses the running fleet.
      const again = await provider.discover();
      expect(again.clusters.map(c => c.url)).toEqual(clusters.map(c => c.url));
    } finally {
      await provider.stop();
    }
  });
});
