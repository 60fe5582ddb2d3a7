/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  CreateClusterCommand,
  DeleteClusterCommand,
  EKSClient,
} from '@aws-sdk/client-eks';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  credentialsForRole,
  type DiscoveredCluster,
} from '@archipelago/multicluster-node';
import { readAwsConfig } from '../config';
import {
  deadEndpoint,
  type Moto,
  startMoto,
  startThrottlingProxy,
} from '../__testUtils__/moto';
import { AwsEksClusterProvider } from './AwsEksClusterProvider';

// moto accepts any key; the account of plain keys is its default, 123456789012.
const BASE = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const MAIN_ACCOUNT = '123456789012';
const TENANT_ACCOUNT = '210987654321';
const TENANT_ROLE = `arn:aws:iam::${TENANT_ACCOUNT}:role/archipelago-reader`;
const EXTERNAL_ID = 'archipelago-ext-4711';

jest.setTimeout(60_000);

let moto: Moto;

beforeAll(async () => {
  moto = await startMoto();
});

afterAll(async () => {
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
});

// The SDK tags credential objects it is given (`$source`), so it gets copies.
function eks(
  region: string,
  credentials: typeof BASE & { sessionToken?: string } = BASE,
) {
  return new EKSClient({
    region,
    endpoint: moto.endpoint,
    credentials: { ...credentials },
  });
}

async function createCluster(
  region: string,
  name: string,
  tags?: Record<string, string>,
  credentials?: typeof BASE & { sessionToken?: string },
) {
  await eks(region, credentials).send(
    new CreateClusterCommand({
      name,
      roleArn: `arn:aws:iam::${MAIN_ACCOUNT}:role/eks-service`,
      resourcesVpcConfig: { subnetIds: [] },
      tags,
    }),
  );
}

async function tenantCredentials() {
  const sts = new STSClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { ...BASE },
  });
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: TENANT_ROLE,
      RoleSessionName: 'test-setup',
      ExternalId: EXTERNAL_ID,
    }),
  );
  return {
    accessKeyId: out.Credentials!.AccessKeyId!,
    secretAccessKey: out.Credentials!.SecretAccessKey!,
    sessionToken: out.Credentials!.SessionToken!,
  };
}

/** Providers built from real config, as the module builds them. */
type JsonObject = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;

function providersFromConfig(aws: JsonObject, pageSize?: number) {
  const accounts = readAwsConfig(
    new ConfigReader({ multicluster: { providers: { aws } } }),
  );
  return accounts.map(
    account =>
      new AwsEksClusterProvider({
        account,
        logger: mockServices.logger.mock(),
        pageSize,
      }),
  );
}

const byName = (clusters: DiscoveredCluster[]) =>
  Object.fromEntries(clusters.map(c => [c.name, c]));

