/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { InputError } from '@backstage/errors';
import {
  compileLabelSelector,
  formatLabelSelector,
  isEmptyLabelSelector,
  isValidLabelKey,
  isValidLabelValue,
  LabelSelector,
  LabelSelectorError,
  labelSelectorSchema,
  matchesLabelSelector,
  parseLabelSelector,
} from './labelSelector';

describe('parseLabelSelector', () => {
  it.each<[string, LabelSelector]>([
    ['', {}],
    ['   ', {}],
    ['a=b', { matchLabels: { a: 'b' } }],
    ['a==b', { matchLabels: { a: 'b' } }],
    ['a = b', { matchLabels: { a: 'b' } }],
    ['a=', { matchLabels: { a: '' } }],
    ['a==', { matchLabels: { a: '' } }],
    ['a=,b=c', { matchLabels: { a: '', b: 'c' } }],
    [
      'a!=b',
      { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['b'] }] },
    ],
    [
      'a!=',
      { matchExpressions: [{ key: 'a', operator: 'NotIn', values: [''] }] },
    ],
    [
      'a in (x,y)',
      { matchExpressions: [{ key: 'a', operator: 'In', values: ['x', 'y'] }] },
    ],
    [
      'a in ( x , y , x )',
      { matchExpressions: [{ key: 'a', operator: 'In', values: ['x', 'y'] }] },
    ],
    [
      'a in(x)',
      { matchExpressions: [{ key: 'a', operator: 'In', values: ['x'] }] },
    ],
    [
      'a in (x,)',
      { matchExpressions: [{ key: 'a', operator: 'In', values: ['x', ''] }] },
    ],
    [
      'a notin (x)',
      { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }] },
    ],
    ['a', { matchExpressions: [{ key: 'a', operator: 'Exists' }] }],
    ['!a', { matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }],
    ['! a', { matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }],
    ['a=in', { matchLabels: { a: 'in' } }],
    [
      'a in (in,notin)',
      {
        matchExpressions: [
          { key: 'a', operator: 'In', values: ['in', 'notin'] },
        ],
      },
    ],
    [
      'topology.kubernetes.io/region in (eu-west-1, us-east-1),env=prod,!legacy,tier',
      {
        matchLabels: { env: 'prod' },
        matchExpressions: [
          {
            key: 'topology.kubernetes.io/region',
            operator: 'In',
            values: ['eu-west-1', 'us-east-1'],
          },
          { key: 'legacy', operator: 'DoesNotExist' },
          { key: 'tier', operator: 'Exists' },
        ],
      },
    ],
    [
      // A second equality on a key cannot share matchLabels; both must hold.
      'a=b,a=c',
      {
        matchLabels: { a: 'b' },
        matchExpressions: [{ key: 'a', operator: 'In', values: ['c'] }],
      },
    ],
    [
      '\ta=b ,\n c!=d ',
      {
        matchLabels: { a: 'b' },
        matchExpressions: [{ key: 'c', operator: 'NotIn', values: ['d'] }],
      },
    ],
    [
      'example.com/My_Key.1=Val-ue_2.x',
      { matchLabels: { 'example.com/My_Key.1': 'Val-ue_2.x' } },
    ],
  ])('parses %j', (text, expected) => {
    expect(parseLabelSelector(text)).toEqual(expected);
  });

  it.each<[string, string, number]>([
    ['a=b,', 'expected a label key', 4],
    [',a', 'expected a label key', 0],
    ['a in x', "expected '(' after 'in'", 5],
    ['a in ()', "the value set of 'in' must not be empty", 6],
    ['a in (x', "expected ',' or ')' in the value set", 7],
    ['a in (x y)', "expected ',' or ')' in the value set", 8],
    ['a notin (x))', "expected ',' or the end of the selector", 11],
    ['a b', 'expected an operator', 2],
    ['a>1', "the '>' operator cannot be expressed", 1],
    ['a<1', "the '<' operator cannot be expressed", 1],
    ['!', "expected a label key after '!'", 1],
    ['!a=b', "expected ',' or the end of the selector", 2],
    ['=b', 'expected a label key', 0],
    ['a=b=c', "expected ',' or the end of the selector", 3],
    ['a=(b)', "expected a label value after '='", 2],
    ['-a=b', 'invalid label key', 0],
    ['a_=b', 'invalid label key', 0],
    ['Example.com/a=b', 'must be a DNS subdomain', 0],
    ['/a=b', 'the prefix before "/" must not be empty', 0],
    ['example.com/=b', 'the name part must not be empty', 0],
    ['a/b/c=d', 'at most one "/"', 0],
    [`${'k'.repeat(64)}=v`, 'the name part', 0],
    [`a=${'v'.repeat(64)}`, 'invalid label value', 2],
    ['a=-v', 'invalid label value', 2],
    ['a in (x,-y)', 'invalid label value', 8],
    ['in=b', 'expected a label key', 0],
  ])('rejects %j', (text, problem, position) => {
    let error: unknown;
    try {
      parseLabelSelector(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LabelSelectorError);
    expect(error).toBeInstanceOf(InputError);
    const e = error as LabelSelectorError;
    expect(e.message).toContain(problem);
    expect(e.message).toContain(`at column ${position + 1}`);
    expect(e.message).toContain(`"${text}"`);
    expect(e.message).toContain('Allowed syntax: key=value');
    expect(e.position).toBe(position);
  });

  it('accepts a 253-character prefix and a 63-character name', () => {
    const prefix = `${'a'.repeat(61)}.${'b'.repeat(61)}.${'c'.repeat(
      61,
    )}.${'d'.repeat(67)}`;
    expect(prefix.length).toBe(253);
    const key = `${prefix}/${'n'.repeat(63)}`;
    expect(parseLabelSelector(`${key}=v`)).toEqual({
      matchLabels: { [key]: 'v' },
    });
    expect(() => parseLabelSelector(`a${key}=v`)).toThrow(
      'must be a DNS subdomain',
    );
  });

  it('rejects non-strings', () => {
    expect(() => parseLabelSelector(undefined as unknown as string)).toThrow(
      LabelSelectorError,
    );
  });
});

