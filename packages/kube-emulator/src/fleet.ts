/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { Server } from 'node:http';
import { join } from 'node:path';
import { createAdminServer } from './admin';
import { EmulatedCluster, startCluster } from './cluster';
import {
  buildKubeConfig,
  KubeConfig,
  kubeConfigYaml,
  writeFileAtomic,
} from './kubeconfig';
import {
  ClusterOptions,
  FleetOptions,
  fleetOptionsSchema,
  parseOptions,
} from './options';

/** Many emulated clusters in one process. */
export interface Fleet {
  readonly clusters: EmulatedCluster[];
  /** A cluster by name ("emulator-3") or 1-based index. */
  cluster(nameOrIndex: string | number): EmulatedCluster;
  /** A kubeconfig with contexts emulator-1 … emulator-N. */
  kubeconfig(options?: { readOnlyContexts?: boolean }): KubeConfig;
  kubeconfigYaml(options?: { readOnlyContexts?: boolean }): string;
  writeKubeconfig(
    file: string,
    options?: { readOnlyContexts?: boolean },
  ): Promise<void>;
  /** Port of the admin HTTP endpoint on 127.0.0.1 (undefined when disabled). */
  readonly adminPort?: number;
  readonly adminUrl?: string;
  stop(): Promise<void>;
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

  const kubeconfig = (options: { readOnlyContexts?: boolean } = {}) =>
    buildKubeConfig(clusters, { readOnlyContexts: options.readOnlyContexts });
  const yamlOf = (options: { readOnlyContexts?: boolean } = {}) =>
    kubeConfigYaml(kubeconfig(options));

  let admin: Server | undefined;
  let boundAdminPort: number | undefined;
  if (adminPort !== null) {
    admin = createAdminServer(
      () => clusters,
      () => yamlOf(),
    );
    await new Promise<void>((resolve, reject) => {
      admin!.once('error', reject);
      admin!.listen({ port: adminPort, host: '127.0.0.1' }, () => resolve());
    });
    const addr = admin.address();
    boundAdminPort = addr && typeof addr === 'object' ? addr.port : undefined;
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
    adminPort: boundAdminPort,
    adminUrl: boundAdminPort ? `http://127.0.0.1:${boundAdminPort}` : undefined,
    async stop() {
      if (admin) {
        const a = admin;
        admin = undefined;
        a.closeAllConnections();
        await new Promise<void>(resolve => a.close(() => resolve()));
      }
      await Promise.all(clusters.map(c => c.stop()));
    },
  };
}
