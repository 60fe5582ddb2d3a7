/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';
import {
  CLUSTER_HEALTHS,
  type ClusterHealth,
} from '@archipelago/multicluster-common';
import { DEFAULT_LOCATOR_HEALTHS } from './chooseEntityClusters';
import type { MulticlusterServiceLocatorOptions } from './MulticlusterServiceLocator';

const KEY = 'kubernetes.multicluster.serviceLocator';
const KEYS = new Set(['enabled', 'healths', 'timeoutSeconds']);

/**
 * `kubernetes.multicluster.serviceLocator`, validated (a bad value names the
 * key and what is allowed); undefined when the entity-scoped locator is not
 * enabled, and the Kubernetes plugin uses `kubernetes.serviceLocatorMethod`.
 * @internal
 */
export function readServiceLocatorOptions(
  own: Config | undefined,
): MulticlusterServiceLocatorOptions | undefined {
  const c = own?.getOptionalConfig('serviceLocator');
  if (!c) return undefined;
  for (const key of c.keys()) {
    if (!KEYS.has(key)) {
      throw new Error(
        `${KEY}.${key} is not an option; allowed: ${[...KEYS].join(', ')}`,
      );
    }
  }
  if (!(c.getOptionalBoolean('enabled') ?? false)) return undefined;
  const healths = c.getOptionalStringArray('healths') ?? [
    ...DEFAULT_LOCATOR_HEALTHS,
  ];
  const bad = healths.find(
    h => !(CLUSTER_HEALTHS as readonly string[]).includes(h),
  );
  if (bad !== undefined || healths.length === 0) {
    throw new Error(
      `${KEY}.healths must list one or more of ${CLUSTER_HEALTHS.join(', ')}${
        bad !== undefined ? `; got "${bad}"` : ''
      }`,
    );
  }
  const timeoutSeconds = c.getOptionalNumber('timeoutSeconds') ?? 15;
  if (
    !Number.isFinite(timeoutSeconds) ||
    timeoutSeconds < 1 ||
    timeoutSeconds > 120
  ) {
    throw new Error(`${KEY}.timeoutSeconds must be a number from 1 to 120`);
  }
  return {
    healths: [...new Set(healths)] as ClusterHealth[],
    timeoutMs: timeoutSeconds * 1000,
  };
}
