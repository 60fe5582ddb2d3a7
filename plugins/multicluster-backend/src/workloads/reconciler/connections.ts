/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type ClusterRole,
  credentialsForRole,
  type KubeConnection,
} from '@archipelago/multicluster-node';
import type { ClusterConnection } from '../../inventory/ConnectionRegistry';
import { redactText } from '../../util/redact';
import { withTimeout } from '../../util/timeout';

/** How to reach a cluster with its deploy identity, or why not. Holds a credential: never log it. */
export type DeployConnection = KubeConnection | { problem: string };

/** Resolves deploy connections by inventory id. */
export interface ClusterConnector {
  connect(clusterId: string): Promise<DeployConnection>;
}

/**
 * Deploy connections from the connection registry: the inventory row gives
 * the API server (its URL key), the best-ranked provider's connection gives
 * the `deploy` identity (`credentialsForRole`), resolved with a timeout.
 * Credentials are never stored: resolvers are asked each time (they cache
 * and renew tokens themselves).
 */
export function createDeployConnector(options: {
  /** Inventory rows of the given ids (the URL key is the registry's key). */
  lookup: (
    ids: string[],
  ) => Promise<
    Array<{ id: string; name: string; url: string; urlKey: string }>
  >;
  /** The registry's connection for a URL key, after making sure it is fresh. */
  connectionFor: (urlKey: string) => Promise<ClusterConnection | undefined>;
  timeoutMs: number;
  /** The identity used (default `deploy`; the DNS reconciler only reads, with `view`). */
  role?: ClusterRole;
}): ClusterConnector {
  const role = options.role ?? 'deploy';
  return {
    async connect(clusterId) {
      const [row] = await options.lookup([clusterId]);
      if (!row) return { problem: 'the cluster is not in the inventory' };
      const connection = await options.connectionFor(row.urlKey);
      if (!connection)
        return { problem: 'no provider currently offers a connection' };
      try {
        const credentials = await withTimeout(
          signal => credentialsForRole(connection, role)({ signal }),
          options.timeoutMs,
          `the ${role} credentials were not resolved within ${options.timeoutMs} ms`,
        );
        return {
          id: row.id,
          name: row.name,
          url: connection.url,
          skipTLSVerify: connection.skipTLSVerify,
          ...(connection.caData ? { caData: connection.caData } : {}),
          ...(credentials.type === 'bearer'
            ? { token: credentials.token }
            : {}),
          ...(credentials.type === 'clientCertificate'
            ? {
                clientCertificate: {
                  certData: credentials.certData,
                  keyData: credentials.keyData,
                },
              }
            : {}),
        };
      } catch (error) {
        return {
          problem: `${role} credentials unavailable: ${redactText(
            String((error as Error)?.message),
          ).slice(0, 200)}`,
        };
      }
    },
  };
}
