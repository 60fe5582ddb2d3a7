/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';
import { z } from 'zod';
import { InputError } from '@backstage/errors';
import { configError, configPath } from './configErrors';
import { isValidLabelKey, isValidLabelValue } from './labels';

// Config shapes shared by the cloud modules (aws, azure, gcp, …), so every
// module names its keys, checks labels and URLs and reports errors alike.

const PROVIDER_KEY = /^[a-z0-9]([-a-z0-9_]{0,61}[a-z0-9])?$/;

/**
 * Cluster labels set in config: valid Kubernetes label keys and values.
 * @public
 */
export const configLabelsSchema = z
  .record(
    z
      .string()
      .refine(isValidLabelKey, 'keys must be valid Kubernetes label keys'),
    z
      .string()
      .refine(isValidLabelValue, 'must be a valid Kubernetes label value'),
  )
  .optional();

/**
 * An http(s) URL. `prepare` rewrites the value before it is checked, for
 * placeholders such as `{region}`.
 * @public
 */
export function httpUrlSchema(
  message = 'must be an http(s) URL',
  prepare: (value: string) => string = v => v,
) {
  return z.string().refine(value => {
    try {
      const url = new URL(prepare(value));
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, message);
}

/**
 * Adds an issue at each value that appeared before in `values` (a region or
 * project listed twice).
 * @public
 */
export function refineUnique(
  ctx: z.RefinementCtx,
  values: string[],
  path: (index: number) => Array<string | number>,
  message: (value: string) => string,
): void {
  values.forEach((value, index) => {
    if (values.indexOf(value) !== index) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: path(index),
        message: message(value),
      });
    }
  });
}

/**
 * Reads a record of named provider entries (`multicluster.providers.aws.<key>`):
 * an empty list when the key is absent, an InputError naming every bad key
 * otherwise. Values are never echoed, since entries hold credentials.
 * @public
 */
export function readProviderEntries<S extends z.ZodTypeAny>(
  config: Config,
  root: string,
  entry: S,
): Array<[string, z.output<S>]> {
  const raw = config.getOptional(root);
  if (raw === undefined) return [];
  // Entry by entry rather than z.record(key, entry): the module's zod may be
  // another copy than this package's, and schemas of two copies do not compose.
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(
      `Invalid config: ${root}: must be an object of named entries`,
    );
  }
  const problems: string[] = [];
  const out: Array<[string, z.output<S>]> = [];
  for (const [key, value] of Object.entries(raw)) {
    if (!PROVIDER_KEY.test(key)) {
      problems.push(
        `${configPath(root, [
          key,
        ])}: provider keys must be lowercase letters, digits, - and _`,
      );
      continue;
    }
    const parsed = entry.safeParse(value);
    if (parsed.success) out.push([key, parsed.data]);
    else
      problems.push(
        configError(configPath(root, [key]), parsed.error).message.replace(
          /^Invalid config: /,
          '',
        ),
      );
  }
  if (problems.length)
    throw new InputError(`Invalid config: ${problems.join('; ')}`);
  return out;
}

/**
 * Reads a module's settings object (`multicluster.environments.aws`):
 * undefined when absent, an InputError naming every bad key otherwise.
 * @public
 */
export function readModuleConfig<S extends z.ZodTypeAny>(
  config: Config,
  root: string,
  schema: S,
): z.output<S> | undefined {
  const raw = config.getOptional(root);
  if (raw === undefined) return undefined;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw configError(root, parsed.error);
  return parsed.data;
}