describe('AwsEksClusterProvider against moto', () => {
  it('discovers clusters in two regions and in an assumed-role account, with tags as labels', async () => {
    await createCluster('us-east-1', 'payments', {
      team: 'payments',
      'app.kubernetes.io/part-of': 'shop',
      'aws:cloudformation:stack-name': 'not-a-label-key',
      'cost center': 'has a space',
    });
    await createCluster('eu-west-1', 'search', { team: 'search' });
    await createCluster(
      'us-east-1',
      'tenant-a',
      { tenant: 'a' },
      await tenantCredentials(),
    );

    const [main, tenant] = providersFromConfig({
      main: {
        regions: ['us-east-1', 'eu-west-1'],
        ...BASE,
        endpoints: { eks: moto.endpoint, sts: moto.endpoint },
        labels: { env: 'prod' },
      },
      tenant: {
        regions: ['us-east-1'],
        roleArn: TENANT_ROLE,
        externalId: EXTERNAL_ID,
        ...BASE,
        endpoints: { eks: moto.endpoint, sts: moto.endpoint },
      },
    });
    expect(main.getProviderId()).toBe('aws-eks:main');
    expect(tenant.getProviderId()).toBe('aws-eks:tenant');

    const result = await main.discover({});
    expect(result.complete).toBe(true);
    expect(result.failedScopes).toBeUndefined();
    const clusters = byName(result.clusters);
    expect(Object.keys(clusters).sort()).toEqual(['payments', 'search']);

    const payments = clusters.payments;
    expect(payments).toMatchObject({
      sourceId: `arn:aws:eks:us-east-1:${MAIN_ACCOUNT}:cluster/payments`,
      cloud: 'aws',
      region: 'us-east-1',
      distribution: 'eks',
      providerState: 'active',
      kubernetesPluginAuth: {
        authProvider: 'aws',
        metadata: { 'kubernetes.io/x-k8s-aws-id': 'payments' },
      },
    });
    expect(payments.url).toMatch(/^https:\/\/[^/]+\.eks\.amazonaws\.com$/);
    expect(payments.providerStateReason).toMatch(
      /^EKS status ACTIVE, Kubernetes \d+\.\d+, platform eks\.\d+$/,
    );
    // Tags that are valid label keys become labels; `aws:` and spaced keys are left out.
    expect(payments.labels).toEqual({
      team: 'payments',
      'app.kubernetes.io/part-of': 'shop',
      env: 'prod',
      'archipelago.dev/aws-account': MAIN_ACCOUNT,
      'archipelago.dev/kubernetes-version': expect.stringMatching(/^\d+\.\d+$/),
      'archipelago.dev/eks-platform-version':
        expect.stringMatching(/^eks\.\d+$/),
    });
    expect(clusters.search).toMatchObject({
      sourceId: `arn:aws:eks:eu-west-1:${MAIN_ACCOUNT}:cluster/search`,
      region: 'eu-west-1',
      labels: expect.objectContaining({ team: 'search' }),
    });
    expect(main.getScope(payments.sourceId)).toBe('us-east-1');
    expect(main.getScope(clusters.search.sourceId)).toBe('eu-west-1');
    expect(
      main.getScope(`arn:aws:eks:ap-south-1:${MAIN_ACCOUNT}:cluster/x`),
    ).toBeUndefined();

    // The tenant account is reached through AssumeRole with the external id; moto
    // takes the account from the role ARN.
    const tenantResult = await tenant.discover({});
    expect(tenantResult.complete).toBe(true);
    expect(tenantResult.clusters.map(c => c.sourceId)).toEqual([
      `arn:aws:eks:us-east-1:${TENANT_ACCOUNT}:cluster/tenant-a`,
    ]);
    expect(tenantResult.clusters[0].labels).toMatchObject({
      tenant: 'a',
      'archipelago.dev/aws-account': TENANT_ACCOUNT,
    });
    expect(tenantResult.clusters[0].kubernetesPluginAuth).toEqual({
      authProvider: 'aws',
      metadata: {
        'kubernetes.io/x-k8s-aws-id': 'tenant-a',
        'kubernetes.io/aws-assume-role': TENANT_ROLE,
        'kubernetes.io/aws-external-id': EXTERNAL_ID,
      },
    });
  });

  it('drops a deleted cluster from the next complete answer', async () => {
    await createCluster('us-east-1', 'keep');
    await createCluster('us-east-1', 'doomed');
    const [provider] = providersFromConfig({
      main: {
        regions: ['us-east-1'],
        ...BASE,
        endpoints: { eks: moto.endpoint, sts: moto.endpoint },
      },
    });

    const first = await provider.discover({});
    expect(first.clusters.map(c => c.name).sort()).toEqual(['doomed', 'keep']);

    await eks('us-east-1').send(new DeleteClusterCommand({ name: 'doomed' }));
    const second = await provider.discover({});
    expect(second.complete).toBe(true);
    expect(second.clusters.map(c => c.name)).toEqual(['keep']);
  });

  it('keeps the clusters of a healthy region when another region is unreachable', async () => {
    await createCluster('us-east-1', 'alive');
    const dead = await deadEndpoint();
    const [provider] = providersFromConfig({
      main: {
        regions: ['us-east-1', { name: 'eu-west-1', endpoints: { eks: dead } }],
        ...BASE,
        endpoints: { eks: moto.endpoint, sts: moto.endpoint },
        maxAttempts: 2,
      },
    });

    const result = await provider.discover({});
    expect(result.complete).toBe(false);
    expect(result.clusters.map(c => c.sourceId)).toEqual([
      `arn:aws:eks:us-east-1:${MAIN_ACCOUNT}:cluster/alive`,
    ]);
    expect(result.failedScopes).toEqual([
      { scope: 'eu-west-1', error: expect.stringMatching(/ECONNREFUSED/) },
    ]);
    expect(provider.getScope(result.clusters[0].sourceId)).toBe('us-east-1');
  });

  it('reports every region of an account whose role cannot be assumed, and no other account', async () => {
    await createCluster('us-east-1', 'fine');
    const dead = await deadEndpoint();
    const [good, broken] = providersFromConfig({
      good: {
        regions: ['us-east-1'],
        ...BASE,
        endpoints: { eks: moto.endpoint, sts: moto.endpoint },
      },
      broken: {
        regions: ['us-east-1', 'eu-west-1'],
        roleArn: TENANT_ROLE,
        ...BASE,
        endpoints: { eks: moto.endpoint, sts: dead },
        maxAttempts: 1,
      },
    });

    const [goodResult, brokenResult] = await Promise.all([
      good.discover({}),
      broken.discover({}),
    ]);
    expect(goodResult).toMatchObject({
      complete: true,
      clusters: [expect.objectContaining({ name: 'fine' })],
    });
    expect(brokenResult.complete).toBe(false);
    expect(brokenResult.clusters).toEqual([]);
    expect(brokenResult.failedScopes?.map(s => s.scope).sort()).toEqual([
      'eu-west-1',
      'us-east-1',
    ]);
  });

  it('pages through ListClusters and retries throttled calls with backoff', async () => {
    for (const name of ['a', 'b', 'c']) await createCluster('us-east-1', name);
    const proxy = await startThrottlingProxy(moto.endpoint, {
      match: req =>
        req.method === 'GET' && /^\/clusters(\?|$)/.test(req.url ?? ''),
      count: 2,
    });
    try {
      const [provider] = providersFromConfig(
        {
          main: {
            regions: ['us-east-1'],
            ...BASE,
            endpoints: { eks: proxy.endpoint, sts: moto.endpoint },
          },
        },
        1,
      );
      const result = await provider.discover({});
      expect(result.complete).toBe(true);
      expect(result.clusters.map(c => c.name).sort()).toEqual(['a', 'b', 'c']);
      expect(proxy.throttled()).toBe(2);
      // Three pages of one cluster each (moto's last page has no token), plus two throttled attempts.
      expect(proxy.matched()).toBe(5);
    } finally {
      await proxy.close();
    }
  });

  it('fails the region, not the round, when throttling outlasts the retries', async () => {
    await createCluster('us-east-1', 'a');
    const proxy = await startThrottlingProxy(moto.endpoint, {
      match: req =>
        req.method === 'GET' && /^\/clusters(\?|$)/.test(req.url ?? ''),
      count: 100,
    });
    try {
      const [provider] = providersFromConfig({
        main: {
          regions: ['us-east-1'],
          ...BASE,
          endpoints: { eks: proxy.endpoint },
          maxAttempts: 2,
        },
      });
      const result = await provider.discover({});
      expect(result).toEqual({
        clusters: [],
        complete: false,
        failedScopes: [
          {
            scope: 'us-east-1',
            error: expect.stringMatching(/^ThrottlingException: Rate exceeded/),
          },
        ],
      });
      expect(proxy.matched()).toBe(2);
    } finally {
      await proxy.close();
    }
  });

  it('authenticates with an EKS token signed by the assumed role for the right cluster', async () => {
    await createCluster(
      'us-east-1',
      'tenant-a',
      undefined,
      await tenantCredentials(),
    );
    const [provider] = providersFromConfig({
      tenant: {
        regions: ['us-east-1'],
        roleArn: TENANT_ROLE,
        externalId: EXTERNAL_ID,
        ...BASE,
        endpoints: { eks: moto.endpoint, sts: moto.endpoint },
      },
    });
    const [cluster] = (await provider.discover({})).clusters;
    const credentials = await cluster.credentials();
    if (credentials.type !== 'bearer')
      throw new Error('expected a bearer token');
    expect(credentials.token.startsWith('k8s-aws-v1.')).toBe(true);
    expect(credentials.token).not.toContain('=');

    const url = new URL(
      Buffer.from(
        credentials.token.slice('k8s-aws-v1.'.length),
        'base64url',
      ).toString('utf8'),
    );
    expect(url.origin).toBe(moto.endpoint);
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toContain(
      'x-k8s-aws-id',
    );
    // Signed by the assumed role's session, not the base keys.
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(
      /^ASIA[A-Z0-9]+\/\d{8}\/us-east-1\/sts\/aws4_request$/,
    );
    expect(url.searchParams.get('X-Amz-Credential')).not.toContain(
      BASE.accessKeyId,
    );
    expect(url.searchParams.get('X-Amz-Security-Token')).toBeTruthy();
    // The signature itself is checked against an independent SigV4 implementation in token.test.ts.

    // Cached: the same token until shortly before it expires.
    expect(await cluster.credentials()).toEqual(credentials);
  });

  it('gives each cluster role its own IAM role, and the Kubernetes plugin the view role', async () => {
    await createCluster('us-east-1', 'payments');
    const viewer = `arn:aws:iam::${MAIN_ACCOUNT}:role/eks-viewer`;
    const deployer = `arn:aws:iam::${MAIN_ACCOUNT}:role/eks-deployer`;
    const [provider] = providersFromConfig({
      main: {
        regions: ['us-east-1'],
        ...BASE,
        endpoints: { eks: moto.endpoint, sts: moto.endpoint },
        clusterRoles: {
          view: { roleArn: viewer },
          deploy: { roleArn: deployer, externalId: EXTERNAL_ID },
        },
      },
    });
    const [cluster] = (await provider.discover({})).clusters;
    expect(cluster.kubernetesPluginAuth?.metadata).toEqual({
      'kubernetes.io/x-k8s-aws-id': 'payments',
      'kubernetes.io/aws-assume-role': viewer,
    });
    /** Who STS says signed a token: what EKS maps to an access entry. */
    const callerOf = async (role: 'view' | 'deploy' | 'probe') => {
      const creds = await credentialsForRole(cluster, role)();
      if (creds.type !== 'bearer') throw new Error('expected a bearer token');
      const url = Buffer.from(
        creds.token.slice('k8s-aws-v1.'.length),
        'base64url',
      ).toString('utf8');
      // The session key the token was signed with; STS says whose it is (as EKS asks it).
      const key = new URL(url).searchParams
        .get('X-Amz-Credential')!
        .split('/')[0];
      const res = await fetch(moto.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `AWS4-HMAC-SHA256 Credential=${key}/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0`,
        },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      });
      const arnMatch = /<Arn>([^<]+)<\/Arn>/.exec(await res.text());
      return arnMatch?.[1];
    };
    expect(await callerOf('view')).toMatch(/:assumed-role\/eks-viewer\//);
    expect(await callerOf('deploy')).toMatch(/:assumed-role\/eks-deployer\//);
    // The probe has no role of its own: the account's identity.
    expect(await callerOf('probe')).not.toMatch(/assumed-role/);
  });
});
