/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  CLUSTER_CLOUDS,
  CLUSTER_HEALTHS,
  ENVIRONMENT_CLOUDS,
  ON_FAILURE_POLICIES,
} from '@archipelago/multicluster-common';
import type { MulticlusterService } from '@archipelago/multicluster-node';

/**
 * Registers the plugin's actions with Backstage's actions registry, so AI
 * agents (MCP) and other plugins can use them. Each action calls the plugin's
 * own REST API through `multiclusterServiceRef` with the caller's
 * credentials: the same validation, limits and permission decisions apply as
 * for any other client.
 * @internal
 */
export function registerMulticlusterActions(options: {
  actionsRegistry: ActionsRegistryService;
  multicluster: MulticlusterService;
}): void {
  const { actionsRegistry, multicluster } = options;
  /**
   * An object passed on as the API answers it (openapi.yaml documents its
   * shape); an object schema here would strip its fields.
   */
  type Z = Parameters<
    Parameters<ActionsRegistryService['register']>[0]['schema']['input']
  >[0];
  const anyObject = (z: Z) => z.any();

  actionsRegistry.register({
    name: 'list-clusters',
    title: 'List clusters',
    description:
      'Lists the Kubernetes clusters of the inventory the caller may read, with health, labels and status. ' +
      'Filters: a Kubernetes label selector, clouds, healths and free text; paged with limit and cursor.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          selector: z
            .string()
            .max(10000)
            .optional()
            .describe('Kubernetes label selector, e.g. env=prod,team in (a,b)'),
          cloud: z.array(z.enum(CLUSTER_CLOUDS)).max(5).optional(),
          health: z.array(z.enum(CLUSTER_HEALTHS)).max(6).optional(),
          q: z
            .string()
            .max(200)
            .optional()
            .describe('Free text over name, title and labels'),
          limit: z.number().int().min(1).max(500).optional(),
          cursor: z
            .string()
            .max(4000)
            .optional()
            .describe('nextCursor of the previous page'),
        }),
      output: z =>
        z.object({
          items: z.array(anyObject(z)),
          totalItems: z.number(),
          nextCursor: z.string().optional(),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: await multicluster.listClusters(input, { credentials }),
    }),
  });

  actionsRegistry.register({
    name: 'get-cluster-health',
    title: "Get a cluster's health",
    description:
      "A cluster's current (damped) health with its checks, and the history of probes, newest first.",
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          id: z
            .string()
            .min(1)
            .max(128)
            .describe('Cluster id, as list-clusters returns it'),
        }),
      output: z =>
        z.object({ current: anyObject(z), history: z.array(anyObject(z)) }),
    },
    action: async ({ input, credentials }) => ({
      output: await multicluster.getClusterHealth(input.id, { credentials }),
    }),
  });

  actionsRegistry.register({
    name: 'list-environment-types',
    title: 'List environment types',
    description:
      'The environment types that can be created, and the components each creates on each cloud.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z => z.object({}),
      output: z => z.object({ items: z.array(anyObject(z)) }),
    },
    action: async ({ credentials }) => ({
      output: {
        items: await multicluster.listEnvironmentTypes({ credentials }),
      },
    }),
  });

  actionsRegistry.register({
    name: 'get-environment',
    title: 'Get an environment',
    description:
      "An environment's status, components and capabilities (secret capabilities only as references).",
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z => z.object({ name: z.string().min(3).max(40) }),
      output: z => z.object({ environment: anyObject(z) }),
    },
    action: async ({ input, credentials }) => ({
      output: {
        environment: await multicluster.getEnvironment(input.name, {
          credentials,
        }),
      },
    }),
  });

  actionsRegistry.register({
    name: 'create-environment',
    title: 'Create an environment',
    description:
      'Creates an environment (network, Kubernetes cluster, database, object store) from an environment type and ' +
      'cloud; provisioning goes on in the background. With dryRun, answers the plan and creates nothing.',
    attributes: { destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          name: z.string().min(3).max(40),
          type: z.string().min(1).max(63),
          cloud: z.enum(ENVIRONMENT_CLOUDS),
          owner: z
            .string()
            .min(1)
            .max(255)
            .describe('Entity ref, e.g. group:default/team-a'),
          ttlMinutes: z.number().int().min(10).max(43200).optional(),
          inputs: z.record(z.unknown()).optional(),
          onFailure: z.enum(ON_FAILURE_POLICIES).optional(),
          dryRun: z.boolean().optional(),
        }),
      output: z =>
        z.object({
          outcome: z.enum(['created', 'retried', 'existing', 'planned']),
          environment: anyObject(z).optional(),
          plan: anyObject(z).optional(),
        }),
    },
    action: async ({ input, credentials }) => {
      const { dryRun, ...request } = input;
      if (dryRun) {
        return {
          output: {
            outcome: 'planned' as const,
            plan: await multicluster.planEnvironment(request, { credentials }),
          },
        };
      }
      const result = await multicluster.createEnvironment(request, {
        credentials,
      });
      return {
        output: { outcome: result.outcome, environment: result.environment },
      };
    },
  });

  actionsRegistry.register({
    name: 'destroy-environment',
    title: 'Destroy an environment',
    description:
      'Destroys an environment and everything it created, in reverse dependency order; goes on in the background.',
    attributes: { destructive: true, idempotent: true },
    schema: {
      input: z => z.object({ name: z.string().min(3).max(40) }),
      output: z => z.object({ environment: anyObject(z) }),
    },
    action: async ({ input, credentials }) => ({
      output: {
        environment: await multicluster.destroyEnvironment(input.name, {
          credentials,
        }),
      },
    }),
  });

  actionsRegistry.register({
    name: 'preview-placement',
    title: 'Preview a placement',
    description:
      'Which clusters a placement (cluster names, a label selector, exclusions) selects, which it excludes and why, ' +
      'and how many replicas each would get (KubeFed ReplicaSchedulingPreference rules).',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          placement: z.object({
            clusterNames: z
              .array(z.string().min(1).max(253))
              .max(1000)
              .optional(),
            clusterSelector: z.string().max(10000).optional(),
            exclude: z.array(z.string().min(1).max(253)).max(1000).optional(),
            includeUnreachable: z.boolean().optional(),
          }),
          replicas: z
            .object({
              totalReplicas: z.number().int().min(0).max(2147483647),
              preferences: z.record(
                z.object({
                  minReplicas: z.number().int().min(0).optional(),
                  maxReplicas: z.number().int().min(0).optional(),
                  weight: z.number().int().min(0).optional(),
                }),
              ),
              rebalance: z.boolean().optional(),
              key: z.string().max(512).optional(),
            })
            .optional(),
        }),
      output: z =>
        z.object({
          clusters: z.array(anyObject(z)),
          excluded: z.array(anyObject(z)),
          overflow: z.record(z.number()),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: await multicluster.previewPlacement(input, { credentials }),
    }),
  });
}
