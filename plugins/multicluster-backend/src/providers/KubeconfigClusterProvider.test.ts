/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  KubeconfigClusterProvider,
  guessCloud,
} from './KubeconfigClusterProvider';
import { parseKubeconfig } from '@archipelago/multicluster-node';
import { errorOf } from '../__testUtils__/errors';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const b64 = (s: string) => Buffer.from(s).toString('base64');

const KUBECONFIG = `
apiVersion: v1
kind: Config
current-context: kind-dev
clusters:
  - name: kind-dev
    cluster:
      server: https://127.0.0.1:6443
      certificate-authority-data: ${b64(CA)}
  - name: eks-prod
    cluster:
      server: https://ABC.gr7.eu-west-1.eks.amazonaws.com
      certificate-authority: ca.pem
  - name: insecure
    cluster:
      server: https://10.0.0.5:6443
      insecure-skip-tls-verify: true
users:
  - name: kind-dev
    user:
      token: kind-token-123456
  - name: eks
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1beta1
        command: aws
        args: [eks, get-token, --cluster-name, prod]
        env: null
  - name: legacy
    user:
      auth-provider:
        name: oidc
contexts:
  - name: kind-dev
    context: { cluster: kind-dev, user: kind-dev }
  - name: eks-prod
    context: { cluster: eks-prod, user: eks }
  - name: legacy
    context: { cluster: insecure, user: legacy }
  - name: broken
    context: { cluster: missing, user: kind-dev }
`;

