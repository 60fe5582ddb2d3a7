/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type Cluster,
  type ConnectionDetails,
  formatLabelSelector,
  type Placement,
  replicaCapacity,
} from '@archipelago/multicluster-common';
import type { MulticlusterService } from '@archipelago/multicluster-node';
import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { ClusterConnection } from './kubeClient';
import type { TargetCluster } from './deploymentPlanner';

const PAGE_LIMIT = 500;
/** 40 pages of 500: an inventory of 20,000 clusters. */
const MAX_PAGES = 40;
const IDS_PER_CALL = 100;

/** What the deploy action reads the inventory with. @internal */
export interface InventoryOptions {
  /** The multicluster plugin (`multiclusterServiceRef`). */
  multicluster: MulticlusterService;
  /** For the action's own service credentials (connection details). */
  auth: AuthService;
  /** Bound of each call to the multicluster API (default 15 s). */
  timeoutMs?: number;
}

/**
 * The inventory as the deploy action uses it: the cluster list on behalf of
 * the task's initiator (so the permission policy decides which clusters they
 * may deploy to), and connection details with this plugin's own service
 * credentials from the internal endpoint that only allow-listed plugins may
 * read.
 * @internal
 */
export class MulticlusterInventory {
  private readonly timeoutMs: number;

  constructor(private readonly options: InventoryOptions) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
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
      const result = await this.options.multicluster.listClusters(
        {
          ...(selector ? { selector } : {}),
          limit: PAGE_LIMIT,
          sort: 'name',
          ...(cursor ? { cursor } : {}),
        },
        { credentials, signal: AbortSignal.timeout(this.timeoutMs) },
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
    const credentials = await this.options.auth.getOwnServiceCredentials();
    for (let i = 0; i < ids.length; i += IDS_PER_CALL) {
      let items: ConnectionDetails[];
      try {
        items = await this.options.multicluster.getClusterConnections(
          ids.slice(i, i + IDS_PER_CALL),
          { credentials, signal: AbortSignal.timeout(this.timeoutMs) },
        );
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 403) {
          throw new NotAllowedError(
            'The multicluster backend does not give cluster connections to the scaffolder plugin: add "scaffolder" to multicluster.connections.allowedPlugins in app-config',
          );
        }
        throw error;
      }
      for (const item of items) out.set(item.id, item);
    }
    return out;
  }
}

function toTarget(cluster: Cluster): TargetCluster {
  const capacity = replicaCapacity(cluster);
  return {
    id: cluster.id,
    name: cluster.name,
    labels: cluster.labels ?? {},
    health: cluster.status?.health ?? 'unknown',
    ...(capacity !== undefined ? { capacity } : {}),
  };
}

/**
 * A connection the action can use, or why not. The action authenticates with
 * a bearer token (or anonymously); cloud auth providers resolved by the
 * Kubernetes plugin itself (aws, google, oidc…) are out of its reach.
 * @internal
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
