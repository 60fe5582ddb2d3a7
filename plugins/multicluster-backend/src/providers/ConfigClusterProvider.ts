/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type ClusterDiscoveryResult,
  type ClusterProvider,
  type DiscoveredCluster,
  expandHome,
} from '@archipelago/multicluster-node';
import { readFile } from 'node:fs/promises';
import type { StaticClusterConfig } from '../config';

/**
 * Clusters listed in app-config (`multicluster.providers.config`). The token is
 * a config secret; the CA comes inline or from a file read at each discovery,
 * so a rotated CA is picked up without a restart.
 */
export class ConfigClusterProvider implements ClusterProvider {
  constructor(private readonly clusters: StaticClusterConfig[]) {}

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
      const token = c.token;
      clusters.push({
        sourceId: c.name,
        name: c.name,
        title: c.title,
        url: c.url,
        caData,
        skipTLSVerify: c.skipTLSVerify,
        credentials: async () =>
          token ? { type: 'bearer', token } : { type: 'anonymous' },
        cloud: c.cloud,
        region: c.region,
        distribution: c.distribution,
        labels: c.labels,
      });
    }
    return { clusters, complete: true };
  }
}
