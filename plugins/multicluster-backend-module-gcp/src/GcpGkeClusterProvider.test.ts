/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readGcpConfig } from './config';
import { GcpGkeClusterProvider } from './GcpGkeClusterProvider';
import { FakeGke, type GkeClusterJson } from './__testUtils__/fakeGke';

const CA_PEM =
  '-----BEGIN CERTIFICATE-----\nMIIELTCCApWgAwIBAgIRAO\n-----END CERTIFICATE-----';

function gkeCluster(
  location: string,
  name: string,
  extra: Record<string, unknown> = {},
): GkeClusterJson {
  return {
    name,
    location,
    zone: location,
    endpoint: '34.118.10.20',
    status: 'RUNNING',
    currentMasterVersion: '1.30.5-gke.1014001',
    resourceLabels: { team: 'search', env: 'prod' },
    masterAuth: {
      clusterCaCertificate: Buffer.from(CA_PEM).toString('base64'),
    },
    privateClusterConfig: { privateEndpoint: '10.0.0.2' },
    selfLink: `https://container.googleapis.com/v1/projects/p/locations/${location}/clusters/${name}`,
    ...extra,
  };
}

let gke: FakeGke;
let dir: string;
const providers: GcpGkeClusterProvider[] = [];

beforeEach(async () => {
  gke = new FakeGke();
  await gke.start();
  dir = await mkdtemp(join(tmpdir(), 'gke-test-'));
});

afterEach(async () => {
  await Promise.all(providers.splice(0).map(p => p.close()));
  await gke.stop();
  await rm(dir, { recursive: true, force: true });
});

/**
 * An external-account (workload identity federation) credential whose token
 * exchange goes to the fake STS: google-auth-library's real token flow.
 */
async function externalAccountCredentials(): Promise<string> {
  const subjectTokenFile = join(dir, 'subject-token');
  await writeFile(subjectTokenFile, 'eyJhbGciOiJSUzI1NiJ9.subject.token');
  return JSON.stringify({
    type: 'external_account',
    audience:
      '//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/pool/providers/p',
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: `${gke.endpoint}/v1/token`,
    credential_source: { file: subjectTokenFile },
  });
}

async function provider(entry: Record<string, unknown>) {
  const [config] = readGcpConfig(
    new ConfigReader({
      multicluster: {
        providers: {
          gcp: {
            prod: {
              endpoint: gke.endpoint,
              credentials: await externalAccountCredentials(),
              ...entry,
            },
          },
        },
      },
    }),
  );
  const p = new GcpGkeClusterProvider({
    entry: config,
    logger: mockServices.logger.mock(),
  });
  providers.push(p);
  return p;
}

// The real Google client (auth, retries) loads slowly on a busy CI machine.
jest.setTimeout(30_000);

