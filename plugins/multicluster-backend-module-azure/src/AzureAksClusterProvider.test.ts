/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { AccessToken, TokenCredential } from '@azure/identity';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AzureAksClusterProvider } from './AzureAksClusterProvider';
import { readAzureConfig } from './config';
import { type ArmManagedCluster, FakeArm } from './__testUtils__/fakeArm';

const SUB_A = '00000000-0000-0000-0000-00000000000a';
const SUB_B = '00000000-0000-0000-0000-00000000000b';
const SUB_DENIED = '00000000-0000-0000-0000-0000000000dd';
const AKS_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';

const CA_PEM =
  '-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAjMSEwHwYDVQQDDBhrM3Mtc2Vy\n-----END CERTIFICATE-----';

function kubeconfig(user: Record<string, unknown>): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'current-context: c',
    'clusters:',
    '- name: c',
    '  cluster:',
    `    certificate-authority-data: ${Buffer.from(CA_PEM).toString('base64')}`,
    '    server: https://example.hcp.westeurope.azmk8s.io:443',
    'contexts:',
    '- name: c',
    '  context: { cluster: c, user: u }',
    'users:',
    '- name: u',
    `  user: ${JSON.stringify(user)}`,
    '',
  ].join('\n');
}

function managedCluster(
  sub: string,
  rg: string,
  name: string,
  properties: Record<string, unknown> = {},
  tags?: Record<string, string>,
): ArmManagedCluster {
  return {
    id: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`,
    name,
    location: 'westeurope',
    tags,
    properties: {
      provisioningState: 'Succeeded',
      powerState: { code: 'Running' },
      kubernetesVersion: '1.30',
      currentKubernetesVersion: '1.30.3',
      fqdn: `${name}-dns-1a2b3c.hcp.westeurope.azmk8s.io`,
      aadProfile: { managed: true, enableAzureRBAC: true },
      ...properties,
    },
  };
}

/** A credential that records the scopes it is asked for; the fake does not check tokens. */
function recordingCredential() {
  const scopes: string[] = [];
  let n = 0;
  const credential: TokenCredential = {
    async getToken(scope): Promise<AccessToken> {
      const s = [scope].flat().join(' ');
      scopes.push(s);
      n++;
      return {
        token: `token-${n}-for-${s}`,
        expiresOnTimestamp: Date.now() + 3600_000,
      };
    },
  };
  return { credential, scopes };
}

let arm: FakeArm;

beforeEach(async () => {
  arm = new FakeArm();
  await arm.start();
});

afterEach(async () => {
  await arm.stop();
});

function provider(entry: Record<string, unknown>, credential: TokenCredential) {
  const [config] = readAzureConfig(
    new ConfigReader({
      multicluster: {
        providers: { azure: { prod: { endpoint: arm.endpoint, ...entry } } },
      },
    }),
  );
  return new AzureAksClusterProvider({
    entry: config,
    logger: mockServices.logger.mock(),
    credential,
    // The fake's self-signed certificate, trusted for this client only.
    clientOptions: {
      tlsOptions: { ca: arm.caPem },
      retryOptions: { retryDelayInMs: 10, maxRetryDelayInMs: 50 },
    },
  });
}

describe('AzureAksClusterProvider against a fake ARM', () => {
  it('lists managed clusters across pages and resource groups with the real SDK client', async () => {
    arm.addCluster(
      SUB_A,
      managedCluster(
        SUB_A,
        'rg-web',
        'web-1',
        {},
        { team: 'web', 'Cost Center': '42' },
      ),
    );
    arm.addCluster(SUB_A, managedCluster(SUB_A, 'rg-web', 'web-2'));
    arm.addCluster(
      SUB_A,
      managedCluster(SUB_A, 'rg-data', 'data-1', {
        privateFQDN: 'data-1-priv.privatelink.westeurope.azmk8s.io',
      }),
    );
    arm.addCluster(SUB_B, managedCluster(SUB_B, 'rg-included', 'inc-1'));
    arm.addCluster(SUB_B, managedCluster(SUB_B, 'rg-other', 'other-1'));
    arm.kubeconfigs.set(
      managedCluster(SUB_A, 'rg-web', 'web-1').id.toLowerCase(),
      kubeconfig({ exec: { command: 'kubelogin' } }),
    );
    const { credential, scopes } = recordingCredential();

    const p = provider(
      {
        subscriptions: [
          SUB_A,
          { subscriptionId: SUB_B, resourceGroups: ['rg-included'] },
        ],
        labels: { env: 'prod' },
      },
      credential,
    );
    const result = await p.discover({});

    expect(result.complete).toBe(true);
    expect(result.clusters.map(c => c.name).sort()).toEqual([
      'data-1',
      'inc-1',
      'web-1',
      'web-2',
    ]);
    // Three clusters in SUB_A with pages of two: the nextLink was followed.
    const lists = arm.requests.filter(r => r.method === 'GET');
    expect(lists.map(r => r.path)).toEqual(
      expect.arrayContaining([
        `/subscriptions/${SUB_A}/providers/Microsoft.ContainerService/managedClusters`,
        `/subscriptions/${SUB_B}/resourceGroups/rg-included/providers/Microsoft.ContainerService/managedClusters`,
      ]),
    );
    expect(
      lists.filter(r => r.path.startsWith(`/subscriptions/${SUB_A}/`)),
    ).toHaveLength(2);
    expect(
      lists.every(
        r => r.apiVersion && r.authorization?.startsWith('Bearer token-'),
      ),
    ).toBe(true);
    expect(scopes).toContain(`${arm.endpoint}/.default`);

    const web1 = result.clusters.find(c => c.name === 'web-1')!;
    expect(web1).toMatchObject({
      sourceId: `/subscriptions/${SUB_A}/resourceGroups/rg-web/providers/Microsoft.ContainerService/managedClusters/web-1`,
      url: 'https://web-1-dns-1a2b3c.hcp.westeurope.azmk8s.io:443',
      caData: `${CA_PEM}\n`,
      cloud: 'azure',
      region: 'westeurope',
      distribution: 'aks',
      providerState: 'active',
      providerStateReason:
        'AKS provisioningState Succeeded, powerState Running, Kubernetes 1.30.3',
      kubernetesPluginAuth: { authProvider: 'azure' },
      labels: {
        team: 'web',
        env: 'prod',
        'archipelago.dev/azure-subscription': SUB_A,
        'archipelago.dev/azure-resource-group': 'rg-web',
        'archipelago.dev/kubernetes-version': '1.30.3',
      },
    });
    // No CA where the user credentials could not be read (404 in the fake).
    expect(
      result.clusters.find(c => c.name === 'web-2')!.caData,
    ).toBeUndefined();
    // Private FQDN only when there is no public one (or when preferred).
    expect(result.clusters.find(c => c.name === 'data-1')!.url).toBe(
      'https://data-1-dns-1a2b3c.hcp.westeurope.azmk8s.io:443',
    );

    expect(p.getScope(web1.sourceId)).toBe(SUB_A);
    expect(
      p.getScope(result.clusters.find(c => c.name === 'inc-1')!.sourceId),
    ).toBe(`${SUB_B}/rg-included`);
    expect(
      p.getScope(managedCluster(SUB_B, 'rg-other', 'other-1').id),
    ).toBeUndefined();

    // Entra ID clusters get a token for the AKS server application, shared by all.
    const creds = await web1.credentials();
    expect(creds).toMatchObject({
      type: 'bearer',
      token: expect.stringContaining(`-for-${AKS_SCOPE}`),
    });
    expect(
      await result.clusters.find(c => c.name === 'web-2')!.credentials(),
    ).toEqual(creds);
    expect(scopes.filter(s => s === AKS_SCOPE)).toHaveLength(1);
  });

  it('keeps the other subscriptions when one is denied, and names it in failedScopes', async () => {
    arm.addCluster(SUB_A, managedCluster(SUB_A, 'rg', 'fine'));
    arm.failures.set(SUB_DENIED, {
      status: 403,
      code: 'AuthorizationFailed',
      message: `The client does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/read'`,
    });
    const { credential } = recordingCredential();
    const result = await provider(
      { subscriptions: [SUB_A, SUB_DENIED] },
      credential,
    ).discover({});
    expect(result.complete).toBe(false);
    expect(result.clusters.map(c => c.name)).toEqual(['fine']);
    expect(result.failedScopes).toEqual([
      // The SDK's pager keeps ARM's error code and status, not its message.
      {
        scope: SUB_DENIED,
        error: expect.stringMatching(
          /^RestError \(AuthorizationFailed, HTTP 403\): /,
        ),
      },
    ]);
  });

  it('retries throttled list calls', async () => {
    arm.addCluster(SUB_A, managedCluster(SUB_A, 'rg', 'c'));
    arm.throttle = 2;
    const { credential } = recordingCredential();
    const result = await provider(
      { subscriptions: [SUB_A] },
      credential,
    ).discover({});
    expect(result).toMatchObject({ complete: true, clusters: [{ name: 'c' }] });
    expect(arm.requests.filter(r => r.method === 'GET')).toHaveLength(3);
  });

  it('drops a deleted cluster from the next complete answer', async () => {
    arm.addCluster(SUB_A, managedCluster(SUB_A, 'rg', 'keep'));
    arm.addCluster(SUB_A, managedCluster(SUB_A, 'rg', 'doomed'));
    const { credential } = recordingCredential();
    const p = provider({ subscriptions: [SUB_A] }, credential);
    expect((await p.discover({})).clusters).toHaveLength(2);
    arm.removeCluster(managedCluster(SUB_A, 'rg', 'doomed').id);
    const second = await p.discover({});
    expect(second).toMatchObject({
      complete: true,
      clusters: [{ name: 'keep' }],
    });
    expect(second.clusters).toHaveLength(1);
  });

  it('folds provisioningState and powerState, and does not ask a cluster being created for credentials', async () => {
    arm.addCluster(
      SUB_A,
      managedCluster(SUB_A, 'rg', 'new', {
        provisioningState: 'Creating',
        fqdn: undefined,
      }),
    );
    arm.addCluster(
      SUB_A,
      managedCluster(SUB_A, 'rg', 'off', { powerState: { code: 'Stopped' } }),
    );
    arm.addCluster(
      SUB_A,
      managedCluster(SUB_A, 'rg', 'upgrading', {
        provisioningState: 'Upgrading',
      }),
    );
    const { credential } = recordingCredential();
    const result = await provider(
      { subscriptions: [SUB_A] },
      credential,
    ).discover({});
    const byName = Object.fromEntries(result.clusters.map(c => [c.name, c]));
    expect(byName.new).toMatchObject({
      providerState: 'provisioning',
      url: `https://provisioning.invalid/aks/${encodeURIComponent(
        managedCluster(SUB_A, 'rg', 'new').id,
      )}`,
    });
    expect(byName.off.providerState).toBe('stopped');
    expect(byName.upgrading.providerState).toBe('updating');
    const credentialCalls = arm.requests
      .filter(r => r.method === 'POST')
      .map(r => r.path);
    expect(credentialCalls.some(p => p.includes('/new/'))).toBe(false);
    expect(credentialCalls.some(p => p.includes('/off/'))).toBe(false);
  });

  it('authenticates to local-account clusters with cluster user credentials', async () => {
    const local = managedCluster(SUB_A, 'rg', 'local', {
      aadProfile: undefined,
    });
    const cert = managedCluster(SUB_A, 'rg', 'cert', { aadProfile: undefined });
    const entra = managedCluster(SUB_A, 'rg', 'entra');
    arm.addCluster(SUB_A, local);
    arm.addCluster(SUB_A, cert);
    arm.addCluster(SUB_A, entra);
    arm.kubeconfigs.set(
      local.id.toLowerCase(),
      kubeconfig({ token: 'local-user-token' }),
    );
    arm.kubeconfigs.set(
      cert.id.toLowerCase(),
      kubeconfig({
        'client-certificate-data': Buffer.from('CERT PEM').toString('base64'),
        'client-key-data': Buffer.from('KEY PEM').toString('base64'),
      }),
    );
    arm.kubeconfigs.set(
      entra.id.toLowerCase(),
      kubeconfig({ exec: { command: 'kubelogin' } }),
    );
    const { credential } = recordingCredential();

    const auto = await provider(
      { subscriptions: [SUB_A] },
      credential,
    ).discover({});
    const byName = Object.fromEntries(auto.clusters.map(c => [c.name, c]));
    expect(await byName.local.credentials()).toEqual({
      type: 'bearer',
      token: 'local-user-token',
    });
    expect(await byName.cert.credentials()).toEqual({
      type: 'clientCertificate',
      certData: 'CERT PEM',
      keyData: 'KEY PEM',
    });
    expect(byName.local.kubernetesPluginAuth).toBeUndefined();
    expect(byName.entra.kubernetesPluginAuth).toEqual({
      authProvider: 'azure',
    });

    // Forced to cluster user credentials, an Entra ID cluster explains what to change.
    const forced = await provider(
      {
        subscriptions: [SUB_A],
        clusterAuth: 'clusterUser',
        kubernetesPluginAuthProvider: 'aks',
      },
      credential,
    ).discover({});
    const entraForced = forced.clusters.find(c => c.name === 'entra')!;
    await expect(entraForced.credentials()).rejects.toThrow('uses Entra ID');
    expect(entraForced.kubernetesPluginAuth).toBeUndefined();

    const entraOnly = await provider(
      {
        subscriptions: [SUB_A],
        clusterAuth: 'entraId',
        kubernetesPluginAuthProvider: 'aks',
      },
      credential,
    ).discover({});
    expect(
      entraOnly.clusters.find(c => c.name === 'local')!.kubernetesPluginAuth,
    ).toEqual({ authProvider: 'aks' });
  });

  it('gives each configured cluster role its own Entra ID identity, and the Kubernetes plugin the view one', async () => {
    arm.addCluster(SUB_A, managedCluster(SUB_A, 'rg-web', 'web-1'));
    const { credential } = recordingCredential();
    const [shared] = (
      await provider({ subscriptions: [SUB_A] }, credential).discover({})
    ).clusters;
    // One identity for everything: the plugin's azure strategy, no role of its own.
    expect(shared.kubernetesPluginAuth).toEqual({ authProvider: 'azure' });
    expect(shared.roleCredentials).toEqual({});

    const viewer = '11111111-1111-1111-1111-111111111111';
    const [split] = (
      await provider(
        {
          subscriptions: [SUB_A],
          clusterIdentities: {
            view: { clientId: viewer, tenantId: 't', clientSecret: 's' },
            deploy: { clientId: '22222222-2222-2222-2222-222222222222' },
          },
        },
        credential,
      ).discover({})
    ).clusters;
    expect(Object.keys(split.roleCredentials!).sort()).toEqual([
      'deploy',
      'view',
    ]);
    // The Kubernetes plugin gets the view identity's token, not the backend's own identity.
    expect(split.kubernetesPluginAuth).toBeUndefined();

    // The signed-in user's own token (aks) is narrower still and stays.
    const [own] = (
      await provider(
        {
          subscriptions: [SUB_A],
          kubernetesPluginAuthProvider: 'aks',
          clusterIdentities: { view: { clientId: viewer } },
        },
        credential,
      ).discover({})
    ).clusters;
    expect(own.kubernetesPluginAuth).toEqual({ authProvider: 'aks' });
  });

  it('rejects when the round is aborted', async () => {
    const { credential } = recordingCredential();
    await expect(
      provider({ subscriptions: [SUB_A] }, credential).discover({
        signal: AbortSignal.abort(),
      }),
    ).rejects.toThrow();
  });
});
