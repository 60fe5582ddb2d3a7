/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { parseEksClusterArn } from './arn';
import { eksProviderState, eksProviderStateReason } from './state';

describe('eksProviderState', () => {
  it.each([
    ['CREATING', 'provisioning'],
    ['PENDING', 'provisioning'],
    ['ACTIVE', 'active'],
    ['UPDATING', 'updating'],
    ['DELETING', 'deleting'],
    ['FAILED', 'failed'],
    ['SOMETHING_NEW', 'unknown'],
    [undefined, 'unknown'],
  ])('%s → %s', (status, state) => {
    expect(eksProviderState(status)).toBe(state);
  });

  it('describes status, versions and health issues', () => {
    expect(
      eksProviderStateReason({
        status: 'ACTIVE',
        version: '1.30',
        platformVersion: 'eks.7',
      }),
    ).toBe('EKS status ACTIVE, Kubernetes 1.30, platform eks.7');
    expect(eksProviderStateReason({})).toBe('EKS status unknown');
  });
});

describe('parseEksClusterArn', () => {
  it.each([
    [
      'arn:aws:eks:us-east-1:123456789012:cluster/prod',
      {
        partition: 'aws',
        region: 'us-east-1',
        accountId: '123456789012',
        name: 'prod',
      },
    ],
    [
      'arn:aws-cn:eks:cn-north-1:123456789012:cluster/a-b',
      {
        partition: 'aws-cn',
        region: 'cn-north-1',
        accountId: '123456789012',
        name: 'a-b',
      },
    ],
    [
      'arn:aws-us-gov:eks:us-gov-west-1:123456789012:cluster/x',
      {
        partition: 'aws-us-gov',
        region: 'us-gov-west-1',
        accountId: '123456789012',
        name: 'x',
      },
    ],
    ['arn:aws:eks:us-east-1:123456789012:nodegroup/prod/ng/1', undefined],
    ['arn:aws:iam::123456789012:role/x', undefined],
    ['prod', undefined],
  ])('%s', (arn, expected) => {
    expect(parseEksClusterArn(arn)).toEqual(expected);
  });
});
