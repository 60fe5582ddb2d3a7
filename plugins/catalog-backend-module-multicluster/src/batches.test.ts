/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Entity } from '@backstage/catalog-model';
import { planBatches, recordBatch } from './batches';
import { planDelta, type KeyedEntity } from './delta';

const item = (key: string, title = key): KeyedEntity => ({
  locationKey: `multicluster:cluster/${key}`,
  entity: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: key, namespace: 'default', title },
    spec: { type: 'kubernetes-cluster', owner: 'group:default/platform' },
  } as Entity,
});
const published = (...keys: string[]) =>
  planDelta(
    new Map(),
    keys.map(k => item(k)),
  ).published;
/** A batch as `-x` for a removal of x and `x` for an addition of x. */
const show = (batches: ReturnType<typeof planBatches>['batches']) =>
  batches.map(b => [
    ...b.removed.map(r => `-${r.entityRef.split('/')[1]}`),
    ...b.added.map(a => a.entity.metadata.name),
  ]);

describe('planBatches', () => {
  it.each<{
    name: string;
    before: string[];
    after: KeyedEntity[];
    batchSize: number;
    maxNew?: number;
    batches: string[][];
    deferred: number;
  }>([
    {
      name: 'a first round in batches of the given size',
      before: [],
      after: ['a', 'b', 'c', 'd', 'e'].map(k => item(k)),
      batchSize: 2,
      batches: [['a', 'b'], ['c', 'd'], ['e']],
      deferred: 0,
    },
    {
      name: 'no batch when nothing changed',
      before: ['a', 'b'],
      after: [item('a'), item('b')],
      batchSize: 2,
      batches: [],
      deferred: 0,
    },
    {
      name: 'removals, then changes, then new entities',
      before: ['a', 'b', 'c'],
      after: [item('x'), item('y'), item('b', 'B!'), item('c')],
      batchSize: 2,
      batches: [
        ['-a', 'b'],
        ['x', 'y'],
      ],
      deferred: 0,
    },
    {
      name: 'at most maxNew new entities; changes are never held back',
      before: ['a'],
      after: [item('x'), item('y'), item('z'), item('a', 'A!')],
      batchSize: 10,
      maxNew: 2,
      batches: [['a', 'x', 'y']],
      deferred: 1,
    },
    {
      name: 'a renamed entity: its old ref goes before its new one',
      before: ['a'],
      after: [{ ...item('a2'), locationKey: 'multicluster:cluster/a' }],
      batchSize: 1,
      batches: [['-a'], ['a2']],
      deferred: 0,
    },
  ])('$name', ({ before, after, batchSize, maxNew, batches, deferred }) => {
    const previous = published(...before);
    const plan = planBatches(planDelta(previous, after), previous, {
      batchSize,
      maxNew,
    });
    expect(show(plan.batches)).toEqual(batches);
    expect(plan.deferred).toBe(deferred);
  });
});

describe('recordBatch', () => {
  it('records only applied batches, so the next round resumes after them', () => {
    const previous = published('a', 'b');
    const next = [item('b', 'B!'), item('c'), item('d')];
    const delta = planDelta(previous, next);
    const { batches } = planBatches(delta, previous, { batchSize: 2 });
    expect(show(batches)).toEqual([
      ['-a', 'b'],
      ['c', 'd'],
    ]);
    const afterFirst = recordBatch(previous, batches[0], delta.published);
    expect([...afterFirst.keys()]).toEqual(['multicluster:cluster/b']);
    // The second batch failed: the next round plans just c and d again.
    const again = planDelta(afterFirst, next);
    expect(again.added.map(a => a.entity.metadata.name)).toEqual(['c', 'd']);
    expect(again.removed).toEqual([]);
    const afterBoth = recordBatch(afterFirst, batches[1], delta.published);
    expect(afterBoth).toEqual(delta.published);
  });

  it('keeps a renamed key when its removal comes after its addition was recorded', () => {
    const previous = published('a');
    const renamed = { ...item('a2'), locationKey: 'multicluster:cluster/a' };
    const delta = planDelta(previous, [renamed]);
    const added = recordBatch(
      previous,
      { added: delta.added, removed: [] },
      delta.published,
    );
    const both = recordBatch(
      added,
      { added: [], removed: delta.removed },
      delta.published,
    );
    expect(both.get('multicluster:cluster/a')?.entityRef).toBe(
      'resource:default/a2',
    );
  });
});
