/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { EmulatedCluster } from '@archipelago/kube-emulator';
import type {
  ClusterDiscoveryResult,
  ClusterProvider,
} from '@archipelago/multicluster-node';

/**
 * A cluster provider over emulated clusters whose members and labels a test
 * changes (a cluster joining the inventory, a label changing). Each role
 * gets its own token of the emulator.
 */
export class TestFleetProvider implements ClusterProvider {
  readonly members = new Map<
    string,
    { cluster: EmulatedCluster; labels: Record<string, string> }
  >();

  constructor(private readonly id = 'test-fleet') {}

  add(cluster: EmulatedCluster, labels: Record<string, string>) {
    this.members.set(cluster.name, { cluster, labels });
  }

  remove(name: string) {
    this.members.delete(name);
  }

  getProviderId(): string {
    return this.id;
  }

  async discover(): Promise<ClusterDiscoveryResult> {
    return {
      complete: true,
      clusters: [...this.members.values()].map(({ cluster, labels }) => ({
        sourceId: cluster.name,
        name: cluster.name,
        url: cluster.url,
        caData: cluster.caData,
        cloud: 'local' as const,
        labels,
        credentials: async () => ({
          type: 'bearer' as const,
          token: cluster.tokens.admin,
        }),
        roleCredentials: {
          probe: async () => ({
            type: 'bearer' as const,
            token: cluster.tokens.probe,
          }),
          view: async () => ({
            type: 'bearer' as const,
            token: cluster.tokens.view,
          }),
          deploy: async () => ({
            type: 'bearer' as const,
            token: cluster.tokens.deploy,
          }),
        },
      })),
    };
  }
}
