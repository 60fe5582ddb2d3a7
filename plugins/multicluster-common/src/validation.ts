/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { InputError } from '@backstage/errors';
import { z } from 'zod';

/**
 * Renders zod issues as `field.path: message; …`, the form every 400 of the
 * multicluster API uses so a caller sees each bad field at once.
 * @public
 */
export function describeZodIssues(
  error: z.ZodError,
  rootName = '(root)',
): string {
  return error.issues
    .map(
      issue =>
        `${issue.path.length ? issue.path.join('.') : rootName}: ${
          issue.message
        }`,
    )
    .join('; ');
}

/**
 * Parses untrusted input with a schema; throws an InputError (HTTP 400 in a
 * Backstage backend) that names every bad field and what is allowed.
 * @public
 */
export function parseInput<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
  subject: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(
      `Invalid ${subject}: ${describeZodIssues(result.error, subject)}`,
    );
  }
  return result.data;
}
