/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { WorkloadReconciler } from '@archipelago/multicluster-node';
import type { Cluster } from '@archipelago/multicluster-common';
import type { Knex } from 'knex';
import pLimit from 'p-limit';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SecretBox } from '../../environments/secrets/SecretBox';
import type { WorkloadsSettings } from '../config';
import { type InventorySnapshot, readInventory } from '../inventory';
import type { DeployScope, WorkloadRecord } from '../store/records';
import type { WorkloadStore } from '../store/WorkloadStore';
import { reconcileWorkload } from './reconcileWorkload';
import { RevisionCache } from './revisions';

/** Workloads reconciled at once (their cluster work shares the reconciler's own limit). */
const WORKLOADS_AT_ONCE = 8;

/** What a round did, for logs, tests and benchmarks. */
export interface RoundReport {
  round: number;
  passes: number;
  workloads: number;
  durationMs: number;
}

/**
 * The workloads engine: one reconcile round (a Backstage scheduler task of
 * global scope, so one replica runs each) passes over every workload, then
 * keeps looking at the ones that need it — rollouts in progress, soaks and
 * grace periods ending, workloads changed meanwhile, a cluster joining,
 * leaving or changing health — every `pollMilliseconds`, until none does or
 * the round has lasted `intervalSeconds`. Everything a round decides is
 * stored, so a round on another replica or after a restart continues it.
 */
export class WorkloadEngine {
  private readonly revisions: RevisionCache;
  private readonly warned = new Set<string>();

  constructor(
    private readonly options: {
      db: Knex;
      store: WorkloadStore;
      reconciler: WorkloadReconciler;
      box?: SecretBox;
      settings: WorkloadsSettings;
      logger: LoggerService;
      inScope: (scope: DeployScope, cluster: Cluster) => boolean;
      runner: string;
    },
  ) {
    this.revisions = new RevisionCache(options.store, options.box);
  }

  async runRound(signal?: AbortSignal): Promise<RoundReport> {
    const { store, settings } = this.options;
    const started = Date.now();
    const budgetEnds = started + settings.intervalSeconds * 1000;
    const round = await store.startRound(this.options.runner, started);
    const wakes = new Map<string, number>();
    let passes = 0;
    let handled = 0;
    try {
      let workloads = await store.list();
      // Nothing to place: at 10,000 clusters, reading the inventory would be the whole
      // round's cost (and rounds also start on every health transition).
      if (workloads.length === 0) {
        return {
          round,
          passes,
          workloads: 0,
          durationMs: Date.now() - started,
        };
      }
      let inventory = await readInventory(this.options.db);
      handled += await this.pass(workloads, inventory, wakes, signal);
      passes += 1;
      for (;;) {
        if (signal?.aborted) break;
        const soonest = Math.min(...wakes.values(), Infinity);
        const now = Date.now();
        if (now >= budgetEnds) break;
        // Nothing due before the round's end: stop unless something changed meanwhile.
        if (soonest > budgetEnds) {
          workloads = await store.list();
          const changed = workloads.filter(
            w => w.generation !== w.observedGeneration,
          );
          const fresh = await readInventory(this.options.db);
          if (
            changed.length === 0 &&
            fresh.fingerprint === inventory.fingerprint
          )
            break;
        }
        await sleep(
          Math.max(0, Math.min(settings.pollMilliseconds, soonest - now)),
          undefined,
          { signal },
        ).catch(() => undefined);
        const fresh = await readInventory(this.options.db);
        const inventoryChanged = fresh.fingerprint !== inventory.fingerprint;
        inventory = fresh;
        workloads = await store.list();
        const at = Date.now();
        const due = workloads.filter(
          w =>
            inventoryChanged ||
            w.generation !== w.observedGeneration ||
            (wakes.get(w.name) ?? Infinity) <= at,
        );
        for (const w of workloads) if (due.includes(w)) wakes.delete(w.name);
        if (due.length) {
          handled += await this.pass(due, inventory, wakes, signal);
          passes += 1;
        }
      }
    } finally {
      await store.finishRound(round, handled);
    }
    return {
      round,
      passes,
      workloads: handled,
      durationMs: Date.now() - started,
    };
  }

  /** One pass over the given workloads; a workload's failure is logged and does not stop the others. */
  private async pass(
    workloads: WorkloadRecord[],
    inventory: InventorySnapshot,
    wakes: Map<string, number>,
    signal?: AbortSignal,
  ): Promise<number> {
    const { store, settings, logger } = this.options;
    const limit = pLimit(WORKLOADS_AT_ONCE);
    await Promise.all(
      workloads.map(w =>
        limit(async () => {
          try {
            const wake = await reconcileWorkload(
              {
                store,
                revisions: this.revisions,
                reconciler: this.options.reconciler,
                logger: logger.child({ workload: w.name }),
                inScope: this.options.inScope,
                pollMs: settings.pollMilliseconds,
                eventLimit: settings.eventLimit,
                signal,
                warned: this.warned,
              },
              w,
              inventory,
              Date.now(),
            );
            if (wake !== undefined) wakes.set(w.name, wake);
            else wakes.delete(w.name);
          } catch (error) {
            // The message may come from a cluster: it never holds a Secret value of this
            // workload (reconcileWorkload redacts), and is cut short.
            const message = String((error as Error)?.message).slice(0, 500);
            logger.error(`Workload ${w.name}: the round failed: ${message}`);
            await store
              .addEvents(w.name, [
                { level: 'error', message: `the round failed: ${message}` },
              ])
              .catch(() => undefined);
          }
        }),
      ),
    );
    return workloads.length;
  }
}
