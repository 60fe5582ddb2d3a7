/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { KeyedEntity, PublishedEntities } from './delta';

/** One delta mutation of a round. @public */
export interface DeltaBatch {
  /** Entities the catalog upserts. */
  added: KeyedEntity[];
  /** Entities the catalog deletes, by ref. */
  removed: Array<{ entityRef: string; locationKey: string }>;
}

/**
 * Splits a round's delta into mutations of at most `batchSize` entities each:
 * removals first, then entities the catalog already has that changed, then
 * new ones, at most `maxNew` of those (the rest wait for a later round).
 * The catalog processes a provider's entities in the order they arrive, so a
 * change is not queued behind thousands of new clusters, the first clusters
 * of a big inventory become queryable while the rest arrive, and no single
 * transaction writes 10,000 rows. Pure, so it is table-tested.
 * @public
 */
export function planBatches(
  delta: {
    added: KeyedEntity[];
    removed: Array<{ entityRef: string; locationKey: string }>;
  },
  previous: PublishedEntities,
  options: { batchSize: number; maxNew?: number },
): { batches: DeltaBatch[]; deferred: number } {
  const batchSize = Math.max(1, Math.floor(options.batchSize));
  const maxNew = options.maxNew ?? Infinity;
  const changed: KeyedEntity[] = [];
  const fresh: KeyedEntity[] = [];
  for (const item of delta.added)
    (previous.has(item.locationKey) ? changed : fresh).push(item);
  const taken = fresh.slice(0, Math.max(0, maxNew));
  type Step =
    | { kind: 'removed'; item: DeltaBatch['removed'][number] }
    | { kind: 'added'; item: KeyedEntity };
  const steps: Step[] = [
    ...delta.removed.map(item => ({ kind: 'removed' as const, item })),
    ...[...changed, ...taken].map(item => ({ kind: 'added' as const, item })),
  ];
  const batches: DeltaBatch[] = [];
  for (let i = 0; i < steps.length; i += batchSize) {
    const batch: DeltaBatch = { added: [], removed: [] };
    for (const step of steps.slice(i, i + batchSize)) {
      if (step.kind === 'removed') batch.removed.push(step.item);
      else batch.added.push(step.item);
    }
    batches.push(batch);
  }
  return { batches, deferred: fresh.length - taken.length };
}

/**
 * What is published once a batch was applied: `current` with the batch's
 * entities recorded (their entries from `next`, the round's full plan) and its
 * removals forgotten. Only applied batches are recorded, so after a failed or
 * capped round the next one resumes where this one stopped.
 * @public
 */
export function recordBatch(
  current: PublishedEntities,
  batch: DeltaBatch,
  next: PublishedEntities,
): PublishedEntities {
  const out: PublishedEntities = new Map(current);
  for (const { locationKey, entityRef } of batch.removed) {
    // A renamed entity's key is re-recorded by its addition in this or a later batch.
    if (out.get(locationKey)?.entityRef === entityRef) out.delete(locationKey);
  }
  for (const { locationKey } of batch.added) {
    const entry = next.get(locationKey);
    if (entry) out.set(locationKey, entry);
  }
  return out;
}
