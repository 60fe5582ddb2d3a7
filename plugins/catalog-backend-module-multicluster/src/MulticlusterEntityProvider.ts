/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  AuthService,
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import type { MulticlusterService } from '@archipelago/multicluster-node';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { Page } from '@archipelago/multicluster-common';
import {
  type ClusterEntityOptions,
  clusterToEntity,
  environmentToEntity,
} from './entities';
import { setImmediate } from 'node:timers/promises';
import { planDelta, type PublishedEntities } from './delta';
import { planBatches, recordBatch } from './batches';

const PAGE_LIMIT = 500;
const MAX_PAGES = 100;
/**
 * A delta is applied only against what this instance published less than
 * this long ago; otherwise (first round, or another replica may have run the
 * rounds in between) a full mutation resets the catalog to the inventory, as
 * soon as it would write at most a batch.
 */
const DEFAULT_FULL_EVERY_MS = 10 * 60_000;
/** Entities per delta mutation (one catalog transaction each). */
const DEFAULT_BATCH_SIZE = 500;

/**
 * Publishes every inventory cluster as a catalog `Resource` of type
 * `kubernetes-cluster`, and every environment as one of type `environment`
 * (destroyed environments are left out). Each round applies a delta of only
 * the entities that were added, changed or removed (nothing at all when none
 * were), so 10,000 quiet clusters cost the catalog nothing per round. A delta
 * goes in mutations of at most `batchSize` entities, removals and changes
 * before new entities, and at most `maxNewPerRound` new ones per round, so a
 * first round of 10,000 is neither one giant transaction nor a queue that a
 * later change waits behind. A full mutation, which also drops what another
 * replica or an earlier run left behind, is applied on the first round and
 * every 10 minutes (`fullEveryMs`) when it writes at most a batch; a big first
 * round is fed in batches and reconciled by the next round's full mutation.
 * Reads the multicluster plugin through `multiclusterServiceRef` with this
 * plugin's service credentials. If the inventory cannot be read the round
 * fails and the catalog keeps what it has, rather than emptying it.
 * @public
 */
export class MulticlusterEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private published?: { entities: PublishedEntities; fullAt: number };

  constructor(
    private readonly deps: {
      multicluster: MulticlusterService;
      auth: AuthService;
      logger: LoggerService;
      taskRunner: SchedulerServiceTaskRunner;
    },
    private readonly options: Omit<ClusterEntityOptions, 'providerName'> & {
      selector?: string;
      fullEveryMs?: number;
      /** Entities per delta mutation (default 500). */
      batchSize?: number;
      /** New entities published per round at most (default all); changes always go. */
      maxNewPerRound?: number;
    },
  ) {}

  /** The name of this provider in the catalog (its location key prefix). */
  getProviderName(): string {
    return 'multicluster';
  }

  /** Starts the scheduled refresh that publishes the inventory's changes. */
  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.deps.taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: () => this.refresh(),
    });
  }

  /** Reads every page of a list; refuses to publish a partial list. */
  private async readAll<T>(
    list: (cursor: string | undefined) => Promise<Page<T>>,
    hint: string,
  ): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await list(cursor);
      items.push(...result.items);
      cursor = result.nextCursor;
      if (!cursor) return items;
    }
    throw new Error(`more than ${PAGE_LIMIT * MAX_PAGES} ${hint}`);
  }

  /** Reads the whole inventory and the environments, and applies what changed. */
  async refresh(): Promise<void> {
    if (!this.connection)
      throw new Error('MulticlusterEntityProvider is not connected');
    const { multicluster, auth } = this.deps;
    const credentials = await auth.getOwnServiceCredentials();
    const clusters = await this.readAll(
      cursor =>
        multicluster.listClusters(
          {
            limit: PAGE_LIMIT,
            ...(this.options.selector
              ? { selector: this.options.selector }
              : {}),
            ...(cursor ? { cursor } : {}),
          },
          { credentials },
        ),
      'clusters; narrow catalog.providers.multicluster.selector',
    );
    const environments = (
      await this.readAll(
        cursor =>
          multicluster.listEnvironments(
            { limit: PAGE_LIMIT, ...(cursor ? { cursor } : {}) },
            { credentials },
          ),
        'environments',
      )
    ).filter(e => e.status !== 'destroyed');
    const providerName = this.getProviderName();
    const options = { ...this.options, providerName };
    // An environment's cluster is owned like the environment.
    const ownerByEnvironment = new Map(
      environments.map(e => [e.name, e.owner]),
    );
    const entities = [
      ...clusters.map(cluster => ({
        entity: clusterToEntity(cluster, {
          ...options,
          environmentOwner: cluster.environment
            ? ownerByEnvironment.get(cluster.environment)
            : undefined,
        }),
        locationKey: `${providerName}:cluster/${cluster.id}`,
      })),
      ...environments.map(environment => ({
        entity: environmentToEntity(environment, options),
        locationKey: `${providerName}:environment/${environment.name}`,
      })),
    ];
    const now = Date.now();
    const fullEveryMs = this.options.fullEveryMs ?? DEFAULT_FULL_EVERY_MS;
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    const previous = this.published ?? { entities: new Map(), fullAt: 0 };
    const delta = planDelta(previous.entities, entities);
    const counts = `${clusters.length} clusters and ${environments.length} environments`;
    // A full mutation resets the catalog to the inventory (and drops what another replica
    // or an earlier run left behind); it is one transaction, so it is applied only when at
    // most a batch of entities would be written. A big first round goes in batches instead
    // and the full mutation follows on the first round with few changes.
    if (
      (!this.published || now - previous.fullAt >= fullEveryMs) &&
      delta.added.length <= batchSize
    ) {
      await this.connection.applyMutation({ type: 'full', entities });
      this.published = { entities: delta.published, fullAt: now };
      this.deps.logger.info(`Published ${counts} to the catalog (full)`);
      return;
    }
    const { batches, deferred } = planBatches(delta, previous.entities, {
      batchSize,
      maxNew: this.options.maxNewPerRound,
    });
    let published = previous.entities;
    for (const [i, batch] of batches.entries()) {
      // Lets the catalog answer requests between two batches' transactions.
      if (i > 0) await setImmediate();
      await this.connection.applyMutation({ type: 'delta', ...batch });
      // Recorded batch by batch: after a failed round the next delta resumes from here.
      published = recordBatch(published, batch, delta.published);
      this.published = { entities: published, fullAt: previous.fullAt };
    }
    this.deps.logger.info(
      `Published ${delta.added.length - deferred} added or changed and ${
        delta.removed.length
      } removed of ${counts} to the catalog in ${batches.length} batches${
        deferred ? `; ${deferred} new ones wait for the next round` : ''
      }`,
    );
  }
}