describe('KubeconfigClusterProvider', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-kubeconfig-'));
    fs.writeFileSync(path.join(dir, 'config'), KUBECONFIG);
    fs.writeFileSync(path.join(dir, 'ca.pem'), CA);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const provider = (sources: any[]) =>
    new KubeconfigClusterProvider(sources, mockServices.logger.mock());
  const src = (extra: object = {}) => ({
    file: path.join(dir, 'config'),
    labels: {},
    execTimeoutSeconds: 5,
    ...extra,
  });

  it('lists one cluster per valid context with CA, credentials and cloud', async () => {
    const result = await provider([src({ labels: { team: 'a' } })]).discover();
    expect(result.complete).toBe(true);
    expect(result.clusters.map(c => c.name)).toEqual([
      'kind-dev',
      'eks-prod',
      'legacy',
    ]);
    const [kind, eks, legacy] = result.clusters;
    expect(kind).toMatchObject({
      url: 'https://127.0.0.1:6443',
      caData: CA,
      cloud: 'local',
      labels: { team: 'a' },
    });
    expect(await kind.credentials()).toEqual({
      type: 'bearer',
      token: 'kind-token-123456',
    });
    expect(eks).toMatchObject({ caData: CA, cloud: 'aws' });
    expect(legacy.skipTLSVerify).toBe(true);
    await expect(legacy.credentials()).rejects.toThrow(
      /auth-provider "oidc".*exec plugin/,
    );
  });

  it('takes each role from its own context, which is not a cluster of its own', async () => {
    const roles = `
apiVersion: v1
kind: Config
clusters:
  - name: dev
    cluster: { server: 'https://127.0.0.1:6443', certificate-authority-data: ${b64(
      CA,
    )} }
  - name: other
    cluster: { server: 'https://127.0.0.1:7443' }
users:
  - { name: admin, user: { token: admin-token } }
  - { name: viewer, user: { token: view-token } }
  - { name: prober, user: { token: probe-token } }
contexts:
  - { name: dev, context: { cluster: dev, user: admin } }
  - { name: dev-view, context: { cluster: dev, user: viewer } }
  - { name: dev-probe, context: { cluster: other, user: prober } }
`;
    fs.writeFileSync(path.join(dir, 'roles'), roles);
    const logger = mockServices.logger.mock();
    const p = new KubeconfigClusterProvider(
      [
        src({
          file: path.join(dir, 'roles'),
          roleContexts: {
            view: '{context}-view',
            probe: '{context}-probe',
            deploy: '{context}-deploy',
          },
        }),
      ],
      logger,
    );
    expect(logger.warn).not.toHaveBeenCalled();
    const { clusters } = await p.discover();
    expect(clusters.map(c => c.name)).toEqual(['dev']);
    const [dev] = clusters;
    expect(await dev.roleCredentials!.view!()).toEqual({
      type: 'bearer',
      token: 'view-token',
    });
    // A role whose context is wrong or missing fails: it never borrows another identity.
    await expect(dev.roleCredentials!.probe!()).rejects.toThrow(
      /context dev-probe \(probe role\) points at another server/,
    );
    await expect(dev.roleCredentials!.deploy!()).rejects.toThrow(
      /has no context dev-deploy for the deploy role/,
    );
  });

  it('warns once at startup for files without role contexts', () => {
    const logger = mockServices.logger.mock();
    expect(new KubeconfigClusterProvider([src()], logger)).toBeDefined();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toMatch(
      /^multicluster\.providers\.kubeconfig: .*config use one credential for the roles probe, view, deploy.*roleContexts/,
    );
  });

  it('parses an unchanged file once, and again when it or a CA file it names may have changed', async () => {
    const inline = path.join(dir, 'inline');
    const write = (token: string) =>
      fs.writeFileSync(
        inline,
        KUBECONFIG.replace('kind-token-123456', token).replace(
          'certificate-authority: ca.pem',
          `certificate-authority-data: ${b64(CA)}`,
        ),
      );
    write('first-token-123456');
    const logger = mockServices.logger.mock();
    const p = new KubeconfigClusterProvider([src({ file: inline })], logger);
    const unknownCluster = () =>
      logger.warn.mock.calls.filter(([m]) => /unknown cluster/.test(m)).length;
    const first = await p.discover();
    const second = await p.discover();
    // The parse warns about the broken context; a file read again unchanged is not parsed.
    expect(unknownCluster()).toBe(1);
    expect(second.clusters).toEqual(first.clusters);
    expect(second.clusters[0]).not.toBe(first.clusters[0]);
    write('second-token-123456');
    const third = await p.discover();
    expect(unknownCluster()).toBe(2);
    expect(await third.clusters[0].credentials()).toEqual({
      type: 'bearer',
      token: 'second-token-123456',
    });

    // A file naming a CA file is read whole every time: the CA may change alone.
    const withCaFile = provider([src()]);
    await withCaFile.discover();
    const NEW_CA = CA.replace('MIIB', 'MIIC');
    fs.writeFileSync(path.join(dir, 'ca.pem'), NEW_CA);
    const again = await withCaFile.discover();
    expect(again.clusters.find(c => c.name === 'eks-prod')?.caData).toBe(
      NEW_CA,
    );
  });

  it('filters contexts by glob', async () => {
    const result = await provider([
      src({ contexts: ['kind-*', 'eks-?rod'] }),
    ]).discover();
    expect(result.clusters.map(c => c.name)).toEqual(['kind-dev', 'eks-prod']);
  });

  it('keeps other files when one cannot be read, and fails when all fail', async () => {
    const p = provider([
      src(),
      { file: path.join(dir, 'nope'), labels: {}, execTimeoutSeconds: 5 },
    ]);
    const result = await p.discover();
    expect(result.clusters).toHaveLength(3);
    expect(result.failedScopes).toEqual([
      {
        scope: path.join(dir, 'nope'),
        error: expect.stringContaining('ENOENT'),
      },
    ]);
    expect(p.getScope(`${path.join(dir, 'config')}#kind-dev`)).toBe(
      path.join(dir, 'config'),
    );
    await expect(
      provider([
        { file: path.join(dir, 'nope'), labels: {}, execTimeoutSeconds: 5 },
      ]).discover(),
    ).rejects.toThrow(/ENOENT/);
  });

  it('validates the kubeconfig and names the field without echoing secrets', () => {
    expect(() =>
      parseKubeconfig(
        'users:\n  - name: u\n    user:\n      token: 123456\n      exec: { command: aws }\n',
        'f',
      ),
    ).toThrow(
      /users\[0\]\.user\.token: Expected string.*exec\.apiVersion: Required/,
    );
    const error = errorOf(() =>
      parseKubeconfig(
        'clusters:\n  - name: c\n    cluster: { server: "not a url sekrit" }\n',
        'f',
      ),
    );
    expect(error.message).toMatch(/clusters\[0\]\.cluster\.server/);
    expect(error.message).not.toContain('sekrit');
    expect(() => parseKubeconfig('a: [', 'f')).toThrow(/not valid YAML/);
    // The line is named; the text (it may hold a key) is not.
    const broken = errorOf(() =>
      parseKubeconfig(
        'users:\n  - name: u\n    user: { token: "sekrit }\n',
        'f',
      ),
    );
    expect(broken.message).toMatch(
      /^kubeconfig f is not valid YAML \(line \d\)$/,
    );
    expect(() => parseKubeconfig('clusters: []\nclusters: []\n', 'f')).toThrow(
      /not valid YAML/,
    );
  });

  it.each([
    ['https://ABC.gr7.eu-west-1.eks.amazonaws.com', 'aws'],
    ['https://x.hcp.westeurope.azmk8s.io:443', 'azure'],
    ['https://127.0.0.1:6443', 'local'],
    ['https://35.1.2.3', 'other'],
  ])('guesses the cloud of %s', (url, cloud) => {
    expect(guessCloud(url)).toBe(cloud);
  });
});
