/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  formatBytes,
  formatCount,
  formatCpu,
  formatDuration,
  formatRelativeTime,
  ttlLeft,
} from './format';

describe('formatBytes', () => {
  it.each([
    [undefined, '—'],
    [-1, '—'],
    [Number.NaN, '—'],
    [0, '0 B'],
    [512, '512 B'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [1024 * 1024 - 1, '1 MiB'],
    [16 * 1024 ** 3, '16 GiB'],
    [15.6 * 1024 ** 3, '15.6 GiB'],
    [3 * 1024 ** 4, '3 TiB'],
  ])('formats %p as %p', (input, expected) => {
    expect(formatBytes(input)).toBe(expected);
  });
});

describe('formatCpu', () => {
  it.each([
    [undefined, '—'],
    [-2, '—'],
    [0, '0 cores'],
    [0.25, '250m'],
    [0.9999, '1 core'],
    [1, '1 core'],
    [4, '4 cores'],
    [3.5, '3.5 cores'],
    [12.25, '12.3 cores'],
  ])('formats %p as %p', (input, expected) => {
    expect(formatCpu(input)).toBe(expected);
  });
});

describe('formatDuration', () => {
  const s = 1000;
  const min = 60 * s;
  const h = 60 * min;
  const d = 24 * h;
  it.each([
    [-1, '—'],
    [0, '0 s'],
    [30 * s, '30 s'],
    [45 * min + 59 * s, '45 min'],
    [3 * h, '3 h'],
    [3 * h + 15 * min, '3 h 15 min'],
    [2 * d, '2 d'],
    [2 * d + 4 * h + 59 * min, '2 d 4 h'],
  ])('formats %p ms as %p', (input, expected) => {
    expect(formatDuration(input)).toBe(expected);
  });
});

describe('formatRelativeTime', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it.each([
    [undefined, 'never'],
    ['not a date', 'never'],
    ['2026-03-01T11:59:55Z', 'just now'],
    ['2026-03-01T11:59:30Z', '30 s ago'],
    ['2026-03-01T11:55:00Z', '5 min ago'],
    ['2026-03-01T09:00:00Z', '3 h ago'],
    ['2026-02-26T12:00:00Z', '3 d ago'],
    ['2026-03-01T15:00:00Z', 'in 3 h'],
  ])('formats %p as %p', (input, expected) => {
    expect(formatRelativeTime(input, now)).toBe(expected);
  });
});

describe('ttlLeft', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it('has no TTL without an expiry', () => {
    expect(ttlLeft(undefined, now)).toEqual({ text: 'no TTL', expired: false });
  });
  it('is expired at or after the expiry', () => {
    expect(ttlLeft('2026-03-01T12:00:00Z', now)).toEqual({
      text: 'expired',
      expired: true,
      ms: 0,
    });
    expect(ttlLeft('2026-03-01T11:00:00Z', now).expired).toBe(true);
  });
  it('says what is left', () => {
    expect(ttlLeft('2026-03-01T15:10:00Z', now)).toEqual({
      text: '3 h 10 min left',
      expired: false,
      ms: (3 * 60 + 10) * 60 * 1000,
    });
  });
});

describe('formatCount', () => {
  it('groups thousands', () => {
    expect(formatCount(5000)).toBe('5,000');
    expect(formatCount(0)).toBe('0');
  });
});
