/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_MULTICLUSTER_LIMITS,
  parseBoundedSelector,
  readMulticlusterLimits,
} from './limits';

const limits = { selectorLength: 40, selectorRequirements: 3 };

describe('parseBoundedSelector', () => {
  it.each([
    ['env=prod,team in (a,b)', { matchLabels: { env: 'prod' } }],
    ['', {}],
  ])('parses %j within the limits', (text, expected) => {
    expect(parseBoundedSelector(text, limits)).toMatchObject(expected);
  });

  it.each([
    [
      'a'.repeat(41),
      /^selector: 41 characters is over the limit of 40 \(multicluster.limits.selectorLength\)$/,
    ],
    [
      'a,b,c,d',
      /^selector: 4 requirements is over the limit of 3 \(multicluster.limits.selectorRequirements\)$/,
    ],
    ['team in (a', /^selector: .*Allowed syntax: key=value/],
  ])('rejects %j naming the field and the limit', (text, message) => {
    expect(() => parseBoundedSelector(text, limits)).toThrow(message);
    expect(() => parseBoundedSelector(text, limits)).toThrow(
      expect.objectContaining({ name: 'InputError' }),
    );
  });

  it('bounds the object form the same way, under the given field name', () => {
    expect(() =>
      parseBoundedSelector(
        {
          matchExpressions: ['a', 'b', 'c', 'd'].map(key => ({
            key,
            operator: 'Exists' as const,
          })),
        },
        limits,
        'placement.clusterSelector',
      ),
    ).toThrow(/^placement.clusterSelector: 4 requirements/);
    expect(() =>
      parseBoundedSelector(
        { matchLabels: { [`${'k'.repeat(30)}`]: 'v'.repeat(30) } },
        limits,
      ),
    ).toThrow(/characters is over the limit/);
    expect(() =>
      parseBoundedSelector({ matchLabels: { 'bad key!': 'x' } }, limits),
    ).toThrow(/^selector: /);
  });
});

describe('readMulticlusterLimits', () => {
  it('takes the defaults and what config sets', () => {
    expect(readMulticlusterLimits(new ConfigReader({}))).toEqual(
      DEFAULT_MULTICLUSTER_LIMITS,
    );
    expect(
      readMulticlusterLimits(
        new ConfigReader({ multicluster: { limits: { selectorLength: 500 } } }),
      ).selectorLength,
    ).toBe(500);
  });

  it.each([0, -1, 1.5, 1e9])('refuses %p naming the key', value => {
    expect(() =>
      readMulticlusterLimits(
        new ConfigReader({
          multicluster: { limits: { requestBodyDepth: value } },
        }),
      ),
    ).toThrow(
      /multicluster.limits.requestBodyDepth must be a whole number from 1 to 256/,
    );
  });
});
