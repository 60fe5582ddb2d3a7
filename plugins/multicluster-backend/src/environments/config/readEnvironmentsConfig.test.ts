/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import type { EnvironmentContributions } from '../contributions';
import {
  EnvironmentsConfigError,
  readEnvironmentsConfig,
} from './readEnvironmentsConfig';

/** What modules contribute in these tests: a small local cloud and production on aws. */
const CONTRIBUTED: Pick<EnvironmentContributions, 'templates' | 'mappings'> = {
  templates: {
    'local-network-small': {
      kind: 'network',
      driver: 'local-network',
      inputs: { prefixLength: 20, subnets: 1 },
    },
    'emulated-cluster-small': {
      kind: 'kubernetes',
      driver: 'emulator-cluster',
      inputs: {
        nodes: 1,
        version: 'v1.31.4',
        network: '${{ components.network.network_id }}',
      },
    },
    'postgres-shared': {
      kind: 'database',
      driver: 'postgres-database',
      inputs: { server: 'shared' },
    },
    'local-bucket': { kind: 'objectStore', driver: 's3-bucket' },
    'aws-vpc': { kind: 'network', driver: 'aws-vpc' },
    'aws-eks': {
      kind: 'kubernetes',
      driver: 'aws-eks',
      inputs: { subnetIds: '${{ components.network.subnet_ids }}' },
    },
  },
  mappings: {
    'dev-small': {
      local: {
        network: { template: 'local-network-small' },
        kubernetes: { template: 'emulated-cluster-small' },
        database: { template: 'postgres-shared' },
        objectStore: { template: 'local-bucket' },
      },
    },
    production: {
      aws: {
        kubernetes: { template: 'aws-eks' },
        network: { template: 'aws-vpc' },
      },
    },
  },
};

const read = (
  environments: Record<string, unknown>,
  contributions = CONTRIBUTED,
) =>
  readEnvironmentsConfig(
    new ConfigReader({
      multicluster: { environments: environments as JsonObject },
    }),
    contributions,
  );

const problemsOf = (environments: Record<string, unknown>): string[] => {
  try {
    read(environments);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentsConfigError);
    return (error as EnvironmentsConfigError).problems;
  }
  throw new Error('expected the config to be rejected');
};

