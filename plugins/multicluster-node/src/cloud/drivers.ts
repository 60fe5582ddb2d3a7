/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { z } from 'zod';

// Helpers shared by the cloud component drivers (aws, azure).

/** Splits an IPv4 CIDR into `count` equal blocks (count rounded up to a power of two). */
export function splitCidr(cidr: string, count: number): string[] {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) throw new Error(`"${cidr}" is not an IPv4 CIDR`);
  const base = m.slice(1, 5).reduce((acc, o) => acc * 256 + Number(o), 0);
  const prefix = Number(m[5]) + Math.ceil(Math.log2(Math.max(1, count)));
  if (prefix > 28) throw new Error(`${cidr} is too small for ${count} subnets`);
  const size = 2 ** (32 - prefix);
  return Array.from({ length: count }, (_, i) => {
    const start = base + i * size;
    return `${[24, 16, 8, 0]
      .map(s => Math.floor(start / 2 ** s) % 256)
      .join('.')}/${prefix}`;
  });
}

/**
 * Parses inputs with a zod schema; the error names each input and what is
 * allowed, and unknown inputs are rejected.
 */
export function parseDriverInputs<S extends z.ZodTypeAny>(
  driver: string,
  schema: S,
  inputs: unknown,
): z.output<S> {
  const result = schema.safeParse(inputs);
  if (!result.success) {
    throw new Error(
      result.error.issues
        .map(i =>
          i.code === z.ZodIssueCode.unrecognized_keys
            ? `unknown input ${i.keys.join(', ')} for driver ${driver}`
            : `${i.path.join('.') || '(inputs)'}: ${i.message}`,
        )
        .join('; '),
    );
  }
  return result.data;
}
