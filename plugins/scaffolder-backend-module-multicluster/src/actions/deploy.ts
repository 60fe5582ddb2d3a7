/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  AuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { MulticlusterService } from '@archipelago/multicluster-node';
import type { MulticlusterLimits } from '@archipelago/multicluster-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { runDeploy } from '../deploy/deployer';
import { deployInputSchema, deployOutputSchema } from '../deploy/input';
import { MulticlusterInventory } from '../deploy/inventory';
import { deployExamples } from './deploy.examples';

/**
 * The schema callback type createTemplateAction expects. The schemas are
 * built with this package's zod and handed over as is (zod-to-json-schema
 * reads them structurally); the cast keeps TypeScript from comparing two zod
 * copies' types member by member, and ctx.input is parsed by the handler.
 */
type SchemaCallback = Extract<
  NonNullable<
    NonNullable<Parameters<typeof createTemplateAction>[0]['schema']>['input']
  >,
  Function
>;

/** Options of {@link createDeployAction}. @public */
export interface DeployActionOptions {
  /** The multicluster plugin (`multiclusterServiceRef`). */
  multicluster: MulticlusterService;
  /** Kept for existing callers; connection details are read on behalf of the task's user. */
  auth?: AuthService;
  /**
   * Checks `multicluster.cluster.deploy` on each target cluster before
   * anything runs, dry runs included (the multicluster plugin checks again
   * when it hands out the deploy identity).
   */
  permissions?: PermissionsService;
  /** Bound of each call to a cluster's API server, milliseconds (default 15,000). */
  requestTimeoutMs?: number;
  /** Bound of each call to the multicluster API, milliseconds (default 15,000). */
  inventoryTimeoutMs?: number;
  /** Bounds on the manifests, from `multicluster.limits` (defaults: 2 MiB, 1,000 objects, 1 MiB each). */
  limits?: Pick<
    MulticlusterLimits,
    'manifestsBytes' | 'manifestsObjects' | 'manifestObjectBytes'
  >;
}

/**
 * `multicluster:deploy`: one set of Kubernetes manifests onto the clusters a
 * placement selects, with replicas divided by the KubeFed planner, per-cluster
 * overrides, server-side apply, readiness, a progressive rollout that stops
 * past `maxFailures` and rolls touched clusters back, dry-run and task
 * checkpoints. Register it from a scaffolder module:
 * `scaffolder.addActions(createDeployAction({ multicluster, permissions }))`.
 * It writes with each cluster's deploy identity, asked for on behalf of the
 * task's user, and only to clusters where they hold
 * `multicluster.cluster.deploy`; the scaffolder must be allowed that role:
 * `multicluster.connections.allowedPlugins: { deploy: [scaffolder] }`.
 * @public
 */
export function createDeployAction(options: DeployActionOptions) {
  const inventory = new MulticlusterInventory({
    multicluster: options.multicluster,
    permissions: options.permissions,
    timeoutMs: options.inventoryTimeoutMs,
  });
  return createTemplateAction({
    id: 'multicluster:deploy',
    description:
      'Deploys Kubernetes manifests to the clusters a placement selects: replicas divided by weight, per-cluster overrides, server-side apply, readiness, progressive rollout with rollback.',
    examples: deployExamples,
    supportsDryRun: true,
    schema: {
      // The scaffolder renders and checks the JSON Schema of this zod schema; the handler parses again for precise errors.
      input: (() => deployInputSchema) as unknown as SchemaCallback,
      output: (() => deployOutputSchema) as unknown as SchemaCallback,
    },
    async handler(ctx) {
      await runDeploy(
        {
          input: ctx.input,
          workspacePath: ctx.workspacePath,
          logger: ctx.logger,
          isDryRun: ctx.isDryRun,
          signal: ctx.signal,
          checkpoint: opts => ctx.checkpoint(opts),
          output: (name, value) => ctx.output(name as never, value as never),
          getInitiatorCredentials: () => ctx.getInitiatorCredentials(),
        },
        {
          inventory,
          requestTimeoutMs: options.requestTimeoutMs,
          limits: options.limits,
        },
      );
    },
  });
}