describe('readEnvironmentsConfig', () => {
  it('offers the standard types as modules map them, in dependency order', () => {
    const cfg = read({});
    expect(cfg.types.map(t => [t.type, t.clouds.map(c => c.cloud)])).toEqual([
      ['dev-large', []],
      ['dev-small', ['local']],
      ['production', ['aws']],
    ]);
    const devSmall = cfg.types.find(t => t.type === 'dev-small')!;
    expect(devSmall.title).toBe('Development (small)');
    const local = devSmall.clouds[0];
    // Whatever reads the network's capabilities comes after it.
    const keys = local.components.map(x => x.key);
    for (const x of local.components.filter(y =>
      y.dependsOn.includes('network'),
    )) {
      expect(keys.indexOf(x.key)).toBeGreaterThan(keys.indexOf('network'));
    }
    expect(local.components.find(c => c.key === 'kubernetes')).toMatchObject({
      driver: 'emulator-cluster',
      dependsOn: ['network'],
      inputs: { nodes: 1 },
    });
    expect(local.fromUser).toBe(false);
    const prodAws = cfg.types.find(t => t.type === 'production')!.clouds[0];
    expect(prodAws.components.map(c => c.driver)).toEqual([
      'aws-vpc',
      'aws-eks',
    ]);
  });

  it('offers nothing without modules or config', () => {
    const cfg = read({}, { templates: {}, mappings: {} });
    expect(cfg.types.every(t => t.clouds.length === 0)).toBe(true);
    expect(cfg.templates).toEqual({});
  });

  it('applies settings defaults', () => {
    const cfg = read({});
    expect(cfg.settings).toEqual({
      resourcePrefix: 'archi',
      leaseSeconds: 30,
      componentTimeoutMinutes: 30,
      ttl: {
        checkIntervalSeconds: 60,
        maxMinutes: 43200,
        warnBeforeMinutes: 60,
      },
      drift: { enabled: true, intervalSeconds: 300 },
      quotas: { environmentsPerOwner: 10, dedicatedDatabaseServersPerOwner: 3 },
      revisions: { keep: 20 },
      currency: 'USD',
      connectionDetails: {
        enabled: true,
        namespace: 'archipelago',
        timeoutSeconds: 20,
      },
      secretKey: undefined,
    });
  });

  it('merges user templates over the defaults, inputs key by key', () => {
    const cfg = read({
      templates: { 'emulated-cluster-small': { inputs: { nodes: 2 } } },
    });
    expect(cfg.templates['emulated-cluster-small']).toMatchObject({
      kind: 'kubernetes',
      driver: 'emulator-cluster',
      inputs: { nodes: 2, version: 'v1.31.4' },
      fromUser: true,
    });
  });

  it('merges user types per component and adds new types', () => {
    const cfg = read({
      templates: {
        'kind-dev': {
          kind: 'kubernetes',
          driver: 'kubeconfig-cluster',
          inputs: { context: 'kind-dev' },
        },
      },
      types: {
        'dev-small': {
          clouds: { local: { kubernetes: { template: 'kind-dev' } } },
        },
        sandbox: {
          title: 'Sandbox',
          clouds: {
            local: {
              kubernetes: { template: 'kind-dev' },
              db: { template: 'postgres-shared' },
            },
          },
        },
      },
    });
    const devSmall = cfg.types
      .find(t => t.type === 'dev-small')!
      .clouds.find(c => c.cloud === 'local')!;
    expect(
      devSmall.components.find(c => c.key === 'kubernetes')?.template,
    ).toBe('kind-dev');
    expect(devSmall.components.find(c => c.key === 'database')?.template).toBe(
      'postgres-shared',
    );
    expect(devSmall.fromUser).toBe(true);
    const sandbox = cfg.types.find(t => t.type === 'sandbox')!;
    expect(sandbox.title).toBe('Sandbox');
    expect(sandbox.clouds[0].components.map(c => c.key).sort()).toEqual([
      'db',
      'kubernetes',
    ]);
  });

  it('drops the shipped defaults with defaults: false', () => {
    const cfg = read({
      defaults: false,
      templates: { n: { kind: 'network', driver: 'local-network' } },
      types: { only: { clouds: { local: { network: { template: 'n' } } } } },
    });
    expect(cfg.types.map(t => t.type)).toEqual(['only']);
    expect(Object.keys(cfg.templates)).toEqual(['n']);
  });

  it.each([
    [
      'an unknown settings key',
      { leaseSecond: 3 },
      "multicluster.environments: Unrecognized key(s) in object: 'leaseSecond'",
    ],
    [
      'a short secret key',
      { secretKey: 'short' },
      'multicluster.environments.secretKey: must be at least 32 characters',
    ],
    [
      'a cloud that does not exist',
      {
        types: {
          'dev-small': {
            clouds: { mars: { network: { template: 'local-network-small' } } },
          },
        },
      },
      'multicluster.environments.types.dev-small.clouds.mars',
    ],
    [
      'a bad template name',
      { templates: { Bad_Name: { kind: 'network', driver: 'x' } } },
      'multicluster.environments.templates.Bad_Name',
    ],
    [
      'a template of an unknown kind',
      { templates: { t: { kind: 'cache', driver: 'x' } } },
      'multicluster.environments.templates.t.kind',
    ],
  ])('rejects %s, naming the key', (_what, environments, expected) => {
    const problems = problemsOf(environments);
    expect(problems.join('\n')).toContain(expected);
  });

  it.each([
    [
      'a missing template',
      {
        types: {
          'dev-small': {
            clouds: { local: { database: { template: 'nope' } } },
          },
        },
      },
      'multicluster.environments.types.dev-small.clouds.local.database.template: no component template named "nope"',
    ],
    [
      'a template whose kind contradicts the key',
      {
        types: {
          'dev-small': {
            clouds: { local: { database: { template: 'local-bucket' } } },
          },
        },
      },
      'multicluster.environments.types.dev-small.clouds.local.database.template: template "local-bucket" is of kind objectStore',
    ],
    [
      'a reference to a missing component',
      {
        templates: {
          c: {
            kind: 'kubernetes',
            driver: 'emulator-cluster',
            inputs: { network: '${{ components.net.network_id }}' },
          },
        },
        types: { t: { clouds: { local: { kubernetes: { template: 'c' } } } } },
      },
      'multicluster.environments.types.t.clouds.local.kubernetes.inputs.network: references component "net"',
    ],
    [
      'a reference to a capability the kind does not have',
      {
        templates: {
          c: {
            kind: 'kubernetes',
            driver: 'emulator-cluster',
            inputs: { network: '${{ components.network.vpc_id }}' },
          },
        },
        types: {
          t: {
            clouds: {
              local: {
                network: { template: 'local-network-small' },
                kubernetes: { template: 'c' },
              },
            },
          },
        },
      },
      'network component "network" has no capability "vpc_id"; it has network_id, subnet_ids, region',
    ],
    [
      'an unsupported expression',
      {
        templates: {
          c: {
            kind: 'kubernetes',
            driver: 'emulator-cluster',
            inputs: { x: '${{ secrets.admin }}' },
          },
        },
        types: { t: { clouds: { local: { kubernetes: { template: 'c' } } } } },
      },
      'multicluster.environments.types.t.clouds.local.kubernetes.inputs.x: unsupported expression',
    ],
    [
      'a dependency cycle',
      {
        templates: {
          a: {
            kind: 'network',
            driver: 'local-network',
            inputs: { region: '${{ components.kubernetes.version }}' },
          },
          b: {
            kind: 'kubernetes',
            driver: 'emulator-cluster',
            inputs: { network: '${{ components.network.network_id }}' },
          },
        },
        types: {
          t: {
            clouds: {
              local: {
                network: { template: 'a' },
                kubernetes: { template: 'b' },
              },
            },
          },
        },
      },
      'multicluster.environments.types.t.clouds.local: components depend on each other in a cycle: kubernetes, network',
    ],
    [
      'a template without a driver',
      { templates: { lonely: { kind: 'network' } } },
      'multicluster.environments.templates.lonely.driver: is required',
    ],
  ])('rejects %s', (_what, environments, expected) => {
    expect(problemsOf(environments).join('\n')).toContain(expected);
  });

  it("leaves each cloud's driver settings and the data folder to the modules", () => {
    const cfg = read({
      local: { network: { pool: '10.0.0.0/8' } },
      aws: { region: 'eu-west-1' },
      azure: { subscriptionId: 'x' },
      gcp: {},
      dataDir: '/tmp/x',
    });
    for (const key of ['local', 'aws', 'azure', 'gcp', 'dataDir'])
      expect(cfg.settings).not.toHaveProperty(key);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({
      templates: { a: { kind: 'network' }, b: { driver: 'x' } },
    });
    expect(problems).toHaveLength(2);
  });
});
