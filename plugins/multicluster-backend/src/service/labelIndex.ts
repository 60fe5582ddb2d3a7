/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  compileLabelSelector,
  type LabelSelector,
} from '@archipelago/multicluster-common';
import pLimit from 'p-limit';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { InventoryStore } from '../inventory/InventoryStore';

/** Clusters read per page while building; one short synchronous query each. */
const BUILD_PAGE = 500;
/** Clusters matched between two turns of the event loop. */
const MATCH_CHUNK = 1000;

interface Snapshot {
  revision: number;
  entries: Array<{ name: string; labels: Record<string, string> }>;
}

/**
 * Evaluates label selectors over the inventory without blocking the event
 * loop. The store turns a selector into one SQL statement with a subquery per
 * requirement; on SQLite (synchronous) a maximal selector over 10,000 clusters
 * held the event loop for hundreds of milliseconds. Here the labels of every
 * cluster are kept per inventory revision (read page by page, rebuilt once per
 * change), each selector is matched in chunks with a turn of the event loop
 * between them, and only one heavy evaluation runs at a time, so a cheap
 * request always gets a turn between two short steps.
 * @internal
 */
export class ClusterLabelIndex {
  private snapshot?: Snapshot;
  private building?: Promise<Snapshot>;
  /** Heavy work (selector evaluation, previews) one at a time. */
  readonly heavy = pLimit(1);

  constructor(
    private readonly store: Pick<
      InventoryStore,
      'getRevision' | 'listClusters'
    >,
  ) {}

  /** Names of every cluster whose labels match, in name order. */
  async matchingNames(selector: LabelSelector): Promise<string[]> {
    const matcher = compileLabelSelector(selector);
    const { entries } = await this.current();
    const names: string[] = [];
    for (let i = 0; i < entries.length; i += MATCH_CHUNK) {
      if (i > 0) await yieldToEventLoop();
      for (const entry of entries.slice(i, i + MATCH_CHUNK)) {
        if (matcher(entry.labels)) names.push(entry.name);
      }
    }
    return names;
  }

  private async current(): Promise<Snapshot> {
    const revision = await this.store.getRevision();
    if (this.snapshot?.revision === revision) return this.snapshot;
    // One build at a time; callers during a build share it.
    this.building ??= this.build(revision).finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  private async build(revision: number): Promise<Snapshot> {
    const entries: Snapshot['entries'] = [];
    let cursor: string | undefined;
    do {
      await yieldToEventLoop();
      const page = await this.store.listClusters(
        { limit: BUILD_PAGE, sort: 'name', cursor },
        undefined,
      );
      for (const c of page.items)
        entries.push({ name: c.name, labels: c.labels });
      cursor = page.nextCursor;
    } while (cursor);
    const snapshot = { revision, entries };
    if (!this.snapshot || this.snapshot.revision <= revision) {
      this.snapshot = snapshot;
    }
    return snapshot;
  }
}
