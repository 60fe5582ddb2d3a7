/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { InputError } from '@backstage/errors';
import type { ZodError, ZodIssue } from 'zod';

/** `a.b[0].c` for a zod issue path under `root`. @public */
export function configPath(
  root: string,
  path: ReadonlyArray<string | number>,
): string {
  return path.reduce<string>(
    (acc, part) =>
      typeof part === 'number' ? `${acc}[${part}]` : `${acc}.${part}`,
    root,
  );
}

function describeIssue(root: string, issue: ZodIssue): string {
  const key = configPath(root, issue.path);
  if (issue.code === 'unrecognized_keys') {
    return `${key}: unknown key(s) ${issue.keys.map(k => `'${k}'`).join(', ')}`;
  }
  return `${key}: ${issue.message}`;
}

/**
 * A startup error naming every bad key, e.g.
 * `Invalid config: multicluster.providers.aws.prod.regions[0]: …`.
 * Messages never echo config values, which may be secrets.
 * @public
 */
export function configError(root: string, error: ZodError): InputError {
  const lines = error.issues.map(issue => describeIssue(root, issue));
  return new InputError(`Invalid config: ${lines.join('; ')}`);
}
