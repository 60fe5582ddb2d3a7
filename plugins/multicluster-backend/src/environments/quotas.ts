/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { CustomErrorBase } from '@backstage/errors';
import type { EnvironmentCatalog } from './catalog';
import type { EnvironmentPlan } from './stagePlanner';
import type { EnvironmentStore } from './store/EnvironmentStore';

/** Over a per-owner quota: HTTP 429, naming the quota and its value. */
export class QuotaExceededError extends CustomErrorBase {
  name = 'QuotaExceededError' as const;
  readonly statusCode = 429;
}

/** `multicluster.environments.quotas`. */
export interface EnvironmentQuotaSettings {
  environmentsPerOwner: number;
  dedicatedDatabaseServersPerOwner: number;
}

const KEY = 'multicluster.environments.quotas';

/**
 * Per-owner quotas, checked before any work: how many environments an owner
 * has (destroyed ones do not count) and how many database servers of their
 * own those run (drivers say which components are one, with
 * `dedicatedServer`).
 */
export class EnvironmentQuotas {
  constructor(
    private readonly store: EnvironmentStore,
    private readonly catalog: EnvironmentCatalog,
    private readonly settings: EnvironmentQuotaSettings,
  ) {}

  /** Dedicated database servers among components (planned or existing). */
  dedicatedServers(
    components: Array<{
      kind: string;
      driver: string;
      inputs: Record<string, unknown>;
      status?: string;
    }>,
  ): number {
    return components.filter(c => {
      if (c.kind !== 'database' || c.status === 'deleted') return false;
      try {
        return (
          this.catalog.driver(c.driver).dedicatedServer?.(c.inputs) ?? false
        );
      } catch {
        return false;
      }
    }).length;
  }

  /** Before a create: the owner's environments and dedicated servers with the new one. */
  async checkCreate(owner: string, plan: EnvironmentPlan): Promise<void> {
    const owned = await this.store.ownedBy(owner);
    const limit = this.settings.environmentsPerOwner;
    if (owned.length >= limit) {
      throw new QuotaExceededError(
        `Quota ${KEY}.environmentsPerOwner is ${limit}: ${owner} has ${owned.length} environments already; ` +
          'destroy one first',
      );
    }
    const existing = owned.reduce(
      (n, o) => n + this.dedicatedServers(o.components),
      0,
    );
    this.checkServers(owner, existing, this.dedicatedServers(plan.components));
  }

  /** Before a change: the owner's dedicated servers with the target instead of the environment's own. */
  async checkChange(
    env: { name: string; owner: string },
    plan: EnvironmentPlan,
  ): Promise<void> {
    const owned = await this.store.ownedBy(env.owner);
    const others = owned
      .filter(o => o.env.name !== env.name)
      .reduce((n, o) => n + this.dedicatedServers(o.components), 0);
    const mine = owned.find(o => o.env.name === env.name);
    const now = mine ? this.dedicatedServers(mine.components) : 0;
    const next = this.dedicatedServers(plan.components);
    // A change that adds none is never refused, even when config lowered the quota since.
    if (next <= now) return;
    this.checkServers(env.owner, others, next);
  }

  private checkServers(owner: string, existing: number, adding: number) {
    const limit = this.settings.dedicatedDatabaseServersPerOwner;
    if (adding > 0 && existing + adding > limit) {
      throw new QuotaExceededError(
        `Quota ${KEY}.dedicatedDatabaseServersPerOwner is ${limit}: ${owner} runs ${existing} dedicated database ` +
          `server${
            existing === 1 ? '' : 's'
          } already and this needs ${adding} more`,
      );
    }
  }
}
