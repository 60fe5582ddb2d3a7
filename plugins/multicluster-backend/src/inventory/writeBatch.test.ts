/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  nextBatchSize,
  writeBatchPolicy,
  writeInBatches,
  type WriteBatchPolicy,
} from './writeBatch';

const sqlite = writeBatchPolicy('sqlite');
const pg = writeBatchPolicy('pg');

describe('writeBatchPolicy', () => {
  it.each([
    ['pg', { initial: 500, min: 500, max: 500, vacuumAfterRound: true }],
    ['sqlite', { initial: 100, min: 10, max: 1000, targetMs: 4 }],
    [undefined, { initial: 100, min: 10, max: 1000, targetMs: 4 }],
  ] as const)('%s: %j', (dialect, policy) => {
    expect(writeBatchPolicy(dialect)).toEqual(policy);
  });
});

describe('nextBatchSize', () => {
  it.each<[string, number, number, WriteBatchPolicy, number]>([
    ['on target: unchanged', 100, 4, sqlite, 100],
    ['twice as slow: halved', 100, 8, sqlite, 50],
    ['ten times as slow: halved, not more', 100, 40, sqlite, 50],
    ['a bit fast: toward the target', 100, 3.2, sqlite, 125],
    ['much faster: doubled, not more', 100, 0.5, sqlite, 200],
    ['no measurable time: doubled', 100, 0, sqlite, 200],
    ['never above max', 800, 1, sqlite, 1000],
    ['never below min', 12, 100, sqlite, 10],
    ['no target (PostgreSQL): fixed', 500, 400, pg, 500],
  ])('%s', (_case, size, elapsedMs, policy, expected) => {
    expect(nextBatchSize(size, elapsedMs, policy)).toBe(expected);
  });
});

describe('writeInBatches', () => {
  it.each<[string, WriteBatchPolicy, number[], number[]]>([
    // Each batch reports its time: on target, then slow (halves), then fast (doubles).
    ['adapts to the reported times', sqlite, [4, 8, 1, 4], [100, 100, 50, 100]],
    ['a fixed policy keeps its size', pg, [1, 1], [300]],
    ['the last batch is what is left', sqlite, [4, 4, 4, 4], [100, 100, 100]],
  ])('%s', async (_case, policy, times, sizes) => {
    const total = sizes.reduce((a, b) => a + b, 0);
    const items = Array.from({ length: total }, (_, i) => i);
    const seen: number[][] = [];
    await writeInBatches(items, policy, async batch => {
      seen.push(batch);
      return times[seen.length - 1];
    });
    expect(seen.flat()).toEqual(items);
    expect(seen.map(b => b.length)).toEqual(sizes);
  });
});
