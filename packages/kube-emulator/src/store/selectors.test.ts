/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { ApiError } from '../api/status';
import {
  formatSelector,
  fromSelectorObject,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'frontend', 'example.com/team': 'a' };

  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app!=api', true],
    ['tier in (frontend, backend)', true],
    ['tier notin (frontend)', false],
    ['missing notin (x)', true],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['example.com/team=a,app=web', true],
    ['app=web,tier=backend', false],
    ['', true],
  ])('%s matches: %s', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it('parses the operators into requirements', () => {
    expect(parseLabelSelector('a=b,c!=d, e in (f,g),h notin (i),j,!k')).toEqual(
      [
        { key: 'a', operator: 'In', values: ['b'] },
        { key: 'c', operator: 'NotIn', values: ['d'] },
        { key: 'e', operator: 'In', values: ['f', 'g'] },
        { key: 'h', operator: 'NotIn', values: ['i'] },
        { key: 'j', operator: 'Exists', values: [] },
        { key: 'k', operator: 'DoesNotExist', values: [] },
      ],
    );
  });

  it.each(['a=b,', 'a in b', 'a in (b', 'in (a)', 'bad key!=x', 'a=in valid'])(
    'rejects %p with 400',
    selector => {
      let error: unknown;
      try {
        parseLabelSelector(selector);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ code: 400, reason: 'BadRequest' });
    },
  );

  it('converts structured selectors and formats them back', () => {
    const reqs = fromSelectorObject({
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }],
    });
    expect(matchesLabels(reqs, { app: 'web', tier: 'a' })).toBe(true);
    expect(matchesLabels(reqs, { app: 'web', tier: 'c' })).toBe(false);
    expect(formatSelector(reqs)).toBe('app=web,tier in (a,b)');
  });
});

describe('field selectors', () => {
  const pod = {
    metadata: { name: 'p', namespace: 'ns' },
    spec: { nodeName: 'n1' },
    status: { phase: 'Running' },
  };
  const allowed = [
    'metadata.name',
    'metadata.namespace',
    'spec.nodeName',
    'status.phase',
  ];

  it('matches =, == and != on the supported fields', () => {
    expect(
      matchesFields(parseFieldSelector('metadata.name=p', allowed), pod),
    ).toBe(true);
    expect(
      matchesFields(
        parseFieldSelector('spec.nodeName==n1,status.phase!=Failed', allowed),
        pod,
      ),
    ).toBe(true);
    expect(
      matchesFields(
        parseFieldSelector('metadata.namespace=other', allowed),
        pod,
      ),
    ).toBe(false);
    expect(
      matchesFields(parseFieldSelector('spec.nodeName=', allowed), pod),
    ).toBe(false);
  });

  it('refuses unsupported field labels like the API server', () => {
    expect(() => parseFieldSelector('spec.foo=bar', allowed)).toThrow(
      'field label not supported: spec.foo',
    );
  });
});
