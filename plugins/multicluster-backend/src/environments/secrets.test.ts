/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  SecretBox,
  generatePassword,
  parseSecretReference,
  secretReference,
} from './secrets';
import { requestHash, resourceNameFor } from './serialize';

const KEY = `${'k'.repeat(16)}0123456789abcdef0123`;

describe('SecretBox', () => {
  const box = new SecretBox(KEY);
  const ref = secretReference('demo', 'database', 'master_password');

  it('round-trips and never stores the clear text', () => {
    const sealed = box.seal('hunter2-very-secret', ref);
    expect(sealed).not.toContain('hunter2');
    expect(sealed.split('.')).toHaveLength(5);
    expect(box.open(sealed, ref)).toBe('hunter2-very-secret');
  });

  it('uses a fresh IV per value', () => {
    expect(box.seal('same', ref)).not.toBe(box.seal('same', ref));
  });

  it('binds a value to its reference', () => {
    const sealed = box.seal('pw', ref);
    expect(() =>
      box.open(sealed, secretReference('other', 'database', 'master_password')),
    ).toThrow('failed authentication');
  });

  it('detects tampering', () => {
    const parts = box.seal('pw', ref).split('.');
    parts[4] = Buffer.from('xx').toString('base64url');
    expect(() => box.open(parts.join('.'), ref)).toThrow(
      'failed authentication',
    );
  });

  it('names a changed key instead of failing obscurely', () => {
    const sealed = box.seal('pw', ref);
    expect(() => new SecretBox(`${KEY}-rotated`).open(sealed, ref)).toThrow(
      'encrypted with another multicluster.environments.secretKey',
    );
  });

  it('rejects short keys', () => {
    expect(() => new SecretBox('short')).toThrow('at least 32 characters');
  });

  it('parses references', () => {
    expect(parseSecretReference(ref)).toEqual({
      environment: 'demo',
      component: 'database',
      capability: 'master_password',
    });
    expect(parseSecretReference('nope')).toBeUndefined();
  });
});

describe('generatePassword', () => {
  it('is alphanumeric, of the asked length, and random', () => {
    const a = generatePassword(32);
    expect(a).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(generatePassword(32)).not.toBe(a);
  });
});

describe('resourceNameFor', () => {
  it.each([
    ['archi', 'demo', 'network', 'archi-demo-network'],
    ['archi', 'demo', 'objectStore', 'archi-demo-objectstore'],
    ['archi', 'demo', 'my_db', 'archi-demo-my-db'],
  ])('%s / %s / %s', (prefix, env, key, expected) => {
    expect(resourceNameFor(prefix, env, key)).toBe(expected);
  });

  it('keeps long names at 48 characters, deterministic and distinct', () => {
    const env = 'a-very-long-environment-name-of-forty-ch';
    const a = resourceNameFor('archi', env, 'objectStore');
    const b = resourceNameFor('archi', env, 'kubernetes');
    expect(a.length).toBeLessThanOrEqual(48);
    expect(a).toBe(resourceNameFor('archi', env, 'objectStore'));
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[a-z0-9-]+$/);
  });
});

describe('requestHash', () => {
  it('ignores key order and changes with the inputs', () => {
    const base = { type: 't', cloud: 'local', owner: 'group:default/a' };
    expect(requestHash({ ...base, inputs: { a: 1, b: { c: 2, d: 3 } } })).toBe(
      requestHash({ ...base, inputs: { b: { d: 3, c: 2 }, a: 1 } }),
    );
    expect(requestHash({ ...base, inputs: { a: 1 } })).not.toBe(
      requestHash({ ...base, inputs: { a: 2 } }),
    );
  });
});
