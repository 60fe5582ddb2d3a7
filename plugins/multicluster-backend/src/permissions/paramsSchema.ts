/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ZodType } from 'zod';

/**
 * A rule's parameter schema as the permission framework wants it: a Standard
 * Schema that validates (here with zod) and describes itself as JSON Schema
 * (written out, since this package's zod v3 predates Standard JSON Schema).
 */
export function ruleParamsSchema<TParams>(
  zod: ZodType<TParams, any, any>,
  jsonSchema: Record<string, unknown>,
) {
  return {
    '~standard': {
      version: 1 as const,
      vendor: 'archipelago',
      validate: (value: unknown) => {
        const result = zod.safeParse(value);
        return result.success
          ? { value: result.data }
          : {
              issues: result.error.issues.map(i => ({
                message: i.message,
                path: i.path,
              })),
            };
      },
      jsonSchema: {
        input: () => jsonSchema,
        output: () => jsonSchema,
      },
      types: undefined as unknown as { input: TParams; output: TParams },
    },
  };
}
