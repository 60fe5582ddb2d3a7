/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { SqlDialect } from '../database/updateById';

/** How many rows a writer puts in one transaction, and how that adapts. */
export interface WriteBatchPolicy {
  initial: number;
  min: number;
  max: number;
  /** Time one transaction should take; unset: the size stays `initial`. */
  targetMs?: number;
  /** Vacuum the clusters table after a probe round rewrote its rows (PostgreSQL's MVCC). */
  vacuumAfterRound?: boolean;
}

/**
 * SQLite's transactions take its only connection (and, with a synchronous
 * driver, the event loop) while they run, so a read waits for the one in
 * progress: its batches are sized to take a few milliseconds, whatever the
 * machine. PostgreSQL's readers never wait for writers and its driver is
 * asynchronous, so its batches are large and fixed, to save round trips.
 */
export function writeBatchPolicy(
  dialect: SqlDialect | undefined,
): WriteBatchPolicy {
  return dialect === 'pg'
    ? { initial: 500, min: 500, max: 500, vacuumAfterRound: true }
    : { initial: 100, min: 10, max: 1000, targetMs: 4 };
}

/**
 * The next batch size after one of `size` rows took `elapsedMs`: toward the
 * size that would have taken the target, at most doubling or halving per
 * step (one slow transaction, a GC pause, should not swing it), within bounds.
 */
export function nextBatchSize(
  size: number,
  elapsedMs: number,
  policy: WriteBatchPolicy,
): number {
  if (policy.targetMs === undefined) return policy.initial;
  const ideal = elapsedMs > 0 ? (size * policy.targetMs) / elapsedMs : size * 2;
  const stepped = Math.min(size * 2, Math.max(size / 2, ideal));
  return Math.round(Math.min(policy.max, Math.max(policy.min, stepped)));
}

/**
 * Runs `write` over `items` a batch at a time; `write` answers how long its
 * transaction's work took (not its wait for the connection), which sizes the
 * next batch.
 */
export async function writeInBatches<T>(
  items: readonly T[],
  policy: WriteBatchPolicy,
  write: (batch: T[]) => Promise<number>,
): Promise<void> {
  let size = policy.initial;
  for (let i = 0; i < items.length; ) {
    const batch = items.slice(i, i + size);
    const elapsedMs = await write(batch);
    size = nextBatchSize(batch.length, elapsedMs, policy);
    i += batch.length;
  }
}
