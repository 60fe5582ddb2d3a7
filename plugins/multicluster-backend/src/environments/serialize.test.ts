/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { requestHash, resourceNameFor } from './serialize';

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
