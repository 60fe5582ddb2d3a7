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
import { credentialsForRole } from '@archipelago/multicluster-node';

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

describe('ConfigClusterProvider with one credential per role', () => {
  const base = {
    url: 'https://a.example.com',
    skipTLSVerify: false,
    labels: {},
    cloud: 'other' as const,
  };

  it('gives each role its own token, the shared token the rest', async () => {
    const [cluster] = (
      await new ConfigClusterProvider([
        {
          ...base,
          name: 'a',
          token: 'shared-token',
          credentials: { probe: 'probe-token', view: 'view-token' },
        },
      ]).discover()
    ).clusters;
    const tokenOf = async (role: 'probe' | 'view' | 'deploy') =>
      (
        (await credentialsForRole(cluster, role)()) as {
          token: string;
        }
      ).token;
    expect([
      await tokenOf('probe'),
      await tokenOf('view'),
      await tokenOf('deploy'),
    ]).toEqual(['probe-token', 'view-token', 'shared-token']);
  });

  it('warns once at startup when one token serves several roles, naming the clusters', () => {
    const logger = mockServices.logger.mock();
    const provider = new ConfigClusterProvider(
      [
        { ...base, name: 'shared', token: 't' },
        {
          ...base,
          name: 'split',
          token: 't',
          credentials: { probe: 'p', view: 'v' },
        },
        { ...base, name: 'anonymous' },
        {
          ...base,
          name: 'own',
          credentials: { probe: 'p', view: 'v', deploy: 'd' },
        },
      ],
      logger,
    );
    expect(provider.getProviderId()).toBe('config');
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toMatch(
      /^multicluster\.providers\.config: shared use one credential for the roles probe, view, deploy; least privilege is not in force.*credentials: \{ probe, view, deploy \}/,
    );
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
