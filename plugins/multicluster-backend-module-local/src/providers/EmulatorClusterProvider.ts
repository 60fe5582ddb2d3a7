/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ClusterDiscoveryResult,
  ClusterProvider,
  DiscoveredCluster,
} from '@archipelago/multicluster-node';
import type { ClusterCloud } from '@archipelago/multicluster-common';
import { startFleet } from '@archipelago/kube-emulator';
import type { EmulatorProviderConfig } from '../config';

type Fleet = Awaited<ReturnType<typeof startFleet>>;

/** Where the emulated clusters pretend to run, round-robin, so a fresh portal shows a realistic spread. */
export const EMULATOR_PLACEMENTS: Array<{
  cloud: ClusterCloud;
  region: string;
  env: string;
  team: string;
}> = [
  { cloud: 'aws', region: 'us-east-1', env: 'production', team: 'payments' },
  { cloud: 'azure', region: 'westeurope', env: 'production', team: 'platform' },
  { cloud: 'gcp', region: 'europe-west1', env: 'staging', team: 'search' },
  { cloud: 'aws', region: 'eu-west-1', env: 'staging', team: 'payments' },
  { cloud: 'azure', region: 'eastus', env: 'development', team: 'platform' },
  { cloud: 'gcp', region: 'us-central1', env: 'development', team: 'search' },
  { cloud: 'local', region: 'local', env: 'development', team: 'platform' },
];

/** Which cluster (1-based) gets the demo fault, if any. */
export function degradedIndex(
  config: EmulatorProviderConfig,
  names: string[],
): number | undefined {
  if (config.degraded === false) return undefined;
  if (config.degraded === true) return Math.min(3, names.length);
  const i = names.indexOf(config.degraded);
  return i >= 0 ? i + 1 : undefined;
}

/** Which cluster (1-based) is stopped at startup for the demo, if any. */
export function unreachableIndex(
  config: EmulatorProviderConfig,
  names: string[],
): number | undefined {
  if (config.unreachable === false) return undefined;
  if (config.unreachable === true) {
    const i = Math.min(4, names.length);
    return i === degradedIndex(config, names) ? undefined : i;
  }
  const i = names.indexOf(config.unreachable);
  return i >= 0 ? i + 1 : undefined;
}

/**
 * The embedded default for local development: starts an emulated fleet in
 * this process (127.0.0.1 only) and lists it, with labels by cloud, region,
 * environment and team. One cluster can carry a degraded fault (a NotReady
 * node) so the health model is visible on day one. Not for production: each
 * replica would start its own fleet.
 * @public
 */
export class EmulatorClusterProvider implements ClusterProvider {
  private fleet?: Promise<Fleet>;

  constructor(
    private readonly config: EmulatorProviderConfig,
    private readonly logger: LoggerService,
  ) {}

  /** `emulator`. */
  getProviderId(): string {
    return 'emulator';
  }

  private start(): Promise<Fleet> {
    if (!this.fleet) {
      const names = Array.from(
        { length: this.config.clusters },
        (_, i) => `emulator-${i + 1}`,
      );
      const degraded = degradedIndex(this.config, names);
      this.fleet = startFleet({
        clusters: this.config.clusters,
        namePrefix: 'emulator',
        nodes: this.config.nodesPerCluster,
        adminPort: this.config.adminPort ?? null,
        ...(this.config.adminToken
          ? { adminToken: this.config.adminToken }
          : {}),
        ...(this.config.adminTokenFile
          ? { adminTokenFile: this.config.adminTokenFile }
          : {}),
        ...(this.config.basePort > 0 ? { basePort: this.config.basePort } : {}),
        perCluster: (i: number) => {
          const p = EMULATOR_PLACEMENTS[(i - 1) % EMULATOR_PLACEMENTS.length];
          return {
            nodeTemplate: { region: p.region },
            // One NotReady node of at least two: degraded, not down.
            ...(i === degraded
              ? {
                  nodes: Math.max(2, this.config.nodesPerCluster),
                  faults: { nodesNotReady: 1 },
                }
              : {}),
          };
        },
      }).then(
        async fleet => {
          const unreachable = unreachableIndex(this.config, names);
          // Stopped, not removed: discovered and probed like any other, it refuses connections.
          if (unreachable) await fleet.clusters[unreachable - 1].stop();
          this.logger.info(
            `Started an emulated fleet of ${
              fleet.clusters.length
            } clusters for the multicluster inventory${
              degraded
                ? ` (emulator-${degraded} has a NotReady node for the demo)`
                : ''
            }${
              unreachable
                ? ` (emulator-${unreachable} is stopped: unreachable until started again)`
                : ''
            }`,
          );
          return fleet;
        },
        error => {
          this.fleet = undefined;
          throw error;
        },
      );
    }
    return this.fleet;
  }

  /** Starts the emulated fleet on first use and lists its clusters. */
  async discover(): Promise<ClusterDiscoveryResult> {
    const fleet = await this.start();
    const clusters: DiscoveredCluster[] = fleet.clusters.map((c, index) => {
      const p = EMULATOR_PLACEMENTS[index % EMULATOR_PLACEMENTS.length];
      // One identity per role, never the admin token: the prober gets probe,
      // the Kubernetes plugin view, writes deploy.
      const { probe, view, deploy } = c.tokens;
      const bearer = (token: string) => async () =>
        ({ type: 'bearer', token } as const);
      return {
        sourceId: c.name,
        name: c.name,
        title: `Emulated ${p.cloud.toUpperCase()} ${p.region} (${index + 1})`,
        url: c.url,
        caData: c.caData,
        credentials: bearer(probe),
        roleCredentials: {
          probe: bearer(probe),
          view: bearer(view),
          deploy: bearer(deploy),
        },
        cloud: p.cloud,
        region: p.region,
        distribution: 'emulator',
        labels: {
          cloud: p.cloud,
          region: p.region,
          env: p.env,
          team: p.team,
          'archipelago.dev/emulated': 'true',
          ...this.config.labels,
        },
      };
    });
    return { clusters, complete: true };
  }

  /** Stops the fleet (plugin shutdown). */
  async stop(): Promise<void> {
    const fleet = this.fleet;
    this.fleet = undefined;
    if (fleet) await (await fleet).stop();
  }
}
