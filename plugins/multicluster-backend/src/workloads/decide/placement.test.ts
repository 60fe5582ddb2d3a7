/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ClusterHealth } from '@archipelago/multicluster-common';
import {
  decidePlacement,
  type InventoryCluster,
  type PlacedCluster,
} from './placement';

const cluster = (
  name: string,
  health: ClusterHealth = 'healthy',
  labels: Record<string, string> = { env: 'prod' },
): InventoryCluster => ({ id: `id-${name}`, name, labels, health });

const placed = (name: string, extra: Partial<PlacedCluster> = {}) => ({
  clusterId: `id-${name}`,
  clusterName: name,
  revision: 1,
  replicas: {},
  failedOver: false,
  ...extra,
});

const NOW = 1_000_000;

function decide(
  clusters: InventoryCluster[],
  rows: PlacedCluster[] = [],
  options: {
    inScope?: (c: InventoryCluster) => boolean;
    selector?: string;
  } = {},
) {
  return decidePlacement({
    placement: { clusterSelector: options.selector ?? 'env=prod' },
    clusters,
    inScope: options.inScope ?? (() => true),
    placed: rows,
    graceSeconds: 60,
    now: NOW,
  });
}

const fitness = (d: ReturnType<typeof decide>) =>
  Object.fromEntries(d.targets.map(t => [t.cluster.name, t.fitness]));

describe('decidePlacement', () => {
  it.each<
    [string, ClusterHealth, PlacedCluster | undefined, string | undefined]
  >([
    ['a healthy new cluster is fit', 'healthy', undefined, 'fit'],
    ['a degraded cluster is fit', 'degraded', placed('a'), 'fit'],
    ['a new cluster not yet probed waits', 'unknown', undefined, 'waiting'],
    ['a new unreachable cluster waits', 'unreachable', undefined, 'waiting'],
    [
      'a placed cluster that just went down is in grace',
      'unreachable',
      placed('a'),
      'grace',
    ],
    [
      'one down for less than the grace period is in grace',
      'unhealthy',
      placed('a', { unfitSince: NOW - 59_000 }),
      'grace',
    ],
    [
      'one down for the grace period fails over',
      'unreachable',
      placed('a', { unfitSince: NOW - 60_000 }),
      'failed-over',
    ],
    [
      'an unauthorized one fails over too',
      'unauthorized',
      placed('a', { unfitSince: NOW - 3_600_000 }),
      'failed-over',
    ],
  ])('%s', (_title, health, row, expected) => {
    const d = decide([cluster('a', health)], row ? [row] : []);
    expect(fitness(d)).toEqual({ a: expected });
  });

  it('starts the grace period now and names when it ends', () => {
    const d = decide(
      [cluster('a', 'unreachable'), cluster('b', 'unhealthy')],
      [placed('a'), placed('b', { unfitSince: NOW - 10_000 })],
    );
    expect(d.targets.map(t => t.unfitSince)).toEqual([NOW, NOW - 10_000]);
    expect(d.nextDeadline).toBe(NOW + 50_000);
  });

  it('removes clusters that stop matching, leave the scope or leave the inventory', () => {
    const d = decide(
      [cluster('a'), cluster('b', 'healthy', { env: 'dev' }), cluster('c')],
      [placed('a'), placed('b'), placed('c'), placed('gone')],
      { inScope: c => c.name !== 'c' },
    );
    expect(d.targets.map(t => t.cluster.name)).toEqual(['a']);
    expect(d.outOfScope).toEqual(['c']);
    expect(d.removed).toEqual([
      {
        clusterId: 'id-b',
        clusterName: 'b',
        inInventory: true,
        reason: 'the cluster no longer matches the placement',
      },
      {
        clusterId: 'id-c',
        clusterName: 'c',
        inInventory: true,
        reason:
          "the cluster is outside the deploy scope of the revision's writer",
      },
      {
        clusterId: 'id-gone',
        clusterName: 'gone',
        inInventory: false,
        reason: 'the cluster left the inventory',
      },
    ]);
  });

  it('reports excluded and unknown names, not selector mismatches', () => {
    const d = decidePlacement({
      placement: { clusterNames: ['a', 'b', 'x'], exclude: ['b'] },
      clusters: [cluster('a'), cluster('b'), cluster('c')],
      inScope: () => true,
      placed: [],
      graceSeconds: 60,
      now: NOW,
    });
    expect(d.targets.map(t => t.cluster.name)).toEqual(['a']);
    expect(d.excluded.map(e => [e.cluster, e.reason])).toEqual([
      ['b', 'in-exclude'],
      ['x', 'unknown-cluster'],
    ]);
  });
});
