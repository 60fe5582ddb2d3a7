/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

// Helpers shared by component drivers (local, aws, azure, …).

/**
 * Parses driver inputs with a zod schema; the error names each input and what
 * is allowed (`nodes: must be a whole number between 1 and 50`). Unknown inputs
 * are rejected, listing the allowed ones, so a typo does not silently fall back
 * to a default.
 * @public
 */
export function parseDriverInputs<S extends z.ZodTypeAny>(
  driver: string,
  schema: S,
  inputs: unknown,
): z.output<S> {
  const result = schema.safeParse(inputs);
  if (!result.success) {
    const problems = result.error.issues.map(i => {
      if (i.code === z.ZodIssueCode.unrecognized_keys) {
        // Duck-typed: the caller's zod may be another copy than this package's.
        const shape = (schema as { shape?: unknown }).shape;
        const allowed =
          shape && typeof shape === 'object'
            ? Object.keys(shape).join(', ')
            : '';
        return `unknown input${i.keys.length > 1 ? 's' : ''} ${i.keys.join(
          ', ',
        )} for driver ${driver}${allowed ? `; allowed: ${allowed}` : ''}`;
      }
      return `${i.path.join('.') || '(inputs)'}: ${i.message}`;
    });
    throw new Error(problems.join('; '));
  }
  return result.data;
}

/**
 * A whole-number input between `min` and `max`, with a message saying so.
 * @public
 */
export function intBetween(name: string, min: number, max: number) {
  const message = `must be a whole number between ${min} and ${max}`;
  return z
    .number({ invalid_type_error: message })
    .int(message)
    .min(min, message)
    .max(max, message)
    .describe(name);
}

/**
 * A Kubernetes resource quantity such as `4`, `500m` or `16Gi`, as a string.
 * @public
 */
export const quantityInput = z
  .union([
    z
      .string()
      .regex(
        /^[0-9.]+([mkMGTPE]|[KMGTPE]i)?$/,
        'must be a quantity such as 4, 500m or 16Gi',
      ),
    z.number().positive(),
  ])
  .transform(v => String(v));

const PASSWORD_ALPHABET =
  'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/**
 * A random password of letters and digits (no look-alikes), accepted by every
 * database service: PostgreSQL, RDS (no `/`, `"`, `@` or space) and Azure.
 * @public
 */
export function generatePassword(length = 32): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  // Rejection sampling keeps the distribution uniform.
  for (let i = 0; i < bytes.length && out.length < length; i++) {
    if (bytes[i] < 256 - (256 % PASSWORD_ALPHABET.length))
      out += PASSWORD_ALPHABET[bytes[i] % PASSWORD_ALPHABET.length];
  }
  return out.length === length
    ? out
    : out + generatePassword(length - out.length);
}
