/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs `run` with a deadline: after `ms` its signal aborts and the call
 * rejects with `message`, even when `run` ignores the signal (a provider or a
 * credential resolver that never settles cannot hold up a round).
 */
export async function withTimeout<T>(
  run: (signal: AbortSignal) => Promise<T>,
  ms: number,
  message: string,
): Promise<T> {
  const work = new AbortController();
  const timer = new AbortController();
  try {
    return await Promise.race([
      run(work.signal),
      sleep(ms, undefined, { signal: timer.signal }).then(() => {
        work.abort();
        throw new Error(message);
      }),
    ]);
  } finally {
    timer.abort();
  }
}
