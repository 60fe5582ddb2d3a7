/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ConfigReader } from '@backstage/config';
import {
  FakeDriver,
  fakeDrivers,
  fakeEnvironmentsConfig,
} from './__testUtils__/fakes';
import { DriverRegistry, EnvironmentCatalog } from './catalog';
import {
  EnvironmentsConfigError,
  readEnvironmentsConfig,
} from './config/readEnvironmentsConfig';

describe('EnvironmentCatalog', () => {
  const cfgWith = (extra: Record<string, unknown>) =>
    readEnvironmentsConfig(new ConfigReader(fakeEnvironmentsConfig(extra)));

  it('rejects a consumer whose network contract the network does not provide, naming the key', () => {
    const drivers = fakeDrivers();
    const network = new FakeDriver('fake-network', 'network', 'local', {
      provides: 'local/v1',
    });
    const kubernetes = new FakeDriver('fake-kubernetes', 'kubernetes', 'aws', {
      consumes: { network: ['aws/v1'] },
    });
    expect(() =>
      EnvironmentCatalog.build(
        cfgWith({}),
        new DriverRegistry([
          network,
          kubernetes,
          drivers.database,
          drivers.objectStore,
        ]),
      ),
    ).toThrow(
      'multicluster.environments.types.small.clouds.local.kubernetes: driver fake-kubernetes needs a network of contract aws/v1, ' +
        'but component network uses driver fake-network (contract local/v1)',
    );
  });

  it('rejects a user mapping whose driver is not installed', () => {
    const d = fakeDrivers();
    expect(() =>
      EnvironmentCatalog.build(
        cfgWith({}),
        new DriverRegistry([d.network, d.kubernetes, d.database]),
      ),
    ).toThrow(
      'multicluster.environments.types.small.clouds.local.objectStore.template: template bucket uses driver fake-objectStore, which is not installed',
    );
  });

  it('rejects a driver of another kind than its template', () => {
    const d = fakeDrivers();
    const wrong = new FakeDriver('fake-objectStore', 'database');
    expect(() =>
      EnvironmentCatalog.build(
        cfgWith({}),
        new DriverRegistry([d.network, d.kubernetes, d.database, wrong]),
      ),
    ).toThrow(EnvironmentsConfigError);
  });

  it('rejects template inputs a driver refuses', () => {
    expect(() =>
      EnvironmentCatalog.build(
        cfgWith({
          types: {
            small: {
              clouds: {
                local: {
                  network: { template: 'net' },
                  kubernetes: { template: 'cluster', inputs: { size: 'huge' } },
                },
              },
            },
          },
        }),
        new DriverRegistry(Object.values(fakeDrivers())),
      ),
    ).toThrow(
      'multicluster.environments.types.small.clouds.local.kubernetes.inputs: size must be one of s, m, l',
    );
  });

  it('makes a contributed cloud whose drivers are missing unavailable, not an error', () => {
    // A module maps production on aws without its drivers installed (no config for them).
    const mapping = (prefix: string) => ({
      network: { template: `${prefix}-net` },
      kubernetes: { template: `${prefix}-cluster` },
    });
    const cfg = readEnvironmentsConfig(
      new ConfigReader({ multicluster: { environments: {} } }),
      {
        templates: {
          'local-net': { kind: 'network', driver: 'fake-network' },
          'local-cluster': { kind: 'kubernetes', driver: 'fake-kubernetes' },
          'aws-net': { kind: 'network', driver: 'aws-vpc' },
          'aws-cluster': { kind: 'kubernetes', driver: 'aws-eks' },
        },
        mappings: {
          'dev-small': { local: mapping('local') },
          production: { local: mapping('local'), aws: mapping('aws') },
        },
      },
    );
    const catalog = EnvironmentCatalog.build(
      cfg,
      new DriverRegistry(Object.values(fakeDrivers())),
    );
    expect(
      catalog.listTypes().map(t => [t.type, t.clouds.map(c => c.cloud)]),
    ).toEqual([
      ['dev-small', ['local']],
      ['production', ['local']],
    ]);
    expect(() => catalog.plan({ type: 'production', cloud: 'aws' })).toThrow(
      'cloud: environment type production does not offer cloud "aws" (driver aws-eks, aws-vpc is not installed); allowed: local',
    );
  });
});
