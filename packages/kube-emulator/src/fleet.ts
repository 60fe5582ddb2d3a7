/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { join } from 'node:path';
import { AdminTarget } from './admin/server';
import { listenAdmin } from './admin/listen';
import { startCluster } from './cluster';
import type { EmulatedCluster } from './clusterTypes';
import {
  buildKubeConfig,
  KubeConfig,
  KubeConfigOptions,
  kubeConfigYaml,
  writeFileAtomic,
} from './kubeconfig';
import {
  ClusterOptions,
  FleetOptions,
  fleetOptionsSchema,
  parseOptions,
} from './options';

/**
 * Many emulated clusters in one process.
 * @public
 */
export interface Fleet {
  /** The clusters, in order. */
  readonly clusters: EmulatedCluster[];
  /** A cluster by name ("emulator-3") or 1-based index. */
  cluster(nameOrIndex: string | number): EmulatedCluster;
  /** A kubeconfig with contexts emulator-1 … emulator-N (and per role, when asked). */
  kubeconfig(options?: KubeConfigOptions): KubeConfig;
  /** {@link Fleet.kubeconfig} as YAML. */
  kubeconfigYaml(options?: KubeConfigOptions): string;
  /** Writes {@link Fleet.kubeconfig} to a file. */
  writeKubeconfig(file: string, options?: KubeConfigOptions): Promise<void>;
  /** Port of the admin HTTP endpoint on 127.0.0.1 (undefined when disabled). */
  readonly adminPort?: number;
  /** URL of the admin HTTP endpoint (undefined when disabled). */
  readonly adminUrl?: string;
  /** The bearer token the admin endpoint requires (undefined when it is disabled). */
  readonly adminToken?: string;
  /** Stops every cluster and the admin endpoint. */
  stop(): Promise<void>;
}

/** An in-process cluster as the admin endpoint sees it. */
export function adminTargetOf(c: EmulatedCluster): AdminTarget {
  return {
    get name() {
      return c.name;
    },
    get url() {
      return c.url;
    },
    get port() {
      return c.port;
    },
    get running() {
      return c.running;
    },
    version: c.options.version.gitVersion,
    nodes: c.options.nodes,
    mode: 'full',
    tokens: c.tokens,
    caData: c.caData,
    faults: c.faults,
    setFaults: f => c.setFaults(f),
    clearFaults: () => c.clearFaults(),
    stop: () => c.stop(),
    start: () => c.start(),
  };
}

const NESTED = ['version', 'nodeTemplate', 'faults', 'nodeLabels'] as const;

/** Per-cluster overrides merged over the fleet defaults, one level deep for nested options. */
function merge(
  defaults: Record<string, any>,
  overrides: Partial<ClusterOptions>,
): ClusterOptions {
  const out: Record<string, any> = { ...defaults, ...overrides };
  for (const k of NESTED) {
    if (defaults[k] !== undefined || (overrides as any)[k] !== undefined) {
      out[k] = { ...(defaults[k] ?? {}), ...((overrides as any)[k] ?? {}) };
    }
  }
  return out as ClusterOptions;
}

/**
 * Starts N clusters (emulator-1 … emulator-N) with shared defaults and optional per-cluster
 * overrides, plus the admin endpoint. Clusters start with bounded concurrency; if one fails,
 * the ones already started are stopped and the error is rethrown.
 * @public
 */
export async function startFleet(input: FleetOptions): Promise<Fleet> {
  const parsed = parseOptions(
    fleetOptionsSchema,
    input,
    'kube-emulator fleet options',
  );
  const {
    clusters: count,
    namePrefix,
    basePort,
    adminPort,
    adminToken,
    adminTokenFile,
    persistenceDir,
    perCluster,
    startConcurrency,
    ...defaults
  } = parsed;
  // zod has applied defaults to every field; pass the caller's own values through so that a
  // perCluster override is not shadowed by a fleet-level default it never set.
  const given = Object.fromEntries(
    Object.entries(input as Record<string, unknown>).filter(
      ([k]) => k in defaults,
    ),
  );
  const clusters: EmulatedCluster[] = new Array(count);
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < count && !failure) {
      const i = next++;
      const index = i + 1;
      const name = `${namePrefix}-${index}`;
      const overrides = perCluster
        ? (perCluster as (n: number) => Partial<ClusterOptions>)(index) ?? {}
        : {};
      const options = merge(
        {
          ...given,
          name,
          port: basePort ? basePort + i : 0,
          persistenceFile: persistenceDir
            ? join(persistenceDir, `${name}.json`)
            : undefined,
        },
        overrides,
      );
      try {
        clusters[i] = await startCluster(options);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(startConcurrency, count) }, worker),
  );
  if (failure) {
    await Promise.all(clusters.filter(Boolean).map(c => c.stop()));
    throw failure;
  }

  const kubeconfig = (options: KubeConfigOptions = {}) =>
    buildKubeConfig(clusters, options);
  const yamlOf = (options: KubeConfigOptions = {}) =>
    kubeConfigYaml(kubeconfig(options));

  let admin: Awaited<ReturnType<typeof listenAdmin>> | undefined;
  if (adminPort !== null) {
    const targets = clusters.map(adminTargetOf);
    try {
      admin = await listenAdmin({
        port: adminPort,
        token: adminToken,
        tokenFile:
          adminTokenFile ??
          (persistenceDir ? join(persistenceDir, 'admin-token') : undefined),
        clusters: () => targets,
        kubeconfigYaml: () => yamlOf(),
      });
    } catch (e) {
      await Promise.all(clusters.map(c => c.stop()));
      throw e;
    }
  }

  return {
    clusters,
    cluster(nameOrIndex) {
      const c =
        typeof nameOrIndex === 'number'
          ? clusters[nameOrIndex - 1]
          : clusters.find(x => x.name === nameOrIndex);
      if (!c) throw new Error(`No cluster ${nameOrIndex} in this fleet`);
      return c;
    },
    kubeconfig,
    kubeconfigYaml: yamlOf,
    async writeKubeconfig(file, options) {
      await writeFileAtomic(file, yamlOf(options));
    },
    adminPort: admin?.port,
    adminUrl: admin?.url,
    adminToken: admin?.token,
    async stop() {
      const a = admin;
      admin = undefined;
      await a?.close();
      await Promise.all(clusters.map(c => c.stop()));
    },
  };
}
