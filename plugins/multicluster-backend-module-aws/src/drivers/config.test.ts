/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ConfigReader } from '@backstage/config';
import { readAwsDriversConfig } from './config';
import { createAwsComponentDrivers } from '.';
import { splitCidr } from './common';

const read = (aws: unknown) =>
  readAwsDriversConfig(
    new ConfigReader({ multicluster: { environments: { aws } } } as any),
  );

describe('AWS drivers config', () => {
  it('is optional: no key, no drivers', () => {
    expect(readAwsDriversConfig(new ConfigReader({}))).toBeUndefined();
    expect(createAwsComponentDrivers(new ConfigReader({}))).toEqual([]);
  });

  it('applies defaults', () => {
    expect(read({})).toEqual({ region: 'us-east-1', pollIntervalSeconds: 15 });
  });

  it.each([
    [
      { region: 'mars-1' },
      'multicluster.environments.aws.region: must be an AWS region code such as us-east-1',
    ],
    [
      { clusterRoleArn: 'admin' },
      'multicluster.environments.aws.clusterRoleArn: must be an IAM role ARN',
    ],
    [
      { endpoint: 'not a url' },
      'multicluster.environments.aws.endpoint: must be an http(s) URL',
    ],
    [
      { credentials: { accessKeyId: 'AKIA' } },
      'multicluster.environments.aws.credentials.secretAccessKey: Required',
    ],
  ])('rejects %j naming the key', (aws, message) => {
    expect(() => read(aws)).toThrow(message);
  });

  it('never echoes credential values in errors', () => {
    expect(() =>
      read({
        credentials: {
          accessKeyId: 'AKIAEXAMPLE',
          secretAccessKey: 'shh-very-secret',
          extra: 1,
        },
      }),
    ).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining('shh-very-secret'),
      }),
    );
  });

  it('creates the four drivers with their contracts', () => {
    const drivers = createAwsComponentDrivers(
      new ConfigReader({
        multicluster: { environments: { aws: { region: 'eu-west-1' } } },
      }),
    );
    expect(drivers.map(d => [d.id, d.kind, d.contracts ?? null])).toEqual([
      ['aws-vpc', 'network', { provides: 'aws/v1' }],
      ['aws-eks', 'kubernetes', { consumes: { network: ['aws/v1'] } }],
      ['aws-rds-postgres', 'database', { consumes: { network: ['aws/v1'] } }],
      ['aws-s3-bucket', 'objectStore', null],
    ]);
  });
});

describe('splitCidr', () => {
  it.each([
    ['10.20.0.0/16', 2, ['10.20.0.0/17', '10.20.128.0/17']],
    ['10.30.0.0/16', 3, ['10.30.0.0/18', '10.30.64.0/18', '10.30.128.0/18']],
    ['10.0.0.0/24', 1, ['10.0.0.0/24']],
  ])('%s into %i', (cidr, count, expected) => {
    expect(splitCidr(cidr, count)).toEqual(expected);
  });
});
