/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { planReplicas } from '@archipelago/multicluster-common';
import { parseDeployInput } from './input';
import { normaliseManifests } from './manifests';
import {
  checkOverrideTargets,
  chooseClusters,
  manifestsForCluster,
  planDeployment,
  replicasOf,
  type TargetCluster,
} from './deploymentPlanner';

const target = (
  name: string,
  labels: Record<string, string> = {},
  extra: Partial<TargetCluster> = {},
): TargetCluster => ({
  id: `id-${name}`,
  name,
  labels,
  health: 'healthy',
  ...extra,
});

const manifests = normaliseManifests(
  [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 3,
        template: { spec: { containers: [{ name: 'web', image: 'web:1' }] } },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {},
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'config' },
      data: { a: '1' },
    },
  ],
  'shop',
);

const overrides = (value: unknown) =>
  parseDeployInput({ manifests: 'x', placement: {}, overrides: value })
    .overrides;

describe('chooseClusters', () => {
  const inventory = [
    target('a', { env: 'prod' }),
    target('b', { env: 'prod' }, { health: 'unreachable' }),
    target('c', { env: 'dev' }),
    target('d', { env: 'prod' }, { health: 'unauthorized' }),
  ];

  it('reports the exclusions a person cares about, not the selector at work', () => {
    const { selected, excluded } = chooseClusters(
      { clusterSelector: 'env=prod' },
      inventory,
    );
    expect(selected.map(c => c.name)).toEqual(['a']);
    expect(excluded.map(s => [s.cluster, s.reason])).toEqual([
      ['b', 'unreachable'],
      ['d', 'unauthorized'],
    ]);
  });

  it('reports excluded and unknown clusters', () => {
    const { selected, excluded } = chooseClusters(
      { clusterNames: ['a', 'c', 'zz'], exclude: ['c'] },
      inventory,
    );
    expect(selected.map(c => c.name)).toEqual(['a']);
    expect(excluded.map(s => [s.cluster, s.reason])).toEqual([
      ['c', 'in-exclude'],
      ['zz', 'unknown-cluster'],
    ]);
  });

  it('refuses a placement that selects by nothing', () => {
    expect(() => chooseClusters({}, inventory)).toThrow(
      /placement needs clusterNames or a clusterSelector/,
    );
    expect(
      chooseClusters({ clusterSelector: '' }, inventory).selected.map(
        c => c.name,
      ),
    ).toEqual(['a', 'c']);
  });
});

describe('planDeployment', () => {
  const clusters = [
    target('eu-1', {}, { capacity: 100 }),
    target('eu-2'),
    target('us-1', {}, { capacity: 1 }),
  ];

  it('keeps the manifest replicas on every cluster without a replicas input', () => {
    expect(
      planDeployment({ manifests, namespace: 'shop', clusters }).plan,
    ).toEqual({
      'eu-1': { 'shop/db': 1, 'shop/web': 3 },
      'eu-2': { 'shop/db': 1, 'shop/web': 3 },
      'us-1': { 'shop/db': 1, 'shop/web': 3 },
    });
  });

  it('plans each workload with the KubeFed planner, its namespace/name as key, capacity as cap', () => {
    const replicas = {
      totalReplicas: 10,
      preferences: { '*': { weight: 1 }, 'eu-1': { weight: 2 } },
      rebalance: true,
    };
    const { plan, overflow } = planDeployment({
      manifests,
      namespace: 'shop',
      clusters,
      replicas,
    });
    for (const key of ['shop/web', 'shop/db']) {
      const expected = planReplicas({
        totalReplicas: 10,
        clusters: ['eu-1', 'eu-2', 'us-1'],
        preferences: replicas.preferences,
        rebalance: true,
        current: {},
        capacity: { 'eu-1': 100, 'us-1': 1 },
        key,
      });
      expect(
        Object.fromEntries(
          Object.entries(plan).map(([c, byKey]) => [c, byKey[key]]),
        ),
      ).toEqual(expected.plan);
      const expectedOverflow = Object.fromEntries(
        Object.entries(expected.overflow).filter(([, n]) => n > 0),
      );
      const gotOverflow = Object.fromEntries(
        Object.entries(overflow)
          .filter(([, byKey]) => byKey[key] !== undefined)
          .map(([c, byKey]) => [c, byKey[key]]),
      );
      expect(gotOverflow).toEqual(expectedOverflow);
    }
    expect(plan['us-1']['shop/web']).toBe(1);
    expect(
      Object.values(plan).reduce((n, byKey) => n + byKey['shop/web'], 0),
    ).toBe(10);
  });

  it('keeps running replicas in place unless rebalance', () => {
    const current = { 'eu-2': { 'shop/web': 6 } };
    const base = { totalReplicas: 6, preferences: { '*': { weight: 1 } } };
    const kept = planDeployment({
      manifests,
      namespace: 'shop',
      clusters,
      replicas: { ...base, rebalance: false },
      current,
    });
    expect(kept.plan['eu-2']['shop/web']).toBe(6);
    const spread = planDeployment({
      manifests,
      namespace: 'shop',
      clusters,
      replicas: { ...base, rebalance: true },
      current,
    });
    expect(spread.plan['eu-2']['shop/web']).toBeLessThan(6);
  });
});

