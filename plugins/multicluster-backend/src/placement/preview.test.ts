/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type Cluster,
  type ClusterHealth,
  planReplicas,
} from '@archipelago/multicluster-common';
import { replicaCapacity } from '@archipelago/multicluster-common';
import { previewPlacement } from './preview';

const cluster = (
  name: string,
  labels: Record<string, string>,
  health: ClusterHealth = 'healthy',
  pods?: number,
): Cluster => ({
  id: `id-${name}`,
  name,
  title: name,
  url: `https://${name}.example.com`,
  cloud: 'aws',
  distribution: 'eks',
  labels,
  sources: [],
  status: {
    health,
    reason: '',
    checks: [],
    stale: false,
    ...(pods !== undefined
      ? { allocatable: { cpu: 4, memoryBytes: 1, pods } }
      : {}),
  },
});

const fleet = [
  cluster('eu-1', { cloud: 'aws', region: 'eu' }),
  cluster('eu-2', { cloud: 'gcp', region: 'eu' }),
  cluster('us-1', { cloud: 'aws', region: 'us' }),
  cluster('us-2', { cloud: 'aws', region: 'us' }, 'unreachable'),
  cluster('ap-1', { cloud: 'azure', region: 'ap' }, 'unauthorized'),
  cluster('small', { cloud: 'aws', region: 'eu' }, 'degraded', 2),
];

describe('replicaCapacity', () => {
  it.each([
    [undefined, undefined],
    [0, 0],
    [110, 110],
    [12.7, 12],
    [-1, undefined],
    [Number.NaN, undefined],
  ])('allocatable pods %p → %p', (pods, expected) => {
    const status = {
      health: 'healthy',
      reason: '',
      checks: [],
      stale: false,
    } as Cluster['status'];
    if (pods !== undefined)
      status.allocatable = { cpu: 1, memoryBytes: 1, pods };
    expect(replicaCapacity({ status })).toBe(expected);
  });
});

describe('previewPlacement', () => {
  it.each<
    [
      string,
      Parameters<typeof previewPlacement>[0],
      string[],
      Array<[string, string]>,
    ]
  >([
    [
      'a selector, with unusable health left out',
      { placement: { clusterSelector: 'cloud=aws' } },
      ['eu-1', 'us-1', 'small'],
      [
        ['eu-2', 'selector-mismatch'],
        ['us-2', 'unreachable'],
        ['ap-1', 'selector-mismatch'],
      ],
    ],
    [
      'includeUnreachable keeps unreachable and unauthorized clusters',
      { placement: { clusterSelector: {}, includeUnreachable: true } },
      ['eu-1', 'eu-2', 'us-1', 'us-2', 'ap-1', 'small'],
      [],
    ],
    [
      'exclude wins over the selector',
      { placement: { clusterSelector: 'region=eu', exclude: ['eu-2'] } },
      ['eu-1', 'small'],
      [
        ['eu-2', 'in-exclude'],
        ['us-1', 'selector-mismatch'],
        ['us-2', 'selector-mismatch'],
        ['ap-1', 'selector-mismatch'],
      ],
    ],
    [
      'clusterNames win over the selector and name unknown clusters',
      {
        placement: {
          clusterNames: ['us-1', 'ap-1', 'nowhere'],
          clusterSelector: 'region=eu',
        },
      },
      ['us-1'],
      [
        ['eu-1', 'not-in-clusterNames'],
        ['eu-2', 'not-in-clusterNames'],
        ['us-2', 'not-in-clusterNames'],
        ['ap-1', 'unauthorized'],
        ['small', 'not-in-clusterNames'],
        ['nowhere', 'unknown-cluster'],
      ],
    ],
    [
      'neither names nor selector selects nothing',
      { placement: {} },
      [],
      fleet.map(c => [c.name, 'no-placement'] as [string, string]),
    ],
  ])('%s', (_title, request, chosen, excluded) => {
    const answer = previewPlacement(request, fleet);
    expect(answer.clusters).toEqual(
      chosen.map(name => ({ name, id: `id-${name}` })),
    );
    expect(answer.excluded.map(e => [e.cluster, e.reason])).toEqual(excluded);
    for (const e of answer.excluded) {
      // Every message is a sentence; all but no-placement name the cluster.
      expect(e.message).toMatch(
        e.reason === 'no-placement'
          ? /neither clusterNames nor clusterSelector/
          : e.cluster,
      );
    }
    expect(answer.overflow).toEqual({});
  });

  it('plans replicas with the KubeFed planner over the chosen clusters, capped by allocatable pods', () => {
    const answer = previewPlacement(
      {
        placement: { clusterSelector: 'cloud=aws' },
        replicas: {
          totalReplicas: 12,
          preferences: { '*': { weight: 1 }, small: { weight: 4 } },
          rebalance: true,
        },
      },
      fleet,
    );
    // small would get 8 of 12 by weight but holds 2 pods; the rest spills over.
    expect(answer.clusters).toEqual([
      { name: 'eu-1', id: 'id-eu-1', replicas: 5 },
      { name: 'us-1', id: 'id-us-1', replicas: 5 },
      { name: 'small', id: 'id-small', replicas: 2 },
    ]);
    expect(answer.overflow).toEqual({ small: 6 });
    expect(answer.clusters.reduce((n, c) => n + (c.replicas ?? 0), 0)).toBe(12);
  });

  it('uses the key as tie-break, like the deploy action', () => {
    const clusters = Array.from({ length: 7 }, (_, i) =>
      cluster(`c-${i}`, { all: 'yes' }),
    );
    const names = clusters.map(c => c.name);
    for (const key of ['shop/web', 'shop/api', undefined]) {
      const answer = previewPlacement(
        {
          placement: { clusterSelector: 'all' },
          replicas: {
            totalReplicas: 10,
            preferences: { '*': { weight: 1 } },
            key,
          },
        },
        clusters,
      );
      const expected = planReplicas({
        totalReplicas: 10,
        clusters: names,
        preferences: { '*': { weight: 1 } },
        capacity: {},
        key,
      });
      expect(
        Object.fromEntries(answer.clusters.map(c => [c.name, c.replicas])),
      ).toEqual(expected.plan);
    }
    const a = previewPlacement(
      {
        placement: { clusterSelector: 'all' },
        replicas: {
          totalReplicas: 10,
          preferences: { '*': { weight: 1 } },
          key: 'shop/web',
        },
      },
      clusters,
    );
    const b = previewPlacement(
      {
        placement: { clusterSelector: 'all' },
        replicas: {
          totalReplicas: 10,
          preferences: { '*': { weight: 1 } },
          key: 'x/y',
        },
      },
      clusters,
    );
    // 10 over 7 leaves 3 ties to break: different keys pick different clusters.
    expect(a.clusters.map(c => c.replicas)).not.toEqual(
      b.clusters.map(c => c.replicas),
    );
  });

  it('gives every chosen cluster an entry, 0 when the plan leaves it out', () => {
    const answer = previewPlacement(
      {
        placement: { clusterNames: ['eu-1', 'us-1'] },
        replicas: { totalReplicas: 3, preferences: { 'eu-1': { weight: 1 } } },
      },
      fleet,
    );
    expect(answer.clusters).toEqual([
      { name: 'eu-1', id: 'id-eu-1', replicas: 3 },
      { name: 'us-1', id: 'id-us-1', replicas: 0 },
    ]);
  });
});
