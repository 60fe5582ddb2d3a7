/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { DeferredEntity } from '@backstage/plugin-catalog-node';
import { createHash } from 'node:crypto';

/** What one round published: each entity's ref and content hash, by location key. @public */
export type PublishedEntities = Map<
  string,
  { entityRef: string; hash: string }
>;

/** An entity the provider publishes, with the location key it is tracked by. @public */
export type KeyedEntity = DeferredEntity & { locationKey: string };

/**
 * The delta from what was published to what should be: entities that are new
 * or whose content changed are `added` (the catalog upserts them), those that
 * are gone are `removed`. Pure, so it is table-tested; a hash keeps 10,000
 * entities' memory small.
 * @public
 */
export function planDelta(
  previous: PublishedEntities,
  next: KeyedEntity[],
): {
  added: KeyedEntity[];
  removed: Array<{ entityRef: string; locationKey: string }>;
  published: PublishedEntities;
} {
  const published: PublishedEntities = new Map();
  const added: KeyedEntity[] = [];
  for (const item of next) {
    const hash = createHash('sha256')
      .update(JSON.stringify(item.entity))
      .digest('base64');
    const entityRef = stringifyEntityRef(item.entity);
    published.set(item.locationKey, { entityRef, hash });
    const before = previous.get(item.locationKey);
    if (!before || before.hash !== hash || before.entityRef !== entityRef)
      added.push(item);
  }
  const removed: Array<{ entityRef: string; locationKey: string }> = [];
  for (const [locationKey, before] of previous) {
    const now = published.get(locationKey);
    // A location key whose entity was renamed drops its old entity too.
    if (!now || now.entityRef !== before.entityRef)
      removed.push({ entityRef: before.entityRef, locationKey });
  }
  return { added, removed, published };
}