describe('manifestsForCluster', () => {
  it('sets the planned replicas, then applies the cluster overrides (which may pin replicas)', () => {
    const ops = overrides([
      {
        clusterName: 'eu-1',
        kind: 'Deployment',
        patches: [
          {
            op: 'replace',
            path: '/spec/template/spec/containers/0/image',
            value: 'web:eu',
          },
        ],
      },
      {
        clusterName: 'eu-1',
        name: 'db',
        patches: [{ op: 'add', path: '/spec/replicas', value: 7 }],
      },
      {
        clusterName: 'us-1',
        kind: 'ConfigMap',
        patches: [{ op: 'add', path: '/data/b', value: '2' }],
      },
    ]);
    const out = manifestsForCluster({
      manifests,
      namespace: 'shop',
      clusterName: 'eu-1',
      replicas: { 'shop/web': 4, 'shop/db': 2 },
      overrides: ops,
    });
    const web = out.find(m => m.metadata.name === 'web')! as any;
    expect(web.spec.replicas).toBe(4);
    expect(web.spec.template.spec.containers[0].image).toBe('web:eu');
    expect(replicasOf(out, 'shop')).toEqual({ 'shop/web': 4, 'shop/db': 7 });
    expect(out.find(m => m.kind === 'ConfigMap')).toBe(
      manifests.find(m => m.kind === 'ConfigMap'),
    );
    // Inputs are never mutated.
    expect(
      (manifests.find(m => m.metadata.name === 'web') as any).spec.replicas,
    ).toBe(3);
  });

  it('names the cluster and object of an override that does not apply', () => {
    const ops = overrides([
      {
        clusterName: 'eu-1',
        kind: 'ConfigMap',
        patches: [{ op: 'replace', path: '/data/missing', value: 'x' }],
      },
    ]);
    expect(() =>
      manifestsForCluster({
        manifests,
        namespace: 'shop',
        clusterName: 'eu-1',
        replicas: {},
        overrides: ops,
      }),
    ).toThrow(
      /overrides for cluster eu-1 on ConfigMap shop\/config: Override operation 0 \(path "\/data\/missing"\)/,
    );
  });

  it('refuses an override that selects no object, and one that renames an object', () => {
    expect(() =>
      checkOverrideTargets(
        manifests,
        overrides([
          {
            clusterName: 'x',
            kind: 'Ingress',
            patches: [{ op: 'remove', path: '/spec' }],
          },
        ]),
      ),
    ).toThrow(/overrides\.0 \(kind Ingress\) matches no object/);
    const rename = overrides([
      {
        clusterName: 'eu-1',
        name: 'web',
        patches: [{ op: 'replace', path: '/metadata/name', value: 'other' }],
      },
    ]);
    expect(() =>
      manifestsForCluster({
        manifests,
        namespace: 'shop',
        clusterName: 'eu-1',
        replicas: {},
        overrides: rename,
      }),
    ).toThrow(/identifies the object/);
  });
});
