/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  Cluster,
  ClusterHealth,
  Workload,
} from '@archipelago/multicluster-common';
import {
  chooseEntityClusters,
  DEFAULT_LOCATOR_HEALTHS,
} from './chooseEntityClusters';
import type { VisibleCluster } from './MulticlusterClusterSupplier';

const related = (id: string, health: ClusterHealth = 'healthy') =>
  ({ id, name: id, status: { health } } as unknown as Cluster);
const placedOn = (...ids: string[]) =>
  ({
    name: 'w',
    status: { clusters: ids.map(cluster => ({ cluster })) },
  } as unknown as Workload);
const inventory = (id: string, health?: ClusterHealth): VisibleCluster => ({
  id,
  health,
  details: { name: `${id}-name`, url: `https://${id}`, authMetadata: {} },
});
const configured = (name: string): VisibleCluster => ({
  details: { name, url: `https://${name}.configured`, authMetadata: {} },
});

const visible = [
  inventory('a', 'healthy'),
  inventory('b', 'degraded'),
  inventory('c', 'unreachable'),
  inventory('d', 'healthy'),
  inventory('e', 'unknown'),
  configured('ops'),
  configured('other'),
];

describe('chooseEntityClusters', () => {
  it.each<{
    name: string;
    clusters?: Cluster[];
    workloads?: Workload[];
    names?: string[];
    healths?: readonly ClusterHealth[];
    want: string[];
    leftOut?: string[];
  }>([
    { name: 'an entity that names nothing gets no cluster', want: [] },
    {
      name: 'clusters the entity relates to (selector, environment, names)',
      clusters: [related('a'), related('d')],
      want: ['a-name', 'd-name'],
    },
    {
      name: 'the clusters its workloads are placed on',
      workloads: [placedOn('b', 'd'), placedOn('d')],
      want: ['b-name', 'd-name'],
    },
    {
      name: 'related and placed clusters together, each once',
      clusters: [related('a')],
      workloads: [placedOn('a', 'd')],
      want: ['a-name', 'd-name'],
    },
    {
      name: 'unreachable and unknown clusters are left out by default',
      clusters: [related('a'), related('c', 'unreachable')],
      workloads: [placedOn('e')],
      want: ['a-name'],
      leftOut: ['c', 'e'],
    },
    {
      name: "the relations' fresh health wins over the supplier's cached one",
      clusters: [related('a', 'unreachable'), related('c', 'healthy')],
      want: ['c-name'],
      leftOut: ['a'],
    },
    {
      name: 'configured healths widen the choice',
      clusters: [related('c', 'unreachable')],
      workloads: [placedOn('e')],
      healths: ['healthy', 'unreachable', 'unknown'],
      want: ['c-name', 'e-name'],
    },
    {
      name: 'healthy only, when configured so: degraded is left out',
      workloads: [placedOn('a', 'b')],
      healths: ['healthy'],
      want: ['a-name'],
      leftOut: ['b'],
    },
    {
      name: 'clusters the caller may not see are never handed over',
      clusters: [related('hidden')],
      workloads: [placedOn('also-hidden')],
      want: [],
      leftOut: ['hidden', 'also-hidden'],
    },
    {
      name: 'backstage.io/kubernetes-cluster names configured clusters too',
      names: ['ops', 'missing'],
      clusters: [related('a')],
      want: ['a-name', 'ops'],
    },
    {
      name: 'a name equal to an inventory cluster is not counted twice',
      names: ['a-name'],
      clusters: [related('a')],
      want: ['a-name'],
    },
  ])('$name', ({ clusters, workloads, names, healths, want, leftOut }) => {
    const result = chooseEntityClusters({
      relations: { clusters: clusters ?? [], workloads },
      kubernetesClusterNames: names ?? [],
      visible,
      healths: healths ?? DEFAULT_LOCATOR_HEALTHS,
    });
    expect(result.clusters.map(c => c.name)).toEqual(want);
    expect(result.leftOut.map(l => l.cluster)).toEqual(leftOut ?? []);
  });

  it('hands over the supplied details unchanged', () => {
    const { clusters } = chooseEntityClusters({
      relations: { clusters: [related('a')] },
      kubernetesClusterNames: [],
      visible,
      healths: DEFAULT_LOCATOR_HEALTHS,
    });
    expect(clusters).toEqual([visible[0].details]);
  });
});
