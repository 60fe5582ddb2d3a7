/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ComponentKind } from '@archipelago/multicluster-common';
import type { PlannedComponent } from '../stagePlanner';
import {
  type CurrentComponent,
  type DriverTraits,
  planComponentChanges,
} from './changePlanner';

const NET = '${{ components.network.network_id }}';
const SUBNETS = '${{ components.network.subnet_ids }}';

const traits: Record<string, DriverTraits> = {
  'local-network': {
    canUpdate: true,
    updates: {
      inPlace: { prefixLength: ['subnet_ids'], subnets: ['subnet_ids'] },
      immutable: ['region'],
    },
  },
  'emulator-cluster': {
    canUpdate: true,
    updates: {
      inPlace: { nodes: [], nodeCpu: [], nodeMemory: [], version: ['version'] },
    },
  },
  'postgres-database': { canUpdate: false },
  's3-bucket': {
    canUpdate: true,
    updates: { inPlace: { versioning: [] } },
    validateUpdate: ({ previous, next }) => {
      if (previous.versioning === true && next.versioning === false)
        throw new Error('versioning: can be enabled, never disabled again');
    },
  },
  rds: { canUpdate: false },
};

function component(
  key: string,
  kind: ComponentKind,
  driver: string,
  template: string,
  inputs: Record<string, unknown>,
  dependsOn: string[] = [],
): PlannedComponent & CurrentComponent {
  return {
    key,
    kind,
    driver,
    template,
    inputs,
    dependsOn,
    capabilities: {},
  };
}

const small = [
  component('network', 'network', 'local-network', 'local-network-small', {
    prefixLength: 20,
    subnets: 1,
  }),
  component('objectStore', 'objectStore', 's3-bucket', 'local-bucket', {
    versioning: false,
  }),
  component('database', 'database', 'postgres-database', 'postgres-shared', {
    server: 'shared',
  }),
  component(
    'kubernetes',
    'kubernetes',
    'emulator-cluster',
    'emulated-cluster-small',
    { nodes: 1, version: 'v1.31.4', network: NET },
    ['network'],
  ),
];

const large = [
  component('network', 'network', 'local-network', 'local-network-large', {
    prefixLength: 16,
    subnets: 3,
  }),
  small[1],
  component('database', 'database', 'postgres-database', 'postgres-dedicated', {
    server: 'dedicated',
  }),
  component(
    'kubernetes',
    'kubernetes',
    'emulator-cluster',
    'emulated-cluster-large',
    {
      nodes: 3,
      nodeCpu: '8',
      nodeMemory: '32Gi',
      version: 'v1.31.4',
      network: NET,
    },
    ['network'],
  ),
];

const plan = (
  current: CurrentComponent[],
  target: PlannedComponent[],
  recreate?: Map<string, string>,
) =>
  planComponentChanges({
    current,
    target,
    driver: id => traits[id],
    recreate,
  });

const actions = (p: ReturnType<typeof plan>) =>
  Object.fromEntries(p.components.map(c => [c.key, c.action]));

