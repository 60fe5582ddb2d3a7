/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Cluster } from '@archipelago/multicluster-common';
import { hasLabelRule } from './hasLabel';

const cluster = (labels: Record<string, string>) => ({ labels } as Cluster);

describe('HAS_LABEL', () => {
  it.each([
    [{ team: 'payments' }, { key: 'team' }, true],
    [{ team: 'payments' }, { key: 'team', value: 'payments' }, true],
    [{ team: 'payments' }, { key: 'team', value: 'search' }, false],
    [{ env: 'prod' }, { key: 'team' }, false],
    [{ team: '' }, { key: 'team', value: '' }, true],
    [{}, { key: 'constructor' }, false],
  ])('on %j with %j: %s', (labels, params, expected) => {
    expect(hasLabelRule.apply(cluster(labels), params)).toBe(expected);
  });

  it('becomes a label condition for the store', () => {
    expect(hasLabelRule.toQuery({ key: 'team' })).toEqual({ key: 'team' });
    expect(hasLabelRule.toQuery({ key: 'team', value: 'a' })).toEqual({
      key: 'team',
      value: 'a',
    });
  });

  it('validates and describes its parameters', () => {
    const schema = (hasLabelRule.paramsSchema as any)['~standard'];
    expect(schema.validate({ key: 'team' })).toEqual({
      value: { key: 'team' },
    });
    expect(schema.validate({ key: '' }).issues[0].path).toEqual(['key']);
    expect(schema.validate({ key: 'a', extra: 1 }).issues).toHaveLength(1);
    expect(schema.jsonSchema.input()).toMatchObject({ required: ['key'] });
  });
});
