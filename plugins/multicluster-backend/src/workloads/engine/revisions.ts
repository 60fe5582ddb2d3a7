/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Manifest } from '@archipelago/multicluster-node';
import type { SecretBox } from '../../environments/secrets/SecretBox';
import { openManifests } from '../spec';
import type { RevisionRecord } from '../store/records';
import type { WorkloadStore } from '../store/WorkloadStore';

/** A revision with its Secret values opened: in memory only. */
export interface OpenRevision {
  record: RevisionRecord;
  manifests: Manifest[];
}

const MAX_CACHED = 500;

/**
 * The revisions a round works with, opened once and kept in memory (a
 * revision never changes), least recently used dropped first.
 */
export class RevisionCache {
  private readonly cache = new Map<string, OpenRevision>();

  constructor(
    private readonly store: WorkloadStore,
    private readonly box: SecretBox | undefined,
  ) {}

  async get(name: string, revision: number): Promise<OpenRevision | undefined> {
    const key = `${name}@${revision}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const record = await this.store.getRevision(name, revision, {
      withSecrets: true,
    });
    if (!record) return undefined;
    const open: OpenRevision = {
      record,
      manifests: openManifests(record.spec, record.secrets, this.box),
    };
    this.cache.set(key, open);
    while (this.cache.size > MAX_CACHED)
      this.cache.delete(this.cache.keys().next().value!);
    return open;
  }

  /** Drops a deleted workload's revisions. */
  forget(name: string): void {
    for (const key of [...this.cache.keys()])
      if (key.startsWith(`${name}@`)) this.cache.delete(key);
  }
}
