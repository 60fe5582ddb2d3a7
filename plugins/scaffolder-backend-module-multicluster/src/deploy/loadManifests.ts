/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DeployInput } from './input';
import {
  checkParsedManifests,
  DEFAULT_MANIFEST_LIMITS,
  type ManifestLimits,
} from './manifestLimits';
import { parseManifestText } from './manifests';

/** Reads the manifests from the input text/objects or from the workspace. @internal */
export async function loadManifests(
  input: DeployInput,
  workspacePath: string,
  limits: ManifestLimits = DEFAULT_MANIFEST_LIMITS,
): Promise<unknown[]> {
  if (input.manifests !== undefined) {
    if (typeof input.manifests !== 'string') return input.manifests;
    const parsed = parseManifestText(input.manifests, 'manifests');
    checkParsedManifests(parsed, limits);
    return parsed;
  }
  const given = input.manifestsPath!;
  let target: string;
  try {
    target = resolveSafeChildPath(workspacePath, given);
  } catch {
    throw new InputError(
      `Invalid input: manifestsPath "${given}" is outside the task workspace`,
    );
  }
  const stat = await fs.stat(target).catch(() => undefined);
  if (!stat)
    throw new InputError(
      `Invalid input: manifestsPath "${given}" does not exist in the task workspace`,
    );
  const files = stat.isDirectory()
    ? (await fs.readdir(target))
        .filter(f => /\.ya?ml$/.test(f))
        .sort()
        .map(f => path.join(target, f))
    : [target];
  if (files.length === 0)
    throw new InputError(
      `Invalid input: manifestsPath "${given}" holds no .yaml or .yml file`,
    );
  const objects: unknown[] = [];
  let total = 0;
  for (const file of files) {
    // Sized before reading: a huge file is refused, not loaded.
    total += (await fs.stat(file)).size;
    if (total > limits.manifestsBytes) {
      throw new InputError(
        `Invalid input: the manifests under "${given}" are over the limit of ${limits.manifestsBytes} bytes (multicluster.limits.manifestsBytes)`,
      );
    }
    const text = await fs.readFile(file, 'utf8');
    objects.push(
      ...parseManifestText(text, path.relative(workspacePath, file) || given),
    );
  }
  checkParsedManifests(objects, limits);
  return objects;
}