describe('label key and value rules', () => {
  it.each([
    ['app', true],
    ['app.kubernetes.io/name', true],
    ['topology.kubernetes.io/region', true],
    ['A1', true],
    ['a-b_c.d', true],
    ['', false],
    ['_a', false],
    ['a.', false],
    ['UPPER.example.com/a', false],
    ['exa_mple.com/a', false],
    ['a b', false],
  ])('key %j valid: %s', (key, valid) => {
    expect(isValidLabelKey(key)).toBe(valid);
  });

  it.each([
    ['', true],
    ['v1', true],
    ['V1.2-x_y', true],
    ['-v', false],
    ['v/1', false],
    ['v'.repeat(63), true],
    ['v'.repeat(64), false],
  ])('value %j valid: %s', (value, valid) => {
    expect(isValidLabelValue(value)).toBe(valid);
  });
});

describe('formatLabelSelector', () => {
  it.each<[LabelSelector, string]>([
    [{}, ''],
    [{ matchLabels: { a: 'b', c: '' } }, 'a=b,c='],
    [
      { matchExpressions: [{ key: 'a', operator: 'In', values: ['x', 'y'] }] },
      'a in (x,y)',
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }] },
      'a!=x',
    ],
    [
      {
        matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x', 'y'] }],
      },
      'a notin (x,y)',
    ],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, 'a'],
    [
      {
        matchExpressions: [{ key: 'a', operator: 'DoesNotExist', values: [] }],
      },
      '!a',
    ],
  ])('formats %j', (selector, text) => {
    expect(formatLabelSelector(selector)).toBe(text);
  });

  it.each([
    'a=b',
    'a!=b,c in (d,e),!f,g,topology.kubernetes.io/zone notin (z1,z2)',
    'a=b,a=c',
    'x in (,y)',
  ])('round-trips %j', text => {
    const parsed = parseLabelSelector(text);
    expect(parseLabelSelector(formatLabelSelector(parsed))).toEqual(parsed);
  });

  it.each<[unknown, string]>([
    [
      { matchExpressions: [{ key: 'a', operator: 'In' }] },
      'matchExpressions.0.values: values must be a non-empty list for operator In',
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      'values must be empty for operator Exists',
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] },
      'operator must be one of In, NotIn, Exists, DoesNotExist',
    ],
    [{ matchLabels: { 'bad key': 'v' } }, 'invalid label key "bad key"'],
    [{ matchLabels: { a: 'has,comma' } }, 'invalid label value "has,comma"'],
    [
      { matchlabels: { a: 'b' } },
      "Unrecognized key(s) in object: 'matchlabels'",
    ],
  ])('refuses invalid selector %j', (selector, message) => {
    expect(() => formatLabelSelector(selector as LabelSelector)).toThrow(
      LabelSelectorError,
    );
    expect(() => formatLabelSelector(selector as LabelSelector)).toThrow(
      message,
    );
  });
});

