/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import pLimit from 'p-limit';

/**
 * Maps `items` with at most `limit` calls in flight, keeping input order. Cloud
 * APIs throttle bursts and probes must not open thousands of sockets at once, so
 * fan-out is always bounded.
 * @public
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const run = pLimit(limit);
  return Promise.all(items.map((item, index) => run(() => fn(item, index))));
}
