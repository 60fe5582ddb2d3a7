/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type Cluster,
  formatLabelSelector,
  MulticlusterClient,
  type Placement,
} from '@archipelago/multicluster-common';
import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, ResponseError } from '@backstage/errors';
import type { ClusterConnection } from './kubeClient';
import type { TargetCluster } from './plan';

/** What `GET /api/multicluster/internal/connections` answers per cluster. Holds credentials. */
export interface ConnectionDetails {
  id: string;
  name: string;
  url: string;
  /** Base64 of the PEM CA bundle. */
  caData?: string;
  skipTLSVerify: boolean;
  health: string;
  authProvider: string;
  authMetadata?: Record<string, string>;
  serviceAccountToken?: string;
  unsupported?: string;
}

const PAGE_LIMIT = 500;
/** 40 pages of 500: an inventory of 20,000 clusters. */
const MAX_PAGES = 40;
const IDS_PER_CALL = 100;

export interface InventoryOptions {
  auth: AuthService;
  discovery: DiscoveryService;
  /** Bound of each call to the multicluster API (default 15 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * The multicluster REST API as the deploy action uses it, like every other
 * plugin does: the cluster list on behalf of the task's initiator (so the
 * permission policy decides which clusters they may deploy to), and
 * connection details with this plugin's own service credentials from the
 * internal endpoint that only allow-listed plugins may read.
 */
export class MulticlusterInventory {
  private readonly client: MulticlusterClient;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: InventoryOptions) {
    this.fetchImpl = options.fetch ?? ((...args) => globalThis.fetch(...args));
    this.client = new MulticlusterClient({
      discoveryApi: options.discovery,
      fetchApi: { fetch: this.fetchImpl },
    });
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  private async tokenFor(onBehalfOf: BackstageCredentials): Promise<string> {
    const { token } = await this.options.auth.getPluginRequestToken({
      onBehalfOf,
      targetPluginId: 'multicluster',
    });
    return token;
  }

  /**
   * The clusters a placement may select, read page by page. A selector is
   * sent to the server; explicit names need the whole (visible) inventory.
   */
  async listClusters(
    placement: Placement,
    credentials: BackstageCredentials,
  ): Promise<TargetCluster[]> {
    let selector: string | undefined;
    if (
      !placement.clusterNames?.length &&
      placement.clusterSelector !== undefined
    ) {
      selector =
        typeof placement.clusterSelector === 'string'
          ? placement.clusterSelector
          : formatLabelSelector(placement.clusterSelector);
    }
    const out: TargetCluster[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const token = await this.tokenFor(credentials);
      const result = await this.client.listClusters(
        {
          ...(selector ? { selector } : {}),
          limit: PAGE_LIMIT,
          sort: 'name',
          ...(cursor ? { cursor } : {}),
        },
        { token, signal: AbortSignal.timeout(this.timeoutMs) },
      );
      out.push(...result.items.map(toTarget));
      cursor = result.nextCursor;
      if (!cursor) return out;
    }
    throw new Error(
      `The inventory has more than ${
        PAGE_LIMIT * MAX_PAGES
      } matching clusters; narrow the placement`,
    );
  }

  /** Connection details by cluster id, read as this plugin (service principal). */
  async connections(ids: string[]): Promise<Map<string, ConnectionDetails>> {
    const out = new Map<string, ConnectionDetails>();
    const baseUrl = (
      await this.options.discovery.getBaseUrl('multicluster')
    ).replace(/\/+$/, '');
    for (let i = 0; i < ids.length; i += IDS_PER_CALL) {
      const batch = ids.slice(i, i + IDS_PER_CALL);
      const token = await this.tokenFor(
        await this.options.auth.getOwnServiceCredentials(),
      );
      const response = await this.fetchImpl(
        `${baseUrl}/internal/connections?ids=${encodeURIComponent(
          batch.join(','),
        )}`,
        {
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
          },
          signal: AbortSignal.timeout(this.timeoutMs),
        },
      );
      if (response.status === 403) {
        throw new NotAllowedError(
          'The multicluster backend does not give cluster connections to the scaffolder plugin: add "scaffolder" to multicluster.connections.allowedPlugins in app-config',
        );
      }
      if (!response.ok) throw await ResponseError.fromResponse(response);
      const body = (await response.json()) as { items?: ConnectionDetails[] };
      for (const item of body.items ?? []) out.set(item.id, item);
    }
    return out;
  }
}

function toTarget(cluster: Cluster): TargetCluster {
  const pods = cluster.status?.allocatable?.pods;
  return {
    id: cluster.id,
    name: cluster.name,
    labels: cluster.labels ?? {},
    health: cluster.status?.health ?? 'unknown',
    ...(typeof pods === 'number' && Number.isFinite(pods) && pods >= 0
      ? { capacity: Math.floor(pods) }
      : {}),
  };
}

/**
 * A connection the action can use, or why not. The action authenticates with
 * a bearer token (or anonymously); cloud auth providers resolved by the
 * Kubernetes plugin itself (aws, google, oidc…) are out of its reach.
 */
export function toConnection(
  details: ConnectionDetails | undefined,
): ClusterConnection | { problem: string } {
  if (!details)
    return { problem: 'the inventory has no connection details for it' };
  if (details.unsupported) return { problem: details.unsupported };
  if (details.authProvider !== 'serviceAccount') {
    return {
      problem: `its credentials (authProvider ${details.authProvider}) cannot be used by multicluster:deploy`,
    };
  }
  return {
    id: details.id,
    name: details.name,
    url: details.url,
    skipTLSVerify: details.skipTLSVerify,
    ...(details.caData
      ? { caData: Buffer.from(details.caData, 'base64').toString('utf8') }
      : {}),
    ...(details.serviceAccountToken
      ? { token: details.serviceAccountToken }
      : {}),
  };
}