describe('matchesLabelSelector', () => {
  const labels = {
    env: 'prod',
    tier: 'web',
    'topology.kubernetes.io/region': 'eu-west-1',
  };

  it.each<
    [LabelSelector | string, Record<string, string> | undefined, boolean]
  >([
    ['', labels, true],
    [{}, labels, true],
    [{}, undefined, true],
    ['env=prod', labels, true],
    ['env=dev', labels, false],
    ['env==prod', labels, true],
    ['env!=dev', labels, true],
    ['env!=prod', labels, false],
    // Kubernetes: != and notin match when the key is absent.
    ['missing!=x', labels, true],
    ['missing notin (x)', labels, true],
    ['missing in (x)', labels, false],
    ['missing=', labels, false],
    ['env in (prod,staging)', labels, true],
    ['env in (staging)', labels, false],
    ['env notin (prod)', labels, false],
    ['env', labels, true],
    ['missing', labels, false],
    ['!missing', labels, true],
    ['!env', labels, false],
    [
      'topology.kubernetes.io/region in (eu-west-1),env=prod,tier',
      labels,
      true,
    ],
    ['topology.kubernetes.io/region in (eu-west-1),env=dev', labels, false],
    ['a=b,a=c', { a: 'b' }, false],
    ['empty=', { empty: '' }, true],
    ['constructor', {}, false],
    ['!toString', {}, true],
    [
      {
        matchLabels: { env: 'prod' },
        matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }],
      },
      labels,
      true,
    ],
    [
      {
        matchLabels: { env: 'prod' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }],
      },
      labels,
      false,
    ],
    ['env=prod', undefined, false],
    ['!env', undefined, true],
  ])('%j on %j → %s', (selector, set, expected) => {
    expect(matchesLabelSelector(selector, set)).toBe(expected);
  });

  it('throws on an invalid selector', () => {
    expect(() => matchesLabelSelector('a in ()', {})).toThrow(
      LabelSelectorError,
    );
    expect(() =>
      matchesLabelSelector(
        { matchExpressions: [{ key: 'a', operator: 'NotIn' }] },
        {},
      ),
    ).toThrow('values must be a non-empty list for operator NotIn');
  });

  it('compiles once for many label sets', () => {
    const match = compileLabelSelector('tier in (web,api),!legacy');
    const sets: Array<Record<string, string>> = [
      { tier: 'web' },
      { tier: 'api', legacy: 'true' },
      { tier: 'db' },
      {},
    ];
    expect(sets.map(match)).toEqual([true, false, false, false]);
  });
});

describe('isEmptyLabelSelector', () => {
  it.each<[LabelSelector | string, boolean]>([
    ['', true],
    [' ', true],
    [{}, true],
    [{ matchLabels: {}, matchExpressions: [] }, true],
    ['a', false],
    [{ matchLabels: { a: 'b' } }, false],
  ])('%j → %s', (selector, empty) => {
    expect(isEmptyLabelSelector(selector)).toBe(empty);
  });
});

describe('labelSelectorSchema', () => {
  it('accepts the object form and reports paths', () => {
    expect(
      labelSelectorSchema.safeParse({ matchLabels: { a: 'b' } }).success,
    ).toBe(true);
    const result = labelSelectorSchema.safeParse({
      matchExpressions: [{ key: '', operator: 'In', values: ['x'] }],
    });
    expect(result.success).toBe(false);
    expect(result.success ? [] : result.error.issues[0].path).toEqual([
      'matchExpressions',
      0,
      'key',
    ]);
  });
});
