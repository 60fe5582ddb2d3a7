/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/**
 * Parses a Kubernetes resource quantity (`250m`, `16Gi`, `1e3`, `128974848`) into
 * a plain number of base units. Returns undefined for anything malformed rather
 * than guessing, so one odd node cannot poison a cluster's totals.
 */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match =
    /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(
      value.trim(),
    );
  if (!match) return undefined;
  const [, num, exponent, suffix] = match;
  const base = Number(num);
  if (exponent) return base * 10 ** Number(exponent.slice(1));
  if (suffix && suffix in BINARY) return base * BINARY[suffix];
  return base * DECIMAL[suffix ?? ''];
}
