/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { normaliseManifests } from '@archipelago/multicluster-node';
import type { Fitness, PlacedCluster, PlacementTarget } from './placement';
import { planWorkloadReplicas } from './replicas';

const manifests = normaliseManifests(
  [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2 },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
  ],
  'shop',
);

const target = (name: string, fitness: Fitness = 'fit'): PlacementTarget => ({
  cluster: { id: name, name, labels: {}, health: 'healthy' },
  fitness,
  placed: true,
});
const row = (name: string, web: number, failedOver = false): PlacedCluster => ({
  clusterId: name,
  clusterName: name,
  revision: 1,
  replicas: { 'shop/web': web },
  failedOver,
});

const plan = (
  targets: PlacementTarget[],
  placed: PlacedCluster[],
  rebalance = false,
  totalReplicas = 12,
) =>
  planWorkloadReplicas({
    manifests,
    namespace: 'shop',
    replicas: { totalReplicas, preferences: { '*': { weight: 1 } }, rebalance },
    targets,
    placed,
  }).plan;

describe('planWorkloadReplicas', () => {
  it('divides by weight over fit clusters', () => {
    expect(plan([target('a'), target('b'), target('c')], [])).toEqual({
      a: { 'shop/web': 4 },
      b: { 'shop/web': 4 },
      c: { 'shop/web': 4 },
    });
  });

  it('keeps a cluster in its grace period at its share: nothing moves yet', () => {
    const rows = [row('a', 4), row('b', 4), row('c', 4)];
    expect(
      plan([target('a'), target('b'), target('c', 'grace')], rows),
    ).toEqual({
      a: { 'shop/web': 4 },
      b: { 'shop/web': 4 },
      c: { 'shop/web': 4 },
    });
  });

  it('moves a failed-over cluster share to the others', () => {
    const rows = [row('a', 4), row('b', 4), row('c', 4)];
    expect(
      plan([target('a'), target('b'), target('c', 'failed-over')], rows),
    ).toEqual({
      a: { 'shop/web': 6 },
      b: { 'shop/web': 6 },
      c: { 'shop/web': 0 },
    });
  });

  it('never takes a live cluster replicas while another is failed over, even with rebalance', () => {
    const names = 'abcdefghij'.split('');
    const rows = names.map(n => row(n, 4));
    const targets = names.map(n =>
      target(n, n === 'c' ? 'failed-over' : 'fit'),
    );
    const planned = plan(targets, rows, true, 40);
    // Rebalanced from scratch, KubeFed's rounding up would give eight clusters 5 and one 0.
    for (const n of names.filter(x => x !== 'c'))
      expect(planned[n]['shop/web']).toBeGreaterThanOrEqual(4);
    expect(planned.c).toEqual({ 'shop/web': 0 });
    expect(
      Object.values(planned).reduce((sum, p) => sum + p['shop/web'], 0),
    ).toBe(40);
  });

  it('gives a recovered cluster its share back only with rebalance', () => {
    const rows = [row('a', 6), row('b', 6), row('c', 0, true)];
    const targets = [target('a'), target('b'), target('c')];
    expect(plan(targets, rows)).toEqual({
      a: { 'shop/web': 6 },
      b: { 'shop/web': 6 },
      c: { 'shop/web': 0 },
    });
    expect(plan(targets, rows, true)).toEqual({
      a: { 'shop/web': 4 },
      b: { 'shop/web': 4 },
      c: { 'shop/web': 4 },
    });
  });

  it('gives a joining cluster its share with rebalance, and keeps running replicas without', () => {
    const rows = [row('a', 4), row('b', 4), row('c', 4)];
    const targets = [target('a'), target('b'), target('c'), target('d')];
    expect(plan(targets, rows, true)).toEqual({
      a: { 'shop/web': 3 },
      b: { 'shop/web': 3 },
      c: { 'shop/web': 3 },
      d: { 'shop/web': 3 },
    });
    expect(plan(targets, rows)).toMatchObject({ d: { 'shop/web': 0 } });
  });

  it('waiting clusters get none; without replicas each cluster runs the manifest count', () => {
    expect(plan([target('a'), target('b', 'waiting')], [])).toEqual({
      a: { 'shop/web': 12 },
      b: { 'shop/web': 0 },
    });
    expect(
      planWorkloadReplicas({
        manifests,
        namespace: 'shop',
        targets: [target('a'), target('b')],
        placed: [],
      }).plan,
    ).toEqual({ a: { 'shop/web': 2 }, b: { 'shop/web': 2 } });
  });
});
