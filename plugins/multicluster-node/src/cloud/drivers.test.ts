/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { z } from 'zod';
import {
  generatePassword,
  intBetween,
  parseDriverInputs,
  quantityInput,
} from './drivers';

describe('parseDriverInputs', () => {
  const schema = z.object({ size: z.enum(['small', 'large']) }).strict();

  it('returns the parsed inputs', () => {
    expect(parseDriverInputs('d', schema, { size: 'small' })).toEqual({
      size: 'small',
    });
  });

  it('names each bad input and rejects unknown ones, listing the allowed', () => {
    expect(() =>
      parseDriverInputs('my-driver', schema, { size: 'huge', colour: 'red' }),
    ).toThrow(/unknown input colour for driver my-driver; allowed: size/);
    expect(() =>
      parseDriverInputs('my-driver', schema, { size: 'huge' }),
    ).toThrow(/^size: /);
  });
});

describe('input helpers', () => {
  it.each([
    [0, false],
    [1, true],
    [50, true],
    [51, false],
    [1.5, false],
    ['3', false],
  ])('intBetween(1, 50) on %j: %s', (value, ok) => {
    expect(intBetween('nodes', 1, 50).safeParse(value).success).toBe(ok);
  });

  it('says what a whole number between bounds is', () => {
    const result = intBetween('nodes', 1, 50).safeParse(0);
    expect(!result.success && result.error.issues[0].message).toBe(
      'must be a whole number between 1 and 50',
    );
  });

  it.each([
    ['4', '4'],
    ['500m', '500m'],
    ['16Gi', '16Gi'],
    [8, '8'],
  ])('quantity %j is %j', (value, expected) => {
    expect(quantityInput.parse(value)).toBe(expected);
  });

  it.each([['lots'], [-1], ['16 Gi']])('refuses quantity %j', value => {
    expect(quantityInput.safeParse(value).success).toBe(false);
  });
});

describe('generatePassword', () => {
  it('is letters and digits of the asked length, different each time', () => {
    const a = generatePassword();
    expect(a).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(generatePassword(8)).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(generatePassword()).not.toBe(a);
  });
});
