/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { environmentEntityRef } from '@archipelago/multicluster-common';
import { follow } from './environmentApi';
import {
  type EnvironmentActionOptions,
  actionError,
  apiFor,
} from './environmentShared';

/**
 * `multicluster:environment:destroy`: destroys an environment (reverse
 * dependency order, in the engine) and by default waits until it is gone.
 * Idempotent: an environment that is already destroyed, or does not exist,
 * is reported as destroyed.
 * @public
 */
export function createEnvironmentDestroyAction(
  options: EnvironmentActionOptions,
) {
  return createTemplateAction({
    id: 'multicluster:environment:destroy',
    description:
      'Destroys an environment and everything it created, in reverse dependency order.',
    examples: [
      {
        description: 'Tear down a preview environment',
        example: `steps:
  - id: destroy
    name: Destroy environment
    action: multicluster:environment:destroy
    input:
      name: preview-\${{ parameters.branch }}`,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string().min(1).describe('Environment name'),
        wait: z =>
          z
            .boolean()
            .default(true)
            .describe('Wait until it is destroyed (default true)'),
        timeoutMinutes: z =>
          z
            .number()
            .min(1)
            .max(24 * 60)
            .default(30)
            .describe('How long to wait (default 30)'),
      },
      output: {
        environmentRef: z =>
          z
            .string()
            .describe("Entity ref of the environment's catalog Resource"),
        status: z =>
          z
            .string()
            .describe(
              'destroyed, destroying (wait: false), failed, or planned (dry run)',
            ),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const api = apiFor(options, () => ctx.getInitiatorCredentials());
      ctx.output(
        'environmentRef',
        environmentEntityRef(input.name, options.catalogNamespace),
      );
      if (ctx.isDryRun) {
        const env = await api.get(input.name, ctx.signal).catch(e => {
          throw actionError(e);
        });
        ctx.logger.info(
          env
            ? `Dry run: would destroy ${env.name} (${
                env.status
              }), in reverse order: ${[...env.components]
                .reverse()
                .map(c => c.key)
                .join(', ')}`
            : `Dry run: there is no environment ${input.name}; nothing to destroy`,
        );
        ctx.output('status', 'planned');
        return;
      }
      const started = await ctx.checkpoint({
        key: `multicluster.environment.destroy.${input.name}`,
        fn: async () => {
          const env = await api.destroy(input.name, ctx.signal).catch(e => {
            throw actionError(e);
          });
          return env ? env.status : 'absent';
        },
      });
      if (started === 'absent') {
        ctx.logger.info(
          `There is no environment ${input.name}; nothing to destroy`,
        );
        ctx.output('status', 'destroyed');
        return;
      }
      ctx.logger.info(`Destroying environment ${input.name}`);
      const env =
        input.wait ?? true
          ? await follow({
              api,
              name: input.name,
              until: e => e.status === 'destroyed' || e.status === 'failed',
              log: (line, level) => ctx.logger[level](line),
              timeoutMs: (input.timeoutMinutes ?? 30) * 60_000,
              pollMs: options.pollIntervalMs,
              signal: ctx.signal,
            })
          : await api.get(input.name, ctx.signal);
      const status = env?.status ?? 'destroyed';
      ctx.output('status', status);
      if (status === 'failed') {
        throw new Error(
          `Environment ${input.name} could not be destroyed: ${
            env?.reason ?? 'no reason given'
          }`,
        );
      }
      ctx.logger.info(`Environment ${input.name} is ${status}`);
    },
  });
}
