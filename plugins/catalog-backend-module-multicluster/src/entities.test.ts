/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Cluster } from '@archipelago/multicluster-common';
import {
  clusterToEntity,
  sanitiseLabelKey,
  sanitiseLabelValue,
  sanitiseLabels,
} from './entities';

const cluster: Cluster = {
  id: 'prod-eu-1-3f9a2c1d',
  name: 'prod-eu-1',
  title: 'Production EU',
  url: 'https://api.prod-eu-1.example.com',
  cloud: 'aws',
  distribution: 'eks',
  region: 'eu-west-1',
  labels: {
    team: 'payments',
    'topology.kubernetes.io/region': 'eu-west-1',
    note: 'has spaces & symbols!',
    'bad key!': 'x',
  },
  sources: [
    {
      provider: 'aws-eks',
      sourceId: 'arn:aws:eks:eu-west-1:1:cluster/prod',
      lastSeenAt: '2026-01-01T00:00:00.000Z',
      stale: false,
    },
  ],
  status: {
    health: 'healthy',
    reason: 'API server ready',
    checks: [],
    stale: false,
  },
};
const options = {
  defaultOwner: 'group:default/platform',
  namespace: 'default',
  providerName: 'multicluster',
};

describe('clusterToEntity', () => {
  it('publishes a kubernetes-cluster Resource without credentials or status', () => {
    expect(clusterToEntity(cluster, options)).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'prod-eu-1-3f9a2c1d',
        namespace: 'default',
        title: 'Production EU (prod-eu-1)',
        description: 'eks cluster in aws eu-west-1 (aws-eks)',
        labels: {
          team: 'payments',
          'topology.kubernetes.io/region': 'eu-west-1',
          note: 'has-spaces-symbols',
        },
        annotations: {
          'kubernetes.io/api-server': 'https://api.prod-eu-1.example.com',
          'archipelago.dev/cluster-id': 'prod-eu-1-3f9a2c1d',
          'backstage.io/managed-by-location':
            'multicluster:cluster/prod-eu-1-3f9a2c1d',
          'backstage.io/managed-by-origin-location':
            'multicluster:cluster/prod-eu-1-3f9a2c1d',
        },
        tags: ['aws', 'eks'],
      },
      spec: { type: 'kubernetes-cluster', owner: 'group:default/payments' },
    });
  });

  it.each([
    [{ team: 'payments' }, undefined, 'group:default/payments'],
    [
      { team: 'payments', 'archipelago.dev/team-namespace': 'other' },
      undefined,
      'group:other/payments',
    ],
    [{ team: 'payments' }, 'group:default/team-a', 'group:default/team-a'],
    [{ owner: 'team-payments' }, undefined, 'team-payments'],
    [{}, undefined, 'group:default/platform'],
  ])(
    'owns a cluster labelled %j (environment owner %s) by %s',
    (labels, environmentOwner, owner) => {
      expect(
        clusterToEntity(
          { ...cluster, labels },
          { ...options, environmentOwner },
        ).spec?.owner,
      ).toBe(owner);
    },
  );

  it('reads the team from another label when configured', () => {
    expect(
      clusterToEntity(
        { ...cluster, labels: { squad: 'search', team: 'payments' } },
        { ...options, teamLabel: 'squad' },
      ).spec?.owner,
    ).toBe('group:default/search');
  });

  it('takes the owner from an owner label and sets the system when configured', () => {
    const entity = clusterToEntity(
      { ...cluster, labels: { owner: 'team-payments' } },
      { ...options, system: 'platform' },
    );
    expect(entity.spec).toEqual({
      type: 'kubernetes-cluster',
      owner: 'team-payments',
      system: 'platform',
    });
  });

  it.each([
    ['team', 'team'],
    ['topology.kubernetes.io/zone', 'topology.kubernetes.io/zone'],
    ['Bad_Prefix/x', undefined],
    ['a/b/c', undefined],
    ['-leading', undefined],
  ])('label key %s', (key, expected) => {
    expect(sanitiseLabelKey(key)).toBe(expected);
  });

  it.each([
    ['ok', 'ok'],
    ['  spaced out  ', 'spaced-out'],
    ['x'.repeat(80), 'x'.repeat(63)],
    ['---', undefined],
  ])('label value %p', (value, expected) => {
    expect(sanitiseLabelValue(value)).toBe(expected);
  });

  it('drops labels it cannot sanitise', () => {
    expect(sanitiseLabels({ 'bad key!': 'x', good: '!!!' })).toEqual({});
  });
});
