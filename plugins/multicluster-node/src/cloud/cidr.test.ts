/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  cidrsOverlap,
  formatCidr,
  nthBlock,
  parseCidr,
  splitCidr,
} from './cidr';

describe('parseCidr and formatCidr', () => {
  it.each([
    ['10.64.0.0/10', { base: 10 * 2 ** 24 + 64 * 2 ** 16, prefix: 10 }],
    ['192.168.4.0/24', { base: 3232236544, prefix: 24 }],
    ['0.0.0.0/0', { base: 0, prefix: 0 }],
    [' 10.0.0.0/8 ', { base: 10 * 2 ** 24, prefix: 8 }],
  ])('%s', (text, cidr) => {
    expect(parseCidr(text)).toEqual(cidr);
    expect(formatCidr(cidr)).toBe(text.trim());
  });

  it.each([
    ['10.0.0.0', /is not an IPv4 CIDR such as 10.64.0.0\/10/],
    ['10.0.0.256/16', /is not an IPv4 CIDR/],
    ['10.0.0.0/33', /is not an IPv4 CIDR/],
    ['0x0a.0.0.0/8', /is not an IPv4 CIDR/],
    ['fd00::/8', /is not an IPv4 CIDR/],
    ['10.0.1.0/16', /has host bits set; the network is 10.0.0.0\/16/],
  ])('refuses %s', (text, message) => {
    expect(() => parseCidr(text)).toThrow(message);
  });
});

describe('nthBlock', () => {
  const pool = parseCidr('10.64.0.0/10');
  it.each([
    [20, 0, '10.64.0.0/20'],
    [20, 1, '10.64.16.0/20'],
    [20, 1023, '10.127.240.0/20'],
    [10, 0, '10.64.0.0/10'],
  ])('/%i #%i is %s', (prefix, index, expected) => {
    expect(formatCidr(nthBlock(pool, prefix, index)!)).toBe(expected);
  });

  it.each([
    [20, 1024],
    [20, -1],
    [8, 0],
    [33, 0],
  ])('/%i #%i is past the pool', (prefix, index) => {
    expect(nthBlock(pool, prefix, index)).toBeUndefined();
  });
});

describe('cidrsOverlap', () => {
  it.each([
    ['10.0.0.0/16', '10.0.128.0/17', true],
    ['10.0.0.0/17', '10.0.128.0/17', false],
    ['10.0.0.0/8', '10.200.0.0/16', true],
    ['10.1.0.0/16', '10.0.0.0/16', false],
  ])('%s and %s: %s', (a, b, expected) => {
    expect(cidrsOverlap(parseCidr(a), parseCidr(b))).toBe(expected);
    expect(cidrsOverlap(parseCidr(b), parseCidr(a))).toBe(expected);
  });
});

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
    ['10.0.0.0', 2, {}, /not an IPv4 CIDR/],
    ['10.0.0.0/28', 2, {}, /too small for 2 subnets/],
    ['10.0.0.0/28', 8, { maxPrefix: 30 }, /too small for 8 subnets/],
  ])('refuses %s into %i (%j)', (cidr, count, options, message) => {
    expect(() => splitCidr(cidr, count, options)).toThrow(message);
  });

  it('goes down to /30 when allowed', () => {
    expect(splitCidr('10.0.0.0/28', 4, { maxPrefix: 30 })).toEqual([
      '10.0.0.0/30',
      '10.0.0.4/30',
      '10.0.0.8/30',
      '10.0.0.12/30',
    ]);
  });
});
