/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';
import { CLUSTER_CLOUDS } from '@archipelago/multicluster-common';
import { z } from 'zod';

const labels = z.record(z.string().max(63)).default({});
const cloud = z.enum(CLUSTER_CLOUDS);

const pluginId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/i, 'must be a plugin id such as kubernetes');

/** One bearer token per role (probe, view, deploy); `token` serves the others. */
const roleTokens = z
  .object({
    probe: z.string().min(1).optional(),
    view: z.string().min(1).optional(),
    deploy: z.string().min(1).optional(),
  })
  .strict();

const staticCluster = z
  .object({
    name: z.string().min(1).max(253),
    title: z.string().optional(),
    url: z.string().url(),
    caData: z.string().optional(),
    caFile: z.string().optional(),
    token: z.string().optional(),
    credentials: roleTokens.optional(),
    skipTLSVerify: z.boolean().default(false),
    labels,
    cloud: cloud.default('other'),
    region: z.string().optional(),
    distribution: z.string().optional(),
  })
  .strict()
  .refine(c => !(c.caData && c.caFile), {
    message: 'set caData or caFile, not both',
  });

/** A context name per role, `{context}` standing for the cluster's context. */
const roleContext = z
  .string()
  .min(1)
  .refine(v => v.includes('{context}'), {
    message: 'must contain {context}, e.g. {context}-view',
  });

const kubeconfigSource = z
  .object({
    /** Kubeconfig file; `~` is expanded. Default: $KUBECONFIG or ~/.kube/config. */
    file: z.string().min(1).optional(),
    /** Context name globs (`*` and `?`); default: every context. */
    contexts: z.array(z.string().min(1)).nonempty().optional(),
    /**
     * The context of each role's identity, e.g. `{ view: '{context}-view' }`:
     * the cluster's own context serves the roles not named. Role contexts are
     * not clusters of their own.
     */
    roleContexts: z
      .object({
        probe: roleContext.optional(),
        view: roleContext.optional(),
        deploy: roleContext.optional(),
      })
      .strict()
      .optional(),
    labels,
    cloud: cloud.optional(),
    region: z.string().optional(),
    /** Timeout for an exec credential plugin, seconds. */
    execTimeoutSeconds: z.number().int().min(1).max(300).default(30),
  })
  .strict();

const catalogProvider = z
  .object({
    enabled: z.boolean().default(true),
    /** A bearer token for catalog clusters (every role `credentials` does not name); anonymous otherwise. */
    token: z.string().optional(),
    credentials: roleTokens.optional(),
    labels,
  })
  .strict();

const healthConfig = z
  .object({
    intervalSeconds: z.number().int().min(1).max(86400).default(60),
    timeoutSeconds: z.number().min(0.1).max(120).default(5),
    concurrency: z.number().int().min(1).max(1024).default(32),
    // Upper bound of the adaptive limit; default four times `concurrency`.
    maxConcurrency: z.number().int().min(1).max(1024).optional(),
    flapThreshold: z.number().int().min(1).max(20).default(2),
    historyLimit: z.number().int().min(1).max(10000).default(100),
    historyMaxAgeHours: z
      .number()
      .min(0.01)
      .max(24 * 90)
      .default(24),
    nonCriticalChecks: z.array(z.string().min(1)).optional(),
  })
  .strict()
  .refine(
    h => h.maxConcurrency === undefined || h.maxConcurrency >= h.concurrency,
    {
      message: 'must be at least multicluster.health.concurrency',
      path: ['maxConcurrency'],
    },
  )
  .transform(h => ({
    ...h,
    maxConcurrency: h.maxConcurrency ?? Math.min(1024, h.concurrency * 4),
  }));

/** The zod schema of the `multicluster` config key (the parts this plugin reads). */
export const multiclusterConfigSchema = z
  .object({
    providers: z
      .object({
        config: z.array(staticCluster).default([]),
        kubeconfig: z.array(kubeconfigSource).default([]),
        catalog: z.union([z.boolean(), catalogProvider]).optional(),
      })
      // Other keys (emulator, aws, azure, gcp, …) belong to provider modules, which validate them.
      .passthrough()
      .default({}),
    health: healthConfig.default({}),
    discovery: z
      .object({
        intervalSeconds: z.number().int().min(1).max(86400).default(300),
        timeoutSeconds: z.number().int().min(1).max(3600).default(120),
      })
      .strict()
      .default({}),
    connections: z
      .object({
        /**
         * Which plugins may read cluster connection details, with the identity
         * of which role: `{ view: [kubernetes], deploy: [scaffolder] }`. The
         * older list form (`[kubernetes, scaffolder]`) gives the listed plugins
         * view and deploy.
         */
        allowedPlugins: z
          .union([
            z.array(pluginId),
            z
              .object({
                view: z.array(pluginId).optional(),
                deploy: z.array(pluginId).optional(),
              })
              .strict(),
          ])
          .default({ view: ['kubernetes'] }),
      })
      .strict()
      .default({}),
  })
  // Other parts of the suite (environments, placement) live under the same key.
  .passthrough();

export type MulticlusterConfig = z.output<typeof multiclusterConfigSchema>;
export type StaticClusterConfig = z.output<typeof staticCluster>;
export type KubeconfigSourceConfig = z.output<typeof kubeconfigSource>;
export type CatalogProviderConfig = z.output<typeof catalogProvider>;
export type HealthConfig = z.output<typeof healthConfig>;

/** Thrown at startup for invalid config; the message names every bad key. */
export class MulticlusterConfigError extends Error {
  name = 'MulticlusterConfigError';
}

/**
 * Reads and validates `multicluster`. Errors name the full key
 * (`multicluster.health.concurrency: Number must be less than or equal to 1024`)
 * and never echo values, since some of them are secrets.
 */
export function readMulticlusterConfig(config: Config): MulticlusterConfig {
  const raw = config.getOptional('multicluster') ?? {};
  const result = multiclusterConfigSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues
      .map(
        issue =>
          `multicluster${issue.path
            .map(p => (typeof p === 'number' ? `[${p}]` : `.${p}`))
            .join('')}: ${issue.message}`,
      )
      .join('; ');
    throw new MulticlusterConfigError(
      `Invalid multicluster config: ${problems}`,
    );
  }
  return result.data;
}

/** The roles a plugin may read connection details for. */
export type ConnectionRole = 'view' | 'deploy';

/**
 * `multicluster.connections.allowedPlugins` as role -> plugin ids. The list
 * form predates roles: its plugins get view and deploy (deploy still only on
 * behalf of a user who holds multicluster.cluster.deploy).
 */
export function connectionCallers(
  c: MulticlusterConfig,
): Record<ConnectionRole, string[]> {
  const allowed = c.connections.allowedPlugins;
  if (Array.isArray(allowed)) return { view: allowed, deploy: allowed };
  return { view: allowed.view ?? [], deploy: allowed.deploy ?? [] };
}

/** Normalises the `catalog` provider's boolean shorthand. */
export function catalogProviderConfig(
  c: MulticlusterConfig,
): CatalogProviderConfig | undefined {
  const v = c.providers.catalog;
  if (v === undefined || v === false) return undefined;
  const parsed = v === true ? catalogProvider.parse({}) : v;
  return parsed.enabled ? parsed : undefined;
}
