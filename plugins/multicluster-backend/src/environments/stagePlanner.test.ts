/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  deletableComponents,
  reverseStages,
  runnableComponents,
  topologicalStages,
} from './stagePlanner';
import { findReferences, resolveReferences } from './references';

const n = (key: string, ...dependsOn: string[]) => ({ key, dependsOn });

describe('topologicalStages', () => {
  it.each([
    ['independent components run together', [n('b'), n('a')], [['a', 'b']]],
    [
      'the network first, then its readers in parallel',
      [
        n('network'),
        n('kubernetes', 'network'),
        n('database', 'network'),
        n('objectStore'),
      ],
      [
        ['network', 'objectStore'],
        ['database', 'kubernetes'],
      ],
    ],
    ['a chain', [n('c', 'b'), n('b', 'a'), n('a')], [['a'], ['b'], ['c']]],
    [
      'a diamond',
      [n('d', 'b', 'c'), n('b', 'a'), n('c', 'a'), n('a')],
      [['a'], ['b', 'c'], ['d']],
    ],
    ['nothing', [], []],
  ])('%s', (_what, nodes, expected) => {
    expect(topologicalStages(nodes)).toEqual(expected);
  });

  it.each([
    [
      'a cycle',
      [n('a', 'b'), n('b', 'a'), n('c')],
      'components depend on each other in a cycle: a, b',
    ],
    ['a self loop', [n('a', 'a')], 'cycle: a'],
    [
      'an unknown dependency',
      [n('a', 'zz')],
      'component a depends on unknown component zz',
    ],
  ])('rejects %s', (_what, nodes, message) => {
    expect(() => topologicalStages(nodes)).toThrow(message);
  });

  it('reverses for teardown', () => {
    expect(
      reverseStages([
        n('network'),
        n('kubernetes', 'network'),
        n('objectStore'),
      ]),
    ).toEqual([['kubernetes'], ['network', 'objectStore']]);
  });
});

const c = (key: string, status: string, ...dependsOn: string[]) => ({
  key,
  status,
  dependsOn,
});

describe('runnableComponents', () => {
  it.each([
    [
      'roots start',
      [c('network', 'pending'), c('k8s', 'pending', 'network')],
      ['network'],
    ],
    [
      'readers start once the network is ready',
      [
        c('network', 'ready'),
        c('k8s', 'pending', 'network'),
        c('db', 'pending', 'network'),
      ],
      ['k8s', 'db'],
    ],
    [
      'an interrupted create is run again',
      [c('network', 'ready'), c('k8s', 'creating', 'network')],
      ['k8s'],
    ],
    [
      'nothing waits on a failed dependency',
      [c('network', 'failed'), c('k8s', 'pending', 'network')],
      [],
    ],
    [
      'ready components are done',
      [c('network', 'ready'), c('k8s', 'ready', 'network')],
      [],
    ],
    [
      'a healed (reset) component runs when its dependencies are ready',
      [
        c('network', 'ready'),
        c('db', 'pending', 'network'),
        c('k8s', 'ready', 'network'),
      ],
      ['db'],
    ],
  ])('%s', (_what, components, expected) => {
    expect(runnableComponents(components)).toEqual(expected);
  });
});

describe('deletableComponents', () => {
  it.each([
    [
      'leaves first',
      [
        c('network', 'ready'),
        c('k8s', 'ready', 'network'),
        c('bucket', 'ready'),
      ],
      ['k8s', 'bucket'],
    ],
    [
      'the network once its readers are gone',
      [c('network', 'ready'), c('k8s', 'deleted', 'network')],
      ['network'],
    ],
    [
      'never-created components are skipped and do not block',
      [c('network', 'ready'), c('k8s', 'pending', 'network')],
      ['network'],
    ],
    [
      'failed creates are cleaned up',
      [c('network', 'ready'), c('db', 'failed', 'network')],
      ['db'],
    ],
    [
      'a failed delete blocks what it depends on',
      [
        c('network', 'ready'),
        c('db', 'failed', 'network'),
        c('k8s', 'deleted', 'network'),
      ],
      ['db'],
    ],
    [
      'interrupted creates and deletes are deleted',
      [c('a', 'creating'), c('b', 'deleting')],
      ['a', 'b'],
    ],
    ['all gone', [c('a', 'deleted'), c('b', 'pending')], []],
  ])('%s', (_what, components, expected) => {
    expect(deletableComponents(components)).toEqual(expected);
  });
});

describe('references', () => {
  const scope = {
    environment: {
      name: 'demo',
      type: 'dev-small',
      cloud: 'local',
      owner: 'group:default/team-a',
    },
    components: {
      network: {
        network_id: 'net-1',
        subnet_ids: ['10.0.0.0/24', '10.0.1.0/24'],
        region: 'local',
      },
    },
  };

  it.each([
    [
      'keeps the type of a whole expression',
      '${{ components.network.subnet_ids }}',
      ['10.0.0.0/24', '10.0.1.0/24'],
    ],
    [
      'interpolates inside text',
      'net=${{ components.network.network_id }}',
      'net=net-1',
    ],
    [
      'joins lists inside text',
      'subnets: ${{components.network.subnet_ids}}',
      'subnets: 10.0.0.0/24,10.0.1.0/24',
    ],
    [
      'reads environment fields',
      '${{ environment.name }}-${{ environment.type }}',
      'demo-dev-small',
    ],
    [
      'walks objects and arrays',
      { tags: ['${{ environment.owner }}'], n: 3 },
      { tags: ['group:default/team-a'], n: 3 },
    ],
    ['leaves plain values alone', 'plain', 'plain'],
  ])('%s', (_what, value, expected) => {
    expect(resolveReferences(value, scope)).toEqual(expected);
  });

  it('finds references with their input paths', () => {
    expect(
      findReferences({
        a: '${{ components.network.network_id }}',
        b: { c: ['x', '${{ environment.cloud }}'] },
      }),
    ).toEqual([
      {
        path: 'a',
        reference: {
          type: 'component',
          component: 'network',
          capability: 'network_id',
        },
      },
      { path: 'b.c[1]', reference: { type: 'environment', field: 'cloud' } },
    ]);
  });

  it.each([
    [
      'an unknown form',
      { x: '${{ secrets.token }}' },
      'x: unsupported expression',
    ],
    [
      'an unknown environment field',
      { y: '${{ environment.password }}' },
      'y: unsupported expression',
    ],
  ])('rejects %s', (_what, inputs, message) => {
    expect(() => findReferences(inputs)).toThrow(message);
  });

  it('fails resolution on a component that is not ready', () => {
    expect(() =>
      resolveReferences('${{ components.database.host }}', scope),
    ).toThrow('component database is not ready');
  });
});
