/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { mapWithConcurrency } from './concurrency';

describe('mapWithConcurrency', () => {
  it('keeps input order and never exceeds the limit', async () => {
    let active = 0;
    let peak = 0;
    const results = await mapWithConcurrency(
      Array.from({ length: 20 }, (_, i) => i),
      4,
      async i => {
        active++;
        peak = Math.max(peak, active);
        await sleep((i % 3) + 1);
        active--;
        return i * 2;
      },
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    expect(peak).toBe(4);
  });

  it('runs one at a time in submission order with a limit of 1', async () => {
    const order: number[] = [];
    await mapWithConcurrency([3, 1, 2], 1, async i => {
      await sleep(i);
      order.push(i);
    });
    expect(order).toEqual([3, 1, 2]);
  });

  it('passes failures through and refuses a limit below 1', async () => {
    await expect(
      mapWithConcurrency([1], 2, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(mapWithConcurrency([1], 0, async i => i)).rejects.toThrow();
  });

  it('maps nothing to nothing', async () => {
    expect(await mapWithConcurrency([], 3, async i => i)).toEqual([]);
  });
});
