/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  DEFAULT_MULTICLUSTER_LIMITS,
  limitKey,
  type MulticlusterLimits,
} from '@archipelago/multicluster-common';
import { InputError } from '@backstage/errors';

/** The limits a deploy's manifests must keep, from `multicluster.limits`. @public */
export type ManifestLimits = Pick<
  MulticlusterLimits,
  'manifestsBytes' | 'manifestsObjects' | 'manifestObjectBytes'
>;

/** The default manifest limits, those of `multicluster.limits`. @public */
export const DEFAULT_MANIFEST_LIMITS: ManifestLimits = {
  manifestsBytes: DEFAULT_MULTICLUSTER_LIMITS.manifestsBytes,
  manifestsObjects: DEFAULT_MULTICLUSTER_LIMITS.manifestsObjects,
  manifestObjectBytes: DEFAULT_MULTICLUSTER_LIMITS.manifestObjectBytes,
};

const over = (
  what: string,
  value: number,
  name: keyof ManifestLimits,
  limit: number,
) =>
  new InputError(
    `Invalid input: manifests: ${what} ${value} is over the limit of ${limit} (${limitKey(
      name,
    )})`,
  );

/**
 * Checks the raw `manifests` input in either form before anything parses or
 * validates it: YAML text by bytes; a list of objects by count, total bytes
 * and bytes per object (a real API server refuses objects over 1 MiB).
 * @public
 */
export function checkRawManifests(
  value: unknown,
  limits: ManifestLimits,
): void {
  if (typeof value === 'string') {
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > limits.manifestsBytes)
      throw over(
        'YAML text of',
        bytes,
        'manifestsBytes',
        limits.manifestsBytes,
      );
    return;
  }
  if (!Array.isArray(value)) return;
  if (value.length > limits.manifestsObjects)
    throw over(
      'a list of',
      value.length,
      'manifestsObjects',
      limits.manifestsObjects,
    );
  checkObjects(value, limits);
}

/** Checks parsed objects (from YAML text or files): count, total and per-object bytes. @public */
export function checkParsedManifests(
  objects: unknown[],
  limits: ManifestLimits,
): void {
  if (objects.length > limits.manifestsObjects)
    throw over(
      'a count of',
      objects.length,
      'manifestsObjects',
      limits.manifestsObjects,
    );
  checkObjects(objects, limits);
}

function checkObjects(objects: unknown[], limits: ManifestLimits): void {
  let total = 0;
  objects.forEach((object, i) => {
    const bytes = Buffer.byteLength(JSON.stringify(object) ?? '', 'utf8');
    if (bytes > limits.manifestObjectBytes) {
      throw new InputError(
        `Invalid input: manifests.${i} is ${bytes} bytes, over the limit of ${
          limits.manifestObjectBytes
        } per object (${limitKey('manifestObjectBytes')})`,
      );
    }
    total += bytes;
    if (total > limits.manifestsBytes)
      throw over('a total of', total, 'manifestsBytes', limits.manifestsBytes);
  });
}
