/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ConfigReader } from '@backstage/config';
import { readAwsConfig } from './config';

const read = (aws: unknown) =>
  readAwsConfig(
    new ConfigReader({ multicluster: { providers: { aws } } } as any),
  );

describe('readAwsConfig', () => {
  it('returns no accounts without config', () => {
    expect(readAwsConfig(new ConfigReader({}))).toEqual([]);
  });

  it('normalises regions, endpoints and defaults', () => {
    expect(
      read({
        prod: {
          regions: [
            'us-east-1',
            {
              name: 'eu-west-1',
              endpoints: {
                eks: 'https://vpce-1.eks.eu-west-1.vpce.amazonaws.com',
              },
            },
          ],
          roleArn: 'arn:aws:iam::123456789012:role/archipelago',
          externalId: 'ext-123',
          endpoints: { sts: 'https://sts.{region}.amazonaws.com' },
          labels: { env: 'prod' },
        },
      }),
    ).toEqual([
      {
        id: 'prod',
        regions: [
          {
            name: 'us-east-1',
            eksEndpoint: undefined,
            stsEndpoint: 'https://sts.{region}.amazonaws.com',
          },
          {
            name: 'eu-west-1',
            eksEndpoint: 'https://vpce-1.eks.eu-west-1.vpce.amazonaws.com',
            stsEndpoint: 'https://sts.{region}.amazonaws.com',
          },
        ],
        roleArn: 'arn:aws:iam::123456789012:role/archipelago',
        externalId: 'ext-123',
        roleSessionName: 'archipelago-multicluster',
        staticCredentials: undefined,
        stsRegion: 'us-east-1',
        stsEndpoint: 'https://sts.{region}.amazonaws.com',
        maxAttempts: 5,
        labels: { env: 'prod' },
        clusterRoles: {},
      },
    ]);
  });

  it.each([
    [
      { prod: { regions: [] } },
      'multicluster.providers.aws.prod.regions: list at least one region',
    ],
    [
      { prod: { regions: ['useast1'] } },
      'multicluster.providers.aws.prod.regions[0].name: must be an AWS region code such as us-east-1',
    ],
    [
      { prod: { regions: ['us-east-1', 'us-east-1'] } },
      'multicluster.providers.aws.prod.regions[1]: region us-east-1 is listed twice',
    ],
    [
      { prod: { regions: ['us-east-1'], roleArn: 'arn:aws:iam::1:user/bob' } },
      'multicluster.providers.aws.prod.roleArn: must be an IAM role ARN',
    ],
    [
      {
        prod: {
          regions: ['us-east-1'],
          clusterRoles: { view: { roleArn: 'arn:aws:iam::1:user/bob' } },
        },
      },
      'multicluster.providers.aws.prod.clusterRoles.view.roleArn: must be an IAM role ARN',
    ],
    [
      {
        prod: {
          regions: ['us-east-1'],
          clusterRoles: { admin: { roleArn: 'x' } },
        },
      },
      "multicluster.providers.aws.prod.clusterRoles: unknown key(s) 'admin'",
    ],
    [
      { prod: { regions: ['us-east-1'], externalId: 'abc' } },
      'multicluster.providers.aws.prod.externalId: is only used with roleArn',
    ],
    [
      { prod: { regions: ['us-east-1'], accessKeyId: 'AKIAIOSFODNN7EXAMPLE' } },
      'multicluster.providers.aws.prod.secretAccessKey: accessKeyId and secretAccessKey go together',
    ],
    [
      { prod: { regions: ['us-east-1'], endpoints: { eks: 'ftp://x' } } },
      'multicluster.providers.aws.prod.endpoints.eks: must be an http(s) URL',
    ],
    [
      { prod: { regions: ['us-east-1'], maxAttempts: 0 } },
      'multicluster.providers.aws.prod.maxAttempts',
    ],
    [
      { prod: { regions: ['us-east-1'], regoins: [] } },
      "multicluster.providers.aws.prod: unknown key(s) 'regoins'",
    ],
    [
      { prod: { regions: ['us-east-1'], labels: { 'bad key': 'x' } } },
      'multicluster.providers.aws.prod.labels.bad key: keys must be valid Kubernetes label keys',
    ],
    [
      { Prod: { regions: ['us-east-1'] } },
      'multicluster.providers.aws.Prod: provider keys must be lowercase',
    ],
  ])('rejects %j naming the key', (aws, message) => {
    expect(() => read(aws)).toThrow(message);
  });

  it('never echoes secret values in errors', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    let message = '';
    try {
      read({
        prod: {
          regions: ['us-east-1'],
          secretAccessKey: secret,
          externalId: `${secret}!!`,
        },
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('multicluster.providers.aws.prod.externalId');
    expect(message).toContain('multicluster.providers.aws.prod.accessKeyId');
    expect(message).not.toContain(secret);
  });
});
