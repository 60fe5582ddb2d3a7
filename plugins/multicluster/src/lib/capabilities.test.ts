/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { displayCapabilities, displayCapability } from './capabilities';

describe('displayCapability', () => {
  it.each([
    [
      'kubernetes',
      'endpoint',
      'https://10.0.0.1:6443',
      { type: 'value', text: 'https://10.0.0.1:6443' },
    ],
    [
      'database',
      'port',
      5432,
      { type: 'value', text: '5432', copyText: '5432' },
    ],
    ['objectStore', 'versioned', true, { type: 'value', text: 'true' }],
    [
      'network',
      'subnet_ids',
      ['a', 'b'],
      { type: 'value', text: 'a, b', copyText: 'a,b' },
    ],
    [
      'database',
      'master_password',
      { secretRef: 'env/pr-42/database/master_password' },
      { type: 'secret' },
    ],
    // A secret by contract is never rendered, even if the server sent the raw value.
    ['database', 'master_password', 'hunter2', { type: 'secret' }],
    // A reference is a secret whatever its name or kind.
    ['custom', 'token', { secretRef: 'x' }, { type: 'secret' }],
    ['network', 'tags', { a: 1 }, { type: 'unsupported' }],
    ['network', 'mixed', ['a', 1], { type: 'unsupported' }],
    ['network', 'nothing', null, { type: 'unsupported' }],
  ])('%s.%s', (kind, name, value, expected) => {
    expect(displayCapability(kind, name, value)).toMatchObject({
      name,
      ...expected,
    });
  });

  it('never puts a secret value in what it returns', () => {
    const shown = displayCapability('database', 'master_password', 'hunter2');
    expect(JSON.stringify(shown)).not.toContain('hunter2');
  });
});

describe('displayCapabilities', () => {
  it('orders by the kind contract, then the rest by name', () => {
    const shown = displayCapabilities('database', {
      zone: 'a',
      master_password: { secretRef: 'r' },
      port: 5432,
      host: 'db',
      extra: 'x',
      database: 'app',
      master_username: 'admin',
    });
    expect(shown.map(c => c.name)).toEqual([
      'host',
      'port',
      'database',
      'master_username',
      'master_password',
      'extra',
      'zone',
    ]);
  });

  it('sorts an unknown kind by name', () => {
    expect(
      displayCapabilities('queue', { b: '1', a: '2' }).map(c => c.name),
    ).toEqual(['a', 'b']);
  });
});
