/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';
import { readModuleConfig } from '@archipelago/multicluster-node';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** Where the local drivers read their settings. */
export const LOCAL_DRIVERS_CONFIG_ROOT = 'multicluster.environments.local';
/** Where the emulated fleet provider reads its settings. */
export const EMULATOR_CONFIG_ROOT = 'multicluster.providers.emulator';

const port = z.number().int().min(1).max(65535);
const labels = z.record(z.string().max(63)).default({});

/**
 * The schema of `multicluster.environments.local`.
 * @public
 */
export const localDrivers = z
  .object({
    enabled: z.boolean().default(true),
    /** A PostgreSQL server for `postgres-database` (shared); embedded PostgreSQL is started when unset. */
    postgres: z
      .object({
        host: z.string().min(1),
        port: port.default(5432),
        user: z.string().min(1),
        password: z.string().min(1),
        database: z.string().min(1).default('postgres'),
        ssl: z.boolean().default(false),
        /** Host name environments see, when it differs from `host`. */
        publicHost: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    /** An S3-compatible endpoint for `s3-bucket`; an in-process s3rver is started when unset. */
    s3: z
      .object({
        endpoint: z.string().url(),
        region: z.string().min(1).default('us-east-1'),
        accessKeyId: z.string().min(1),
        secretAccessKey: z.string().min(1),
        /** Base URL environments see, when it differs from `endpoint`. */
        publicEndpoint: z.string().url().optional(),
      })
      .strict()
      .optional(),
    /** Address pool the `local-network` driver carves environment networks from. */
    network: z
      .object({
        pool: z
          .string()
          .regex(
            /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/,
            'must be an IPv4 CIDR such as 10.64.0.0/10',
          )
          .default('10.64.0.0/10'),
      })
      .strict()
      .default({}),
    /**
     * Environments on the `local` cloud created once at startup when absent
     * (never recreated after a user destroys them), so the demo shows an
     * environment and its capabilities card from the first start.
     */
    exampleEnvironments: z
      .array(
        z
          .object({
            name: z.string().min(3).max(40),
            type: z.string().min(1).max(63),
            owner: z.string().min(1).max(255),
          })
          .strict(),
      )
      .max(10)
      .default([]),
  })
  .strict();

/**
 * The schema of `multicluster.providers.emulator`.
 * @public
 */
export const emulatorProvider = z
  .object({
    enabled: z.boolean().default(true),
    clusters: z.number().int().min(1).max(200).default(6),
    nodesPerCluster: z.number().int().min(1).max(50).default(3),
    /**
     * Give one cluster a realistic fault for demos: `true` makes the third cluster
     * degraded (one node NotReady), a string names the cluster, `false` disables it.
     */
    degraded: z.union([z.boolean(), z.string().min(1)]).default(true),
    /**
     * Stop one cluster at startup, so the demo shows an unreachable one: `true`
     * stops the fourth cluster, a string names it, `false` (the default) none.
     */
    unreachable: z.union([z.boolean(), z.string().min(1)]).default(false),
    /** First port of the fleet; keeps cluster URLs (and so ids) stable across restarts. 0 = random. */
    basePort: z.number().int().min(0).max(65000).default(0),
    /**
     * Port of the fleet's admin endpoint (faults, stop/start a cluster) on 127.0.0.1,
     * for demos and browser tests; unset = no admin endpoint.
     */
    adminPort: port.optional(),
    /**
     * Bearer token of the admin endpoint; when unset, one is generated and
     * kept in `<dataDir>/emulator/admin-token` (mode 0600).
     */
    adminToken: z
      .string()
      .min(16, 'must be at least 16 characters')
      .max(512)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional(),
    labels,
    /**
     * A folder of workload files (YAML bodies of `POST /workloads`) created at
     * startup when absent, so the demo fleet runs something from the start.
     */
    workloadsDirectory: z.string().min(1).optional(),
  })
  .strict();

/** Settings of the local drivers, with the data folder they share. @public */
export type LocalDriversConfig = z.output<typeof localDrivers> & {
  /** Absolute path of `multicluster.environments.dataDir`. */
  dataDir: string;
  /** Nodes one emulated cluster may have (`multicluster.limits.emulatedClusterNodes`). */
  maxClusterNodes: number;
};
/** Settings of the emulated fleet. @public */
export type EmulatorProviderConfig = z.output<typeof emulatorProvider> & {
  /** Where a generated admin token is kept: `<dataDir>/emulator/admin-token`. */
  adminTokenFile?: string;
};

/** The config key bounding the nodes of an emulated cluster. */
export const EMULATED_CLUSTER_NODES_KEY =
  'multicluster.limits.emulatedClusterNodes';
const EMULATED_CLUSTER_NODES_DEFAULT = 10;
const EMULATED_CLUSTER_NODES_CEILING = 50;

/**
 * The data folder the local parts share: `multicluster.environments.dataDir`,
 * absolute, or `archipelago-environments` in the OS temp folder.
 * @public
 */
export function readLocalDataDir(config: Config): string {
  const dataDir = readModuleConfig(
    config,
    'multicluster.environments.dataDir',
    z.string().min(1),
  );
  return path.resolve(
    dataDir ?? path.join(os.tmpdir(), 'archipelago-environments'),
  );
}

/**
 * `multicluster.limits.emulatedClusterNodes`: at most this many nodes per
 * emulated cluster (default 10, at most 50), so one environment cannot
 * make the backend run a large fleet.
 * @public
 */
export function readEmulatedClusterNodesLimit(config: Config): number {
  const value = readModuleConfig(
    config,
    EMULATED_CLUSTER_NODES_KEY,
    z
      .number()
      .int('must be a whole number')
      .min(1, `must be from 1 to ${EMULATED_CLUSTER_NODES_CEILING}`)
      .max(
        EMULATED_CLUSTER_NODES_CEILING,
        `must be from 1 to ${EMULATED_CLUSTER_NODES_CEILING}`,
      ),
  );
  return value ?? EMULATED_CLUSTER_NODES_DEFAULT;
}

/** `true` | `{…}` enable with defaults; absent, `false` or `enabled: false` disable. */
function enabled<S extends z.ZodTypeAny>(
  config: Config,
  root: string,
  schema: S,
): z.output<S> | undefined {
  const raw = config.getOptional(root);
  if (raw === undefined || raw === false) return undefined;
  const parsed: z.output<S> =
    raw === true ? schema.parse({}) : readModuleConfig(config, root, schema);
  return parsed.enabled ? parsed : undefined;
}

/**
 * Reads `multicluster.environments.local` (and the shared `dataDir`):
 * undefined when the local drivers are not enabled. Errors name the key.
 * @public
 */
export function readLocalDriversConfig(
  config: Config,
): LocalDriversConfig | undefined {
  const local = enabled(config, LOCAL_DRIVERS_CONFIG_ROOT, localDrivers);
  if (!local) return undefined;
  return {
    ...local,
    dataDir: readLocalDataDir(config),
    maxClusterNodes: readEmulatedClusterNodesLimit(config),
  };
}

/** Reads `multicluster.providers.emulator`: undefined when not enabled. @public */
export function readEmulatorProviderConfig(
  config: Config,
): EmulatorProviderConfig | undefined {
  const emulator = enabled(config, EMULATOR_CONFIG_ROOT, emulatorProvider);
  if (!emulator) return undefined;
  return emulator.adminPort !== undefined && !emulator.adminToken
    ? {
        ...emulator,
        adminTokenFile: path.join(
          readLocalDataDir(config),
          'emulator',
          'admin-token',
        ),
      }
    : emulator;
}
