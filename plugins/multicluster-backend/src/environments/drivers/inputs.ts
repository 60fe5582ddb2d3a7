/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { z } from 'zod';

/**
 * Parses driver inputs with a zod schema; the error names each input and what
 * is allowed (`nodes: must be an integer between 1 and 50`). Unknown inputs
 * are rejected so a typo does not silently fall back to a default.
 */
export function parseDriverInputs<S extends z.ZodTypeAny>(
  driver: string,
  schema: S,
  inputs: unknown,
): z.output<S> {
  const result = schema.safeParse(inputs);
  if (!result.success) {
    const problems = result.error.issues
      .map(i => {
        if (i.code === z.ZodIssueCode.unrecognized_keys) {
          const allowed =
            schema instanceof z.ZodObject
              ? Object.keys(schema.shape).join(', ')
              : '';
          return `unknown input${i.keys.length > 1 ? 's' : ''} ${i.keys.join(
            ', ',
          )} for driver ${driver}${allowed ? `; allowed: ${allowed}` : ''}`;
        }
        return `${i.path.join('.') || '(inputs)'}: ${i.message}`;
      })
      .join('; ');
    throw new Error(problems);
  }
  return result.data;
}

export const intBetween = (name: string, min: number, max: number) =>
  z
    .number({
      invalid_type_error: `must be a whole number between ${min} and ${max}`,
    })
    .int(`must be a whole number between ${min} and ${max}`)
    .min(min, `must be a whole number between ${min} and ${max}`)
    .max(max, `must be a whole number between ${min} and ${max}`)
    .describe(name);

/** Kubernetes resource quantities such as `4`, `500m`, `16Gi`. */
export const quantity = z
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
