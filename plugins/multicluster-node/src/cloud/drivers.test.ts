/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { z } from 'zod';
import { parseDriverInputs, splitCidr } from './drivers';

describe('splitCidr', () => {
  it.each([
    ['10.0.0.0/16', 1, ['10.0.0.0/16']],
    ['10.0.0.0/16', 2, ['10.0.0.0/17', '10.0.128.0/17']],
    ['10.0.0.0/16', 3, ['10.0.0.0/18', '10.0.64.0/18', '10.0.128.0/18']],
    [
      '192.168.4.0/24',
      4,
      [
        '192.168.4.0/26',
        '192.168.4.64/26',
        '192.168.4.128/26',
        '192.168.4.192/26',
      ],
    ],
  ])('splits %s into %i', (cidr, count, expected) => {
    expect(splitCidr(cidr, count)).toEqual(expected);
  });

  it.each([
    ['10.0.0.0', 2, /not an IPv4 CIDR/],
    ['10.0.0.0/28', 2, /too small for 2 subnets/],
  ])('refuses %s / %i', (cidr, count, message) => {
    expect(() => splitCidr(cidr, count)).toThrow(message);
  });
});

describe('parseDriverInputs', () => {
  const schema = z.object({ size: z.enum(['small', 'large']) }).strict();

  it('returns the parsed inputs', () => {
    expect(parseDriverInputs('d', schema, { size: 'small' })).toEqual({
      size: 'small',
    });
  });

  it('names each bad input and rejects unknown ones', () => {
    expect(() =>
      parseDriverInputs('my-driver', schema, { size: 'huge', colour: 'red' }),
    ).toThrow(/unknown input colour for driver my-driver/);
    expect(() =>
      parseDriverInputs('my-driver', schema, { size: 'huge' }),
    ).toThrow(/^size: /);
  });
});
