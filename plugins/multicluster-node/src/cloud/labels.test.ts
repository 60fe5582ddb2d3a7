/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { isValidLabelKey, isValidLabelValue, tagsToLabels } from './labels';

describe('labels', () => {
  it.each([
    ['team', true],
    ['app.kubernetes.io/name', true],
    ['example.com/Team_Name-1', true],
    ['a', true],
    ['', false],
    ['aws:cloudformation:stack-name', false],
    ['cost center', false],
    ['-leading', false],
    ['Example.com/x', false],
    ['x'.repeat(63), true],
    ['x'.repeat(64), false],
    ['/name', false],
  ])('key %j valid: %s', (key, valid) => {
    expect(isValidLabelKey(key)).toBe(valid);
  });

  it.each([
    ['', true],
    ['prod', true],
    ['1.29', true],
    ['eks.4', true],
    ['has space', false],
    ['a/b', false],
    ['v'.repeat(64), false],
  ])('value %j valid: %s', (value, valid) => {
    expect(isValidLabelValue(value)).toBe(valid);
  });

  it('keeps valid tags and names the others', () => {
    expect(
      tagsToLabels({
        team: 'a',
        'aws:eks:cluster-name': 'x',
        Owner: 'someone@example.com',
        env: undefined,
      }),
    ).toEqual({
      labels: { team: 'a' },
      skipped: ['aws:eks:cluster-name', 'Owner'],
    });
    expect(tagsToLabels(undefined)).toEqual({ labels: {}, skipped: [] });
  });
});
