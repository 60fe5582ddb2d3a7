/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  DescribeClusterCommand,
  EKSClient,
  ListClustersCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import { mockServices } from '@backstage/backend-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import type { AwsAccountConfig } from '../config';
import { AwsEksClusterProvider } from './AwsEksClusterProvider';

// States and failures moto cannot produce (its clusters are ACTIVE at once) are
// played by aws-sdk-client-mock; everything else runs against moto.

const eksMock = mockClient(EKSClient);

const account: AwsAccountConfig = {
  id: 'prod',
  regions: [{ name: 'us-east-1' }],
  roleSessionName: 'archipelago-multicluster',
  stsRegion: 'us-east-1',
  maxAttempts: 1,
  labels: {},
};
const credentials = async () => ({
  accessKeyId: 'AKID',
  secretAccessKey: 'secret',
});
const arn = (name: string) =>
  `arn:aws:eks:us-east-1:111122223333:cluster/${name}`;

function provider() {
  return new AwsEksClusterProvider({
    account,
    logger: mockServices.logger.mock(),
    credentials,
  });
}

beforeEach(() => eksMock.reset());

describe('AwsEksClusterProvider', () => {
  it('reports a CREATING cluster as provisioning, without an endpoint yet', async () => {
    eksMock.on(ListClustersCommand).resolves({ clusters: ['fresh'] });
    eksMock.on(DescribeClusterCommand, { name: 'fresh' }).resolves({
      cluster: {
        name: 'fresh',
        arn: arn('fresh'),
        status: 'CREATING',
        version: '1.31',
        tags: {},
      },
    });
    const result = await provider().discover({});
    expect(result.complete).toBe(true);
    expect(result.clusters).toEqual([
      expect.objectContaining({
        sourceId: arn('fresh'),
        url: `https://provisioning.invalid/eks/${encodeURIComponent(
          arn('fresh'),
        )}`,
        caData: undefined,
        providerState: 'provisioning',
        providerStateReason: 'EKS status CREATING, Kubernetes 1.31',
      }),
    ]);
  });

  it.each([
    ['ACTIVE', 'active'],
    ['UPDATING', 'updating'],
    ['DELETING', 'deleting'],
    ['FAILED', 'failed'],
    ['PENDING', 'provisioning'],
  ])('folds EKS status %s into %s', async (status, state) => {
    eksMock.on(ListClustersCommand).resolves({ clusters: ['c'] });
    eksMock.on(DescribeClusterCommand).resolves({
      cluster: {
        name: 'c',
        arn: arn('c'),
        status: status as 'ACTIVE',
        endpoint: 'https://abc.gr7.us-east-1.eks.amazonaws.com',
      },
    });
    const [cluster] = (await provider().discover({})).clusters;
    expect(cluster.providerState).toBe(state);
  });

  it('decodes the CA bundle and reports health issues of a failed cluster', async () => {
    const pem =
      '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ==\n-----END CERTIFICATE-----';
    eksMock.on(ListClustersCommand).resolves({ clusters: ['c'] });
    eksMock.on(DescribeClusterCommand).resolves({
      cluster: {
        name: 'c',
        arn: arn('c'),
        status: 'FAILED',
        endpoint: 'https://abc.gr7.us-east-1.eks.amazonaws.com/',
        certificateAuthority: { data: Buffer.from(pem).toString('base64') },
        health: {
          issues: [
            { code: 'Ec2SubnetNotFound', message: 'subnet-1 does not exist' },
          ],
        },
      },
    });
    const [cluster] = (await provider().discover({})).clusters;
    expect(cluster.url).toBe('https://abc.gr7.us-east-1.eks.amazonaws.com');
    expect(cluster.caData).toBe(`${pem}\n`);
    expect(cluster.providerStateReason).toBe(
      'EKS status FAILED; Ec2SubnetNotFound: subnet-1 does not exist',
    );
  });

  it('skips a cluster deleted between ListClusters and DescribeCluster, and stays complete', async () => {
    eksMock.on(ListClustersCommand).resolves({ clusters: ['gone', 'here'] });
    eksMock.on(DescribeClusterCommand, { name: 'gone' }).rejects(
      new ResourceNotFoundException({
        message: 'No cluster found for name: gone.',
        $metadata: {},
      }),
    );
    eksMock.on(DescribeClusterCommand, { name: 'here' }).resolves({
      cluster: { name: 'here', arn: arn('here'), status: 'ACTIVE' },
    });
    const result = await provider().discover({});
    expect(result).toMatchObject({
      complete: true,
      clusters: [{ name: 'here' }],
    });
  });

  it('keeps the described clusters and fails the region when one DescribeCluster is denied', async () => {
    eksMock.on(ListClustersCommand).resolves({ clusters: ['secret', 'open'] });
    const denied = Object.assign(
      new Error('User is not authorized to perform: eks:DescribeCluster'),
      {
        name: 'AccessDeniedException',
      },
    );
    eksMock.on(DescribeClusterCommand, { name: 'secret' }).rejects(denied);
    eksMock.on(DescribeClusterCommand, { name: 'open' }).resolves({
      cluster: { name: 'open', arn: arn('open'), status: 'ACTIVE' },
    });
    const result = await provider().discover({});
    expect(result.complete).toBe(false);
    expect(result.clusters.map(c => c.name)).toEqual(['open']);
    expect(result.failedScopes).toEqual([
      {
        scope: 'us-east-1',
        error:
          'DescribeCluster failed for secret: AccessDeniedException: User is not authorized to perform: eks:DescribeCluster',
      },
    ]);
  });

  it('stops a listing whose nextToken never ends', async () => {
    eksMock
      .on(ListClustersCommand)
      .resolves({ clusters: [], nextToken: 'again' });
    const result = await provider().discover({});
    expect(result.failedScopes).toEqual([
      {
        scope: 'us-east-1',
        error: 'Error: ListClusters returned more than 1000 pages',
      },
    ]);
    expect(eksMock.commandCalls(ListClustersCommand)).toHaveLength(1000);
  });

  it('rejects when the round is aborted', async () => {
    eksMock.on(ListClustersCommand).resolves({ clusters: [] });
    await expect(
      provider().discover({ signal: AbortSignal.abort() }),
    ).rejects.toThrow();
  });
});
