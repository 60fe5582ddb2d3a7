/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { startCluster } from './cluster';
import type { EmulatedCluster } from './clusterTypes';

describe('resizing the node pool of a running cluster', () => {
  let cluster: EmulatedCluster;
  afterEach(async () => cluster?.stop());

  it('adds nodes, gives every node the new capacity, and removes nodes past the count', async () => {
    cluster = await startCluster({
      name: 'grow',
      nodes: 1,
      nodeTemplate: { cpu: '4', memory: '16Gi' },
    });
    const nodes = () =>
      cluster.store
        .list('nodes')
        .map(n => [n.metadata.name, n.status.capacity.cpu])
        .sort();
    expect(nodes()).toEqual([['grow-node-1', '4']]);
    await cluster.resizeNodes({ nodes: 3, cpu: '8', memory: '32Gi' });
    expect(nodes()).toEqual([
      ['grow-node-1', '8'],
      ['grow-node-2', '8'],
      ['grow-node-3', '8'],
    ]);
    expect(
      cluster.store.get('nodes', 'grow-node-3')!.status.capacity.memory,
    ).toBe(`${32 * 1024 * 1024}Ki`);
    await cluster.resizeNodes({ nodes: 2 });
    expect(nodes().map(([n]) => n)).toEqual(['grow-node-1', 'grow-node-2']);
    await expect(cluster.resizeNodes({ nodes: -1 })).rejects.toThrow(
      'Invalid node pool: nodes: Number must be greater than or equal to 0',
    );
  });
});
