/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createLimiter, mapWithConcurrency } from './limiter';

describe('createLimiter', () => {
  it('never runs more than the limit at once and keeps order of results', async () => {
    let active = 0;
    let peak = 0;
    const results = await mapWithConcurrency(
      Array.from({ length: 50 }, (_, i) => i),
      4,
      async i => {
        active++;
        peak = Math.max(peak, active);
        await new Promise(r => setTimeout(r, (i % 3) + 1));
        active--;
        return i * 2;
      },
    );
    expect(peak).toBe(4);
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
  });

  it('frees a slot when a task throws, synchronously or not', async () => {
    const limit = createLimiter(1);
    await expect(
      limit(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    await expect(
      limit(async () => {
        throw new Error('async');
      }),
    ).rejects.toThrow('async');
    await expect(limit(async () => 'next')).resolves.toBe('next');
    expect(limit.active).toBe(0);
    expect(limit.pending).toBe(0);
  });

  it('rejects nonsense concurrency', () => {
    expect(() => createLimiter(0)).toThrow(RangeError);
    expect(() => createLimiter(1.5)).toThrow(RangeError);
  });
});
