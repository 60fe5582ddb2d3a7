/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  AuthService,
  DiscoveryService,
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type {
  Cluster,
  Environment,
  Page,
} from '@archipelago/multicluster-common';
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
 * Reads the multicluster REST API with this plugin's service credentials. If
 * the inventory cannot be read the round fails and the catalog keeps what it
 * has, rather than emptying it.
 */
export class MulticlusterEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
      taskRunner: SchedulerServiceTaskRunner;
      fetch?: typeof fetch;
    },
    private readonly options: Omit<ClusterEntityOptions, 'providerName'> & {
      selector?: string;
    },
  ) {}

  getProviderName(): string {
    return 'multicluster';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.deps.taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: () => this.refresh(),
    });
  }

  private async request<T>(path: string): Promise<T> {
    const baseUrl = await this.deps.discovery.getBaseUrl('multicluster');
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
      targetPluginId: 'multicluster',
    });
    const response = await (this.deps.fetch ?? fetch)(`${baseUrl}${path}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }

  /** Reads every page of a list endpoint; refuses to publish a partial list. */
  private async readAll<T>(
    path: string,
    params: Record<string, string>,
    hint: string,
  ): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = new URLSearchParams({
        limit: String(PAGE_LIMIT),
        ...params,
      });
      if (cursor) query.set('cursor', cursor);
      const result = await this.request<Page<T>>(`${path}?${query}`);
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
    const clusters = await this.readAll<Cluster>(
      '/clusters',
      this.options.selector ? { selector: this.options.selector } : {},
      'clusters; narrow catalog.providers.multicluster.selector',
    );
    const environments = (
      await this.readAll<Environment>('/environments', {}, 'environments')
    ).filter(e => e.status !== 'destroyed');
    const providerName = this.getProviderName();
    const options = { ...this.options, providerName };
    const entities = [
      ...clusters.map(cluster => ({
        entity: clusterToEntity(cluster, options),
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
