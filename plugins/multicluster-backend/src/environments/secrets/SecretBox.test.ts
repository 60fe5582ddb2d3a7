/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { SecretBox, parseSecretReference, secretReference } from './SecretBox';

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