describe('GcpGkeClusterProvider against a fake GKE REST API', () => {
  it('lists clusters of every location and of chosen locations through the real client', async () => {
    gke.addCluster('project-a', gkeCluster('us-central1', 'search'));
    gke.addCluster(
      'project-a',
      gkeCluster('europe-west1-b', 'batch', {
        resourceLabels: { team: 'batch' },
      }),
    );
    gke.addCluster('project-b', gkeCluster('us-east1', 'east'));
    gke.addCluster('project-b', gkeCluster('asia-east1', 'not-listed'));

    const p = await provider({
      projects: [
        'project-a',
        { projectId: 'project-b', locations: ['us-east1'] },
      ],
      labels: { owner: 'platform' },
    });
    const result = await p.discover({});

    expect(result.complete).toBe(true);
    expect(result.clusters.map(c => c.sourceId)).toEqual([
      'projects/project-a/locations/europe-west1-b/clusters/batch',
      'projects/project-a/locations/us-central1/clusters/search',
      'projects/project-b/locations/us-east1/clusters/east',
    ]);
    expect(
      gke.requests
        .filter(r => r.method === 'GET')
        .map(r => r.path)
        .sort(),
    ).toEqual([
      '/v1/projects/project-a/locations/-/clusters',
      '/v1/projects/project-b/locations/us-east1/clusters',
    ]);
    // google-auth-library exchanged the external account's subject token at the fake STS.
    expect(gke.tokenExchanges[0]).toMatchObject({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: 'eyJhbGciOiJSUzI1NiJ9.subject.token',
      scope: 'https://www.googleapis.com/auth/cloud-platform',
    });

    const search = result.clusters.find(c => c.name === 'search')!;
    expect(search).toEqual({
      sourceId: 'projects/project-a/locations/us-central1/clusters/search',
      name: 'search',
      url: 'https://34.118.10.20',
      caData: `${CA_PEM}\n`,
      credentials: expect.any(Function),
      kubernetesPluginAuth: { authProvider: 'googleServiceAccount' },
      cloud: 'gcp',
      region: 'us-central1',
      distribution: 'gke',
      labels: {
        team: 'search',
        env: 'prod',
        owner: 'platform',
        'archipelago.dev/gcp-project': 'project-a',
        'archipelago.dev/kubernetes-version': '1.30.5-gke.1014001',
      },
      providerState: 'active',
      providerStateReason: 'GKE status RUNNING, Kubernetes 1.30.5-gke.1014001',
    });

    expect(p.getScope(search.sourceId)).toBe('project-a/-');
    expect(
      p.getScope('projects/project-b/locations/us-east1/clusters/east'),
    ).toBe('project-b/us-east1');
    expect(
      p.getScope('projects/project-b/locations/asia-east1/clusters/not-listed'),
    ).toBeUndefined();
    expect(
      p.getScope('projects/other/locations/us-east1/clusters/x'),
    ).toBeUndefined();

    // API servers get the same Google access token.
    expect(await search.credentials()).toMatchObject({
      type: 'bearer',
      token: gke.accessToken,
      expiresAt: expect.any(Date),
    });
  });

  it('keeps other projects when one is denied, and reports unreachable zones as incomplete', async () => {
    gke.addCluster('project-a', gkeCluster('us-central1', 'fine'));
    gke.addCluster('project-c', gkeCluster('us-west1', 'partial'));
    gke.missingZones.set('project-c', ['asia-east1-a', 'asia-east1-b']);
    gke.failures.set('project-denied', {
      code: 403,
      status: 'PERMISSION_DENIED',
      message:
        "Required 'container.clusters.list' permission for 'projects/project-denied'.",
    });

    const p = await provider({
      projects: ['project-a', 'project-c', 'project-denied'],
    });
    const result = await p.discover({});
    expect(result.complete).toBe(false);
    expect(result.clusters.map(c => c.name)).toEqual(['fine', 'partial']);
    expect(result.failedScopes).toEqual(
      expect.arrayContaining([
        {
          scope: 'project-c/-',
          error: 'zones did not answer: asia-east1-a, asia-east1-b',
        },
        {
          scope: 'project-denied/-',
          error: expect.stringContaining(
            "Required 'container.clusters.list' permission",
          ),
        },
      ]),
    );
    expect(result.failedScopes).toHaveLength(2);
  });

  it('folds GKE statuses and connects to private endpoints when asked', async () => {
    gke.addCluster(
      'project-a',
      gkeCluster('us-central1', 'new', {
        status: 'PROVISIONING',
        endpoint: '',
        masterAuth: {},
        privateClusterConfig: {},
      }),
    );
    gke.addCluster(
      'project-a',
      gkeCluster('us-central1', 'upgrading', { status: 'RECONCILING' }),
    );
    gke.addCluster(
      'project-a',
      gkeCluster('us-central1', 'going', { status: 'STOPPING' }),
    );
    gke.addCluster(
      'project-a',
      gkeCluster('us-central1', 'broken', {
        status: 'ERROR',
        statusMessage: 'quota exceeded',
      }),
    );
    gke.addCluster(
      'project-a',
      gkeCluster('us-central1', 'degraded', { status: 'DEGRADED' }),
    );

    const p = await provider({
      projects: [{ projectId: 'project-a', locations: ['us-central1'] }],
      endpointType: 'private',
      kubernetesPluginAuthProvider: 'google',
    });
    const byName = Object.fromEntries(
      (await p.discover({})).clusters.map(c => [c.name, c]),
    );
    expect(byName.new).toMatchObject({
      providerState: 'provisioning',
      url: 'https://provisioning.invalid/gke/projects%2Fproject-a%2Flocations%2Fus-central1%2Fclusters%2Fnew',
      caData: undefined,
    });
    expect(byName.upgrading.providerState).toBe('updating');
    expect(byName.going.providerState).toBe('deleting');
    expect(byName.broken).toMatchObject({
      providerState: 'failed',
      providerStateReason:
        'GKE status ERROR, Kubernetes 1.30.5-gke.1014001; quota exceeded',
    });
    expect(byName.degraded.providerState).toBe('active');
    expect(byName.upgrading.url).toBe('https://10.0.0.2');
    expect(byName.upgrading.kubernetesPluginAuth).toEqual({
      authProvider: 'google',
    });
  });

  it('retries throttled list calls with backoff', async () => {
    gke.addCluster('project-a', gkeCluster('us-central1', 'c'));
    gke.throttle = 2;
    const p = await provider({ projects: ['project-a'] });
    const result = await p.discover({});
    expect(result).toMatchObject({ complete: true, clusters: [{ name: 'c' }] });
    expect(gke.requests.filter(r => r.method === 'GET')).toHaveLength(3);
  });

  it('drops a deleted cluster from the next complete answer', async () => {
    gke.addCluster('project-a', gkeCluster('us-central1', 'keep'));
    gke.addCluster('project-a', gkeCluster('us-central1', 'doomed'));
    const p = await provider({ projects: ['project-a'] });
    expect((await p.discover({})).clusters).toHaveLength(2);
    gke.clusters.set('project-a', [gkeCluster('us-central1', 'keep')]);
    expect(await p.discover({})).toMatchObject({
      complete: true,
      clusters: [{ name: 'keep' }],
    });
  });

  it('rejects when the round is aborted', async () => {
    const p = await provider({ projects: ['project-a'] });
    await expect(p.discover({ signal: AbortSignal.abort() })).rejects.toThrow();
  });
});
