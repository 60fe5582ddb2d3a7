/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AimdLimit,
  type AimdSample,
  mapWithAdaptiveConcurrency,
} from './adaptiveConcurrency';

/** Feeds whole windows of `sample` and returns the limit after each. */
function windows(limit: AimdLimit, samples: AimdSample[][]): number[] {
  return samples.map(window => {
    let value = limit.limit;
    const size = limit.limit;
    for (let i = 0; i < size; i++)
      value = limit.record(window[i % window.length]);
    return value;
  });
}

const ok = (latencyMs: number): AimdSample => ({ latencyMs, failed: false });
const failed: AimdSample = { latencyMs: 5000, failed: true };

describe('AimdLimit', () => {
  it.each([
    {
      name: 'widens by an eighth per window while latency holds',
      windows: [[ok(100)], [ok(100)], [ok(105)]],
      expected: [36, 40, 45],
    },
    {
      name: 'narrows to 70% when the median latency climbs',
      windows: [[ok(100)], [ok(400)], [ok(100)]],
      expected: [36, 25, 28],
    },
    {
      name: 'tolerates 2x plus 50 ms',
      windows: [[ok(100)], [ok(250)]],
      expected: [36, 40],
    },
    {
      name: 'narrows when most probes fail',
      windows: [
        [failed, failed, ok(100)],
        [failed, ok(100), ok(100)],
      ],
      expected: [22, 24],
    },
    {
      name: 'ignores a minority of dead clusters',
      windows: [[failed, ok(100), ok(100), ok(100)]],
      expected: [36],
    },
  ])('$name', ({ windows: samples, expected }) => {
    const limit = new AimdLimit({ initial: 32, min: 8, max: 128 });
    expect(windows(limit, samples)).toEqual(expected);
  });

  it('stays within its bounds', () => {
    const up = new AimdLimit({ initial: 32, min: 8, max: 40 });
    expect(windows(up, [[ok(1)], [ok(1)], [ok(1)], [ok(1)]])).toEqual([
      36, 40, 40, 40,
    ]);
    const down = new AimdLimit({ initial: 32, min: 8, max: 40 });
    expect(windows(down, [[failed], [failed], [failed], [failed]])).toEqual([
      22, 15, 10, 8,
    ]);
    const fixed = new AimdLimit({ initial: 32, min: 32, max: 32 });
    expect(windows(fixed, [[ok(1)], [failed]])).toEqual([32, 32]);
    expect(new AimdLimit({ initial: 500, min: 0, max: 64 }).limit).toBe(64);
  });
});

describe('mapWithAdaptiveConcurrency', () => {
  it('keeps order and never exceeds the limit it is given at each start', async () => {
    let active = 0;
    let peak = 0;
    let limit = 2;
    const seen: number[] = [];
    const results = await mapWithAdaptiveConcurrency(
      Array.from({ length: 20 }, (_, i) => i),
      () => limit,
      async item => {
        active += 1;
        peak = Math.max(peak, active);
        seen.push(active);
        await sleep(2);
        if (item === 5) limit = 5;
        active -= 1;
        return item * 2;
      },
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    expect(seen.slice(0, 2)).toEqual([1, 2]);
    expect(peak).toBe(5);
  });

  it('answers an empty list and passes a failure on', async () => {
    await expect(
      mapWithAdaptiveConcurrency(
        [],
        () => 4,
        async () => 1,
      ),
    ).resolves.toEqual([]);
    await expect(
      mapWithAdaptiveConcurrency(
        [1, 2],
        () => 1,
        async () => {
          throw new Error('bug');
        },
      ),
    ).rejects.toThrow('bug');
  });
});
