/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/** Bounds and tuning of {@link AimdLimit}. */
export interface AimdOptions {
  /** Where a round starts (`multicluster.health.concurrency`). */
  initial: number;
  /** Never below this (at least 1). */
  min: number;
  /** Never above this (`multicluster.health.maxConcurrency`). */
  max: number;
  /**
   * A window whose median latency exceeds the best median seen by this factor
   * (default 2) is congestion: the backend, the network or the servers are saturated.
   */
  latencyTolerance?: number;
  /** Slack added to the tolerated latency (default 50 ms), so a 2 ms baseline does not trip on 5 ms. */
  latencySlackMs?: number;
  /** A window with more than this share of timeouts and resets is congestion too. */
  maxFailureShare?: number;
}

/** One finished probe, as the limit sees it. */
export interface AimdSample {
  /** Latency of the first answered request of the probe. */
  latencyMs: number;
  /** Timed out or reset: a sign of overload when many at once (a dead cluster is one). */
  failed: boolean;
}

/**
 * Additive increase, multiplicative decrease of a probe round's concurrency,
 * decided once per window of `limit` finished probes: +1/8 of the limit (at least
 * one) while latency stays within twice the best seen (+50 ms) and at most half
 * the probes fail; × 0.7 when
 * the median latency rises beyond the tolerance or failures pile up. A fleet of
 * slow but idle servers is probed wider; a saturated backend or network narrower.
 * Pure: no clock, no I/O.
 */
export class AimdLimit {
  private current: number;
  private bestMedianMs = Infinity;
  private window: AimdSample[] = [];
  private readonly options: Required<AimdOptions>;

  constructor(options: AimdOptions) {
    const min = Math.max(1, Math.floor(options.min));
    const max = Math.max(min, Math.floor(options.max));
    this.options = {
      latencyTolerance: 2,
      latencySlackMs: 50,
      maxFailureShare: 0.5,
      ...options,
      min,
      max,
    };
    this.current = Math.min(max, Math.max(min, Math.floor(options.initial)));
  }

  get limit(): number {
    return this.current;
  }

  /** Records a finished probe; returns the limit, changed when a window closed. */
  record(sample: AimdSample): number {
    this.window.push(sample);
    if (this.window.length < this.current) return this.current;
    const samples = this.window;
    this.window = [];
    const answered = samples
      .filter(s => !s.failed)
      .map(s => s.latencyMs)
      .sort((a, b) => a - b);
    const failures = samples.length - answered.length;
    const median = answered.length
      ? answered[Math.floor(answered.length / 2)]
      : Infinity;
    const { latencyTolerance, latencySlackMs, maxFailureShare, min, max } =
      this.options;
    const congested =
      failures / samples.length > maxFailureShare ||
      (Number.isFinite(this.bestMedianMs) &&
        median > this.bestMedianMs * latencyTolerance + latencySlackMs);
    if (Number.isFinite(median))
      this.bestMedianMs = Math.min(this.bestMedianMs, median);
    this.current = congested
      ? Math.max(min, Math.floor(this.current * 0.7))
      : Math.min(max, this.current + Math.max(1, Math.floor(this.current / 8)));
    return this.current;
  }
}

/**
 * Maps `items` in order with at most `limit()` calls in flight, asking the limit
 * again whenever a call finishes (p-limit's concurrency is fixed). Results keep
 * input order; `fn` must not throw (a throw rejects the whole map).
 */
export async function mapWithAdaptiveConcurrency<T, R>(
  items: readonly T[],
  limit: () => number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let active = 0;
  return new Promise<R[]>((resolve, reject) => {
    let failed = false;
    const settle = (index: number, result: R) => {
      results[index] = result;
      active -= 1;
      pump();
    };
    const fail = (error: unknown) => {
      failed = true;
      reject(error);
    };
    const startOne = () => {
      const index = next++;
      active += 1;
      fn(items[index], index).then(result => settle(index, result), fail);
    };
    function pump() {
      if (failed) return;
      if (next >= items.length && active === 0) {
        resolve(results);
        return;
      }
      while (active < Math.max(1, limit()) && next < items.length) startOne();
    }
    pump();
  });
}
