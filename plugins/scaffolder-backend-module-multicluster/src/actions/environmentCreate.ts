/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ENVIRONMENT_CLOUDS,
  environmentEntityRef,
  ENVIRONMENT_TTL_MAX_MINUTES,
  ENVIRONMENT_TTL_MIN_MINUTES,
  ON_FAILURE_POLICIES,
} from '@archipelago/multicluster-common';
import { TERMINAL, follow, publicCapabilities } from './environmentApi';
import {
  type EnvironmentActionOptions,
  actionError,
  apiFor,
} from './environmentShared';

const examples = [
  {
    description:
      'A small development environment on the local cloud, destroyed after a day',
    example: `steps:
  - id: environment
    name: Create environment
    action: multicluster:environment:create
    input:
      name: \${{ parameters.name }}-dev
      type: dev-small
      cloud: local
      owner: \${{ parameters.owner }}
      ttlMinutes: 1440`,
  },
  {
    description:
      'Production on AWS with a bigger database, kept on failure for a retry',
    example: `steps:
  - id: environment
    name: Create environment
    action: multicluster:environment:create
    input:
      name: payments-prod
      type: production
      cloud: aws
      owner: group:default/payments
      onFailure: keep
      inputs:
        database:
          instanceClass: db.m6g.xlarge
      timeoutMinutes: 60`,
  },
  {
    description:
      'Start creating and go on without waiting (the environment finishes in the background)',
    example: `steps:
  - id: environment
    name: Create environment
    action: multicluster:environment:create
    input:
      name: preview-\${{ parameters.branch }}
      type: dev-small
      cloud: local
      owner: \${{ user.ref }}
      wait: false`,
  },
];

/**
 * `multicluster:environment:create`: creates an environment through the
 * multicluster REST API and (by default) waits until it is ready, logging
 * each component's progress. Idempotent: a retried or recovered task finds
 * the environment it already asked for. A dry run reports the plan.
 * @public
 */
export function createEnvironmentCreateAction(
  options: EnvironmentActionOptions,
) {
  return createTemplateAction({
    id: 'multicluster:environment:create',
    description:
      'Creates an environment (a cluster, database, bucket and network from an environment type and cloud) ' +
      'and waits until it is ready. Outputs its capabilities; secrets only as references.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe(
              'Environment name: 3-40 lower-case letters, digits and -, starting with a letter',
            ),
        type: z =>
          z
            .string()
            .min(1)
            .describe(
              'Environment type, e.g. dev-small, dev-large, production',
            ),
        cloud: z =>
          z
            .enum(ENVIRONMENT_CLOUDS)
            .describe('Where to create it: local, aws, azure or gcp'),
        owner: z =>
          z
            .string()
            .min(1)
            .describe('Owner entity ref, e.g. group:default/team-a'),
        ttlMinutes: z =>
          z
            .number()
            .int()
            .min(ENVIRONMENT_TTL_MIN_MINUTES)
            .max(ENVIRONMENT_TTL_MAX_MINUTES)
            .optional()
            .describe(
              'Destroy the environment this many minutes after creation',
            ),
        inputs: z =>
          z
            .record(z.record(z.unknown()))
            .optional()
            .describe(
              'Per-component input overrides, e.g. { database: { storageGb: 50 } }',
            ),
        wait: z =>
          z
            .boolean()
            .default(true)
            .describe('Wait until the environment is ready (default true)'),
        onFailure: z =>
          z
            .enum(ON_FAILURE_POLICIES)
            .default('rollback')
            .describe(
              'rollback (default) deletes what was created; keep leaves it for a retry',
            ),
        timeoutMinutes: z =>
          z
            .number()
            .min(1)
            .max(24 * 60)
            .default(30)
            .describe('How long to wait for ready (default 30)'),
      },
      output: {
        environmentRef: z =>
          z
            .string()
            .describe(
              "Entity ref of the environment's catalog Resource, e.g. resource:default/payments-dev",
            ),
        name: z =>
          z
            .string()
            .describe(
              'The environment name: the value of the archipelago.dev/environment annotation',
            ),
        status: z =>
          z
            .string()
            .describe(
              'ready, provisioning (wait: false), failed, or planned (dry run)',
            ),
        capabilities: z =>
          z
            .record(z.record(z.unknown()))
            .describe(
              'Capabilities by component; secrets only as { secretRef }',
            ),
        clusterId: z =>
          z
            .string()
            .describe('Inventory id of the created cluster; empty until known'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const api = apiFor(options, () => ctx.getInitiatorCredentials());
      const ref = (name: string) =>
        environmentEntityRef(name, options.catalogNamespace);
      const request = {
        name: input.name,
        type: input.type,
        cloud: input.cloud,
        owner: input.owner,
        ...(input.ttlMinutes !== undefined
          ? { ttlMinutes: input.ttlMinutes }
          : {}),
        inputs: input.inputs ?? {},
        onFailure: input.onFailure ?? 'rollback',
      };

      if (ctx.isDryRun) {
        const plan = await api.plan(request, ctx.signal).catch(e => {
          throw actionError(e);
        });
        ctx.logger.info(
          `Dry run: ${plan.type} on ${plan.cloud} would create ${plan.components.length} components`,
        );
        plan.stages.forEach((stage, i) => {
          const parts = stage.map(key => {
            const c = plan.components.find(x => x.key === key)!;
            return `${key} (${c.kind}: template ${c.template}, driver ${c.driver})`;
          });
          ctx.logger.info(
            `  stage ${i + 1}${
              stage.length > 1 ? ', in parallel' : ''
            }: ${parts.join('; ')}`,
          );
        });
        ctx.output('environmentRef', ref(input.name));
        ctx.output('name', input.name);
        ctx.output('status', 'planned');
        ctx.output('capabilities', {});
        ctx.output('clusterId', '');
        return;
      }

      // Recorded once per task: a recovered task does not ask again, it follows.
      const requested = await ctx.checkpoint({
        key: `multicluster.environment.create.${input.name}`,
        fn: async () => {
          const { environment, created } = await api
            .create(request, ctx.signal)
            .catch(e => {
              throw actionError(e);
            });
          return {
            created,
            status: environment.status,
            createdAt: environment.createdAt,
          };
        },
      });
      ctx.logger.info(
        requested.created
          ? `Creating environment ${input.name} (${input.type} on ${input.cloud})`
          : `Environment ${input.name} already exists with these inputs (${requested.status}); following it`,
      );

      const env =
        input.wait ?? true
          ? await follow({
              api,
              name: input.name,
              until: e => TERMINAL.has(e.status),
              log: (line, level) => ctx.logger[level](line),
              timeoutMs: (input.timeoutMinutes ?? 30) * 60_000,
              pollMs: options.pollIntervalMs,
              signal: ctx.signal,
            })
          : await api.get(input.name, ctx.signal);
      if (!env)
        throw new Error(
          `Environment ${input.name} disappeared while it was being created`,
        );

      ctx.output('environmentRef', ref(env.name));
      ctx.output('name', env.name);
      ctx.output('status', env.status);
      ctx.output('capabilities', publicCapabilities(env));
      ctx.output('clusterId', env.clusterId ?? '');
      if (env.status === 'failed' || env.status === 'destroyed') {
        throw new Error(
          `Environment ${env.name} ${env.status}: ${
            env.reason ?? 'no reason given'
          }`,
        );
      }
      ctx.logger.info(`Environment ${env.name} is ${env.status}`);
    },
  });
}
