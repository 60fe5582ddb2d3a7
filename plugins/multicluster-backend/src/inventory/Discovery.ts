/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ClusterProvider } from '@archipelago/multicluster-node';
import type { ConnectionRegistry } from './ConnectionRegistry';
import type { DiscoveryWriter } from './DiscoveryWriter';
import type { DiscoveryOutcome } from './types';
import type { ProviderRound } from './merge';
import { redactText } from '../util/redact';
import { withTimeout } from '../util/timeout';

/**
 * Runs every provider, keeps this replica's connection registry current and,
 * when asked to persist, writes the merged result to the store. Providers run
 * in parallel, each under its own timeout, so one slow cloud API cannot hold
 * back the others.
 */
export class InventoryDiscovery {
  private inFlight?: Promise<ProviderRound[]>;

  constructor(
    private readonly deps: {
      providers: () => ClusterProvider[];
      store: Pick<DiscoveryWriter, 'applyDiscovery'>;
      registry: ConnectionRegistry;
      logger: LoggerService;
      timeoutMs: number;
    },
  ) {}

  /** Provider id → priority (registration order): the first provider names a cluster. */
  providerOrder(): ReadonlyMap<string, number> {
    return new Map(this.deps.providers().map((p, i) => [p.getProviderId(), i]));
  }

  private async runProvider(provider: ClusterProvider): Promise<ProviderRound> {
    const id = provider.getProviderId();
    try {
      const result = await withTimeout(
        signal => provider.discover({ signal }),
        this.deps.timeoutMs,
        `discovery timed out after ${this.deps.timeoutMs} ms`,
      );
      if (!result || !Array.isArray(result.clusters)) {
        throw new Error('provider returned no cluster list');
      }
      return {
        provider: id,
        ok: true,
        clusters: result.clusters,
        complete: result.complete === true,
        failedScopes: (result.failedScopes ?? []).map(s => s.scope),
        getScope: provider.getScope?.bind(provider),
      };
    } catch (error) {
      // Provider errors can quote tool output or upstream bodies: scrub before storing/logging.
      const message = redactText(
        String((error as Error)?.message ?? error),
      ).slice(0, 500);
      return { provider: id, ok: false, error: message };
    }
  }

  /** Runs all providers once (single-flight per replica) and refreshes the registry. */
  private collect(): Promise<ProviderRound[]> {
    if (!this.inFlight) {
      this.inFlight = (async () => {
        const rounds = await Promise.all(
          this.deps.providers().map(p => this.runProvider(p)),
        );
        for (const round of rounds) {
          if (round.ok) {
            this.deps.registry.setProviderClusters(
              round.provider,
              round.clusters,
              round.complete,
            );
          }
        }
        this.deps.registry.commit();
        return rounds;
      })().finally(() => {
        this.inFlight = undefined;
      });
    }
    return this.inFlight;
  }

  /** A full discovery round: providers, registry, database. The scheduled task. */
  async run(): Promise<DiscoveryOutcome & { rounds: ProviderRound[] }> {
    const rounds = await this.collect();
    for (const round of rounds) {
      if (!round.ok) {
        this.deps.logger.warn(
          `Cluster provider ${round.provider} failed; its clusters are kept and marked stale: ${round.error}`,
        );
      }
    }
    const outcome = await this.deps.store.applyDiscovery(
      rounds,
      this.providerOrder(),
    );
    for (const r of outcome.rejected) {
      this.deps.logger.warn(
        `Cluster provider ${r.provider} listed ${r.sourceId} which was ignored: ${r.problem}`,
      );
    }
    if (outcome.added.length || outcome.removed.length) {
      this.deps.logger.info(
        `Cluster discovery: ${outcome.added.length} added, ${outcome.removed.length} removed, ${outcome.updated.length} updated`,
      );
    }
    return { ...outcome, rounds };
  }

  /**
   * Makes sure this replica holds connections no older than `maxAgeMs`. Another
   * replica may have run the last discovery task; credentials are never shared
   * through the database, so this one asks the providers itself (without writing).
   */
  async ensureConnections(maxAgeMs: number): Promise<void> {
    if (
      this.deps.registry.updatedAt > 0 &&
      Date.now() - this.deps.registry.updatedAt <= maxAgeMs
    ) {
      return;
    }
    await this.collect();
  }
}
