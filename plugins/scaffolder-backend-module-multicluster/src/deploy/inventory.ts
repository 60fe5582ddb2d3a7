/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type Cluster,
  type ConnectionDetails,
  formatLabelSelector,
  multiclusterClusterDeployPermission,
  type Placement,
  replicaCapacity,
} from '@archipelago/multicluster-common';
import type { MulticlusterService } from '@archipelago/multicluster-node';
import type {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ClusterConnection } from './kubeClient';
import type { TargetCluster } from './deploymentPlanner';

const PAGE_LIMIT = 500;
/** 40 pages of 500: an inventory of 20,000 clusters. */
const MAX_PAGES = 40;
const IDS_PER_CALL = 100;
/** Clusters named in a refusal. */
const NAMED_IN_ERRORS = 10;

/** What the deploy action reads the inventory with. @internal */
export interface InventoryOptions {
  /** The multicluster plugin (`multiclusterServiceRef`). */
  multicluster: MulticlusterService;
  /** Kept for callers of the earlier signature; connections are read on behalf of the user. */
  auth?: AuthService;
  /** Checks `multicluster.cluster.deploy` per target before anything runs (the server checks again). */
  permissions?: PermissionsService;
  /** Bound of each call to the multicluster API (default 15 s). */
  timeoutMs?: number;
}

/**
 * The inventory as the deploy action uses it, always on behalf of the task's
 * initiator: the cluster list (what they may read), their
 * `multicluster.cluster.deploy` on every target, and connection details with
 * the deploy identity, which the multicluster plugin hands to allow-listed
 * plugins acting for a user who may deploy there, never the admin's.
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

  /**
   * Refuses the deploy, naming them, when the user may not deploy to some of
   * the clusters (seeing a cluster never implies writing to it). Asked of the
   * permission framework per cluster, as the multicluster plugin decides it.
   */
  async checkDeploy(
    clusters: Array<Pick<TargetCluster, 'id' | 'name'>>,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const permissions = this.options.permissions;
    if (!permissions) return;
    const refused: string[] = [];
    for (let i = 0; i < clusters.length; i += IDS_PER_CALL) {
      const chunk = clusters.slice(i, i + IDS_PER_CALL);
      const decisions = await permissions.authorize(
        chunk.map(c => ({
          permission: multiclusterClusterDeployPermission,
          resourceRef: c.id,
        })),
        { credentials },
      );
      decisions.forEach((d, j) => {
        if (d.result !== AuthorizeResult.ALLOW) refused.push(chunk[j].name);
      });
    }
    if (refused.length) throw notAllowedToDeploy(refused);
  }

  /** Connection details with the deploy identity by cluster id, on behalf of the user. */
  async connections(
    ids: string[],
    credentials: BackstageCredentials,
  ): Promise<Map<string, ConnectionDetails>> {
    const out = new Map<string, ConnectionDetails>();
    for (let i = 0; i < ids.length; i += IDS_PER_CALL) {
      let items: ConnectionDetails[];
      try {
        items = await this.options.multicluster.getClusterConnections(
          ids.slice(i, i + IDS_PER_CALL),
          {
            credentials,
            role: 'deploy',
            signal: AbortSignal.timeout(this.timeoutMs),
          },
        );
      } catch (error) {
        const e = error as { statusCode?: number; message?: string };
        if (e.statusCode === 403 && /allowedPlugins/.test(e.message ?? '')) {
          throw new NotAllowedError(
            'The multicluster backend does not give cluster connections with the deploy identity to the scaffolder plugin: add "scaffolder" to multicluster.connections.allowedPlugins.deploy in app-config',
          );
        }
        throw error;
      }
      for (const item of items) out.set(item.id, item);
    }
    return out;
  }
}

function notAllowedToDeploy(names: string[]): NotAllowedError {
  const shown = names.slice(0, NAMED_IN_ERRORS);
  return new NotAllowedError(
    `You are not allowed to deploy to ${shown.join(', ')}${
      names.length > shown.length
        ? ` and ${names.length - shown.length} more clusters`
        : ''
    } (multicluster.cluster.deploy); narrow the placement to clusters you may deploy to`,
  );
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
