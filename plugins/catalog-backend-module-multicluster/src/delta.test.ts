/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Entity } from '@backstage/catalog-model';
import { planDelta, type PublishedEntities } from './delta';

const item = (key: string, name: string, title = name) => ({
  locationKey: `multicluster:cluster/${key}`,
  entity: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default', title },
    spec: { type: 'kubernetes-cluster', owner: 'group:default/platform' },
  } as Entity,
});
const publish = (...items: ReturnType<typeof item>[]): PublishedEntities =>
  planDelta(new Map(), items).published;

describe('planDelta', () => {
  it.each<{
    name: string;
    before: ReturnType<typeof item>[];
    after: ReturnType<typeof item>[];
    added: string[];
    removed: string[];
  }>([
    {
      name: 'everything is added the first time',
      before: [],
      after: [item('a', 'a'), item('b', 'b')],
      added: ['a', 'b'],
      removed: [],
    },
    {
      name: 'nothing when nothing changed',
      before: [item('a', 'a'), item('b', 'b')],
      after: [item('a', 'a'), item('b', 'b')],
      added: [],
      removed: [],
    },
    {
      name: 'a changed entity is added again, the others are not',
      before: [item('a', 'a'), item('b', 'b')],
      after: [item('a', 'a', 'A!'), item('b', 'b')],
      added: ['a'],
      removed: [],
    },
    {
      name: 'a gone entity is removed by its ref',
      before: [item('a', 'a'), item('b', 'b')],
      after: [item('b', 'b')],
      added: [],
      removed: ['resource:default/a'],
    },
    {
      name: 'an entity renamed under the same location key: new one added, old one removed',
      before: [item('a', 'a')],
      after: [item('a', 'a2')],
      added: ['a2'],
      removed: ['resource:default/a'],
    },
    {
      name: 'everything is removed when the inventory is emptied',
      before: [item('a', 'a'), item('b', 'b')],
      after: [],
      added: [],
      removed: ['resource:default/a', 'resource:default/b'],
    },
  ])('$name', ({ before, after, added, removed }) => {
    const delta = planDelta(publish(...before), after);
    expect(delta.added.map(a => a.entity.metadata.name)).toEqual(added);
    expect(delta.removed.map(r => r.entityRef)).toEqual(removed);
    expect([...delta.published.keys()]).toEqual(after.map(a => a.locationKey));
  });
});
