/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  COMPONENT_KINDS,
  capabilityContracts,
  ComponentKind,
  isSecretReference,
  redactSecretCapabilities,
  secretCapabilities,
  validateCapabilities,
} from './capabilities';

const good: Record<ComponentKind, Record<string, unknown>> = {
  kubernetes: {
    endpoint: 'https://10.0.0.1:6443',
    cluster_id: 'c-1',
    version: 'v1.30.2',
  },
  database: {
    host: 'db.local',
    port: 5432,
    database: 'app',
    master_username: 'admin',
    master_password: 's3cret',
  },
  objectStore: {
    bucket_url: 'https://s3.eu-west-1.amazonaws.com/b',
    bucket: 'b',
    region: 'eu-west-1',
  },
  network: {
    network_id: 'vpc-1',
    subnet_ids: ['subnet-1', 'subnet-2'],
    region: 'eu-west-1',
  },
};

describe('validateCapabilities', () => {
  it.each(COMPONENT_KINDS.map(kind => [kind]))('accepts a valid %s', kind => {
    expect(validateCapabilities(kind, good[kind])).toEqual(good[kind]);
  });

  it.each<[ComponentKind, Record<string, unknown>, string]>([
    ['kubernetes', { endpoint: 'http://10.0.0.1:6443' }, 'endpoint:'],
    ['kubernetes', { endpoint: 'not a url' }, 'endpoint:'],
    ['kubernetes', { cluster_id: '' }, 'cluster_id:'],
    ['kubernetes', { extra: 1 }, "Unrecognized key(s) in object: 'extra'"],
    ['database', { port: 0 }, 'port:'],
    ['database', { port: 65536 }, 'port:'],
    ['database', { port: '5432' }, 'port:'],
    ['database', { master_password: undefined }, 'master_password:'],
    ['objectStore', { bucket_url: 'nope' }, 'bucket_url:'],
    ['network', { subnet_ids: [] }, 'subnet_ids:'],
    ['network', { subnet_ids: [''] }, 'subnet_ids.0:'],
  ])('rejects a broken %s contract %j', (kind, patch, problem) => {
    const outputs = { ...good[kind], ...patch };
    expect(() => validateCapabilities(kind, outputs)).toThrow(
      `Outputs break the ${kind} capability contract`,
    );
    expect(() => validateCapabilities(kind, outputs)).toThrow(problem);
  });

  it('rejects a non-object', () => {
    expect(() => validateCapabilities('network', null)).toThrow('(root):');
  });

  it('has a contract and a secret list for every kind', () => {
    expect(Object.keys(capabilityContracts).sort()).toEqual(
      [...COMPONENT_KINDS].sort(),
    );
    expect(Object.keys(secretCapabilities).sort()).toEqual(
      [...COMPONENT_KINDS].sort(),
    );
    expect(secretCapabilities.database).toEqual(['master_password']);
  });
});

describe('isSecretReference', () => {
  it.each<[unknown, boolean]>([
    [{ secretRef: 'env/x/db/master_password' }, true],
    [{ secretRef: 1 }, false],
    ['s3cret', false],
    [null, false],
    [undefined, false],
  ])('%j → %s', (value, expected) => {
    expect(isSecretReference(value)).toBe(expected);
  });
});

describe('redactSecretCapabilities', () => {
  it('replaces secrets with references and keeps the rest', () => {
    expect(
      redactSecretCapabilities(
        'database',
        good.database,
        name => `env/feature-a/database/${name}`,
      ),
    ).toEqual({
      ...good.database,
      master_password: { secretRef: 'env/feature-a/database/master_password' },
    });
  });

  it('keeps existing references and kinds without secrets', () => {
    const ref = { secretRef: 'x' };
    expect(
      redactSecretCapabilities('database', { master_password: ref }, () => 'y'),
    ).toEqual({
      master_password: ref,
    });
    expect(
      redactSecretCapabilities('network', good.network, () => 'y'),
    ).toEqual(good.network);
  });
});