describe('planComponentChanges', () => {
  it('dev-small → dev-large: the network and cluster change in place, the database is replaced', () => {
    const p = plan(small, large);
    expect(p.problems).toEqual([]);
    expect(actions(p)).toEqual({
      network: 'update',
      objectStore: 'unchanged',
      database: 'replace',
      kubernetes: 'update',
    });
    const cluster = p.components.find(c => c.key === 'kubernetes')!;
    expect(cluster.inputs).toEqual([
      { name: 'nodeCpu', to: '8', how: 'in-place' },
      { name: 'nodeMemory', to: '32Gi', how: 'in-place' },
      { name: 'nodes', from: 1, to: 3, how: 'in-place' },
    ]);
    expect(cluster.fromTemplate).toBe('emulated-cluster-small');
    const database = p.components.find(c => c.key === 'database')!;
    expect(database.reasons).toEqual([
      'postgres-database cannot change server in place',
    ]);
    expect(database.capabilities.map(c => [c.name, c.secret])).toEqual([
      ['host', false],
      ['port', false],
      ['database', false],
      ['master_username', false],
      ['master_password', true],
    ]);
    const network = p.components.find(c => c.key === 'network')!;
    expect(network.capabilities.map(c => c.name)).toEqual(['subnet_ids']);
    // The cluster reads network_id only, which an in-place change keeps.
    expect(cluster.inputs.some(i => i.how === 'dependency')).toBe(false);
    expect(p.stages).toEqual([['database', 'network'], ['kubernetes']]);
  });

  it('changes nothing for the same plan', () => {
    const p = plan(small, small);
    expect(new Set(Object.values(actions(p)))).toEqual(new Set(['unchanged']));
    expect(p.stages).toEqual([]);
  });

  it.each([
    [
      'in place when the dependant can change the input in place',
      { nodes: [], network: [] },
      'update',
    ],
    ['replaced when it cannot', { nodes: [] }, 'replace'],
  ])(
    'a replaced dependency makes a reading component change: %s',
    (_what, inPlace, expected) => {
      const t: Record<string, DriverTraits> = {
        ...traits,
        'local-network': { canUpdate: false },
        'emulator-cluster': { canUpdate: true, updates: { inPlace } },
      };
      const target = [
        component('network', 'network', 'local-network', 'other-net', {
          prefixLength: 16,
        }),
        small[3],
      ];
      const p = planComponentChanges({
        current: [small[0], small[3]],
        target,
        driver: id => t[id],
      });
      expect(actions(p)).toEqual({
        network: 'replace',
        kubernetes: expected,
      });
      expect(p.components[1].inputs).toEqual([
        { name: 'network', from: NET, how: 'dependency' },
      ]);
      expect(p.stages).toEqual([['network'], ['kubernetes']]);
    },
  );

  it('refuses an immutable input and a change validateUpdate rejects, naming the field', () => {
    const target = [
      component('network', 'network', 'local-network', 'local-network-small', {
        prefixLength: 20,
        subnets: 1,
        region: 'elsewhere',
      }),
      component('objectStore', 'objectStore', 's3-bucket', 'local-bucket', {
        versioning: false,
      }),
    ];
    const versioned = component(
      'objectStore',
      'objectStore',
      's3-bucket',
      'local-bucket',
      { versioning: true },
    );
    const p = plan([small[0], versioned], target);
    expect(p.problems).toEqual([
      'inputs.network.region: local-network cannot change region of an existing network (from unset to "elsewhere"); destroy and create the environment again, or promote it to a new one',
      'inputs.objectStore: versioning: can be enabled, never disabled again',
    ]);
  });

  it('creates components the target adds and deletes those it drops', () => {
    const p = plan(small.slice(0, 2), [small[0], small[2]]);
    expect(actions(p)).toEqual({
      network: 'unchanged',
      database: 'create',
      objectStore: 'delete',
    });
    expect(p.stages).toEqual([['database']]);
  });

  it('heal recreates drifted components and changes what reads them', () => {
    const reader = component(
      'database',
      'database',
      'rds',
      'rds',
      { subnets: SUBNETS },
      ['network'],
    );
    const p = plan(
      [small[0], reader],
      [small[0], reader],
      new Map([['network', 'drifted: the address block was released']]),
    );
    expect(actions(p)).toEqual({ network: 'recreate', database: 'replace' });
    expect(p.components[0].reasons).toEqual([
      'drifted: the address block was released',
    ]);
  });

  it('replaces a component whose driver changes', () => {
    const target = [
      { ...small[2], driver: 'rds', template: 'rds-small', inputs: {} },
    ];
    const p = plan([small[2]], target);
    expect(p.components[0]).toMatchObject({
      action: 'replace',
      fromDriver: 'postgres-database',
      fromTemplate: 'postgres-shared',
    });
  });
});
