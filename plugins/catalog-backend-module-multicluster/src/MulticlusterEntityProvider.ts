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

const PAGE_LIMIT = 500;
const MAX_PAGES = 100;

/**
 * Publishes every inventory cluster as a catalog `Resource` of type
 * `kubernetes-cluster`, and every environment as one of type `environment`
 * (full mutations on a schedule, so what leaves the inventory leaves the
 * catalog; destroyed environments are left out).
 * Reads the multicluster plugin through `multiclusterServiceRef` with this
 * plugin's service credentials. If
 * the inventory cannot be read the round fails and the catalog keeps what it
 * has, rather than emptying it.
 * @public
 */
export class MulticlusterEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  constructor(
    private readonly deps: {
      multicluster: MulticlusterService;
      auth: AuthService;
      logger: LoggerService;
      taskRunner: SchedulerServiceTaskRunner;
    },
    private readonly options: Omit<ClusterEntityOptions, 'providerName'> & {
      selector?: string;
    },
  ) {}

  /** The name of this provider in the catalog (its location key prefix). */
  getProviderName(): string {
    return 'multicluster';
  }

  /** Starts the scheduled refresh that applies the inventory as a full mutation. */
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

  /** Reads the whole inventory and the environments, and applies one full mutation. */
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
    await this.connection.applyMutation({ type: 'full', entities });
    this.deps.logger.info(
      `Published ${clusters.length} clusters and ${environments.length} environments to the catalog`,
    );
  }
}
