/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { withTimeout } from './timeout';

describe('withTimeout', () => {
  it('returns what finishes in time', async () => {
    await expect(withTimeout(async () => 42, 1000, 'late')).resolves.toBe(42);
  });

  it('passes failures through', async () => {
    await expect(
      withTimeout(
        async () => {
          throw new Error('boom');
        },
        1000,
        'late',
      ),
    ).rejects.toThrow('boom');
  });

  it('rejects with the message and aborts the signal of what never settles', async () => {
    let seen: AbortSignal | undefined;
    const started = Date.now();
    await expect(
      withTimeout(
        signal => {
          seen = signal;
          return new Promise(() => undefined);
        },
        50,
        'gave no answer within 50 ms',
      ),
    ).rejects.toThrow('gave no answer within 50 ms');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(seen?.aborted).toBe(true);
  });

  it('disarms its timer once the work is done', async () => {
    const timers = () =>
      process.getActiveResourcesInfo().filter(r => r === 'Timeout').length;
    const before = timers();
    await expect(
      withTimeout(() => sleep(1, 'done'), 60_000, 'late'),
    ).resolves.toBe('done');
    // No 60 s timer is left armed to keep the process alive.
    expect(timers()).toBe(before);
  });
});
