/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  type ClusterCredentialsResolver,
  type ClusterDiscoveryResult,
  type ClusterProvider,
  type ClusterRole,
  type DiscoveredCluster,
  expandHome,
  sharedCredentialRoles,
  warnSharedCredentials,
} from '@archipelago/multicluster-node';
import { readFile } from 'node:fs/promises';
import type { StaticClusterConfig } from '../config';

const bearerOrAnonymous =
  (token: string | undefined): ClusterCredentialsResolver =>
  async () =>
    token ? { type: 'bearer', token } : { type: 'anonymous' };

/**
 * Clusters listed in app-config (`multicluster.providers.config`). Tokens
 * are config secrets: one per role under `credentials` (probe, view,
 * deploy), `token` for the roles not named. The CA comes inline or from a
 * file read at each discovery, so a rotated CA is picked up without a restart.
 */
export class ConfigClusterProvider implements ClusterProvider {
  constructor(
    private readonly clusters: StaticClusterConfig[],
    logger?: LoggerService,
  ) {
    if (!logger) return;
    const shared = clusters.filter(
      c => c.token && sharedCredentialRoles(c.credentials).length > 1,
    );
    warnSharedCredentials(logger, {
      configKey: 'multicluster.providers.config',
      subjects: shared.map(c => c.name),
      hint: 'Give each role its own token: credentials: { probe, view, deploy }.',
    });
  }

  getProviderId(): string {
    return 'config';
  }

  async discover(): Promise<ClusterDiscoveryResult> {
    const clusters: DiscoveredCluster[] = [];
    for (const [index, c] of this.clusters.entries()) {
      let caData = c.caData;
      if (c.caFile) {
        try {
          caData = await readFile(expandHome(c.caFile), 'utf8');
        } catch (error) {
          throw new Error(
            `multicluster.providers.config[${index}].caFile: cannot read ${
              c.caFile
            }: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
          );
        }
      }
      const roleCredentials: Partial<
        Record<ClusterRole, ClusterCredentialsResolver>
      > = {};
      for (const [role, token] of Object.entries(c.credentials ?? {})) {
        if (token)
          roleCredentials[role as ClusterRole] = bearerOrAnonymous(token);
      }
      clusters.push({
        sourceId: c.name,
        name: c.name,
        title: c.title,
        url: c.url,
        caData,
        skipTLSVerify: c.skipTLSVerify,
        credentials: bearerOrAnonymous(c.token),
        roleCredentials,
        cloud: c.cloud,
        region: c.region,
        distribution: c.distribution,
        labels: c.labels,
      });
    }
    return { clusters, complete: true };
  }
}
