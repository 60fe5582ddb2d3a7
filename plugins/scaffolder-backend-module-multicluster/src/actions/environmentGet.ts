/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { environmentEntityRef } from '@archipelago/multicluster-common';
import { NotFoundError } from '@backstage/errors';
import { publicCapabilities } from './environmentApi';
import {
  type EnvironmentActionOptions,
  actionError,
  apiFor,
} from './environmentShared';

/**
 * `multicluster:environment:get`: reads an environment, so a template can
 * use an existing environment's capabilities (a database host, a bucket
 * URL, the cluster id). Read-only, so it runs in dry runs too.
 * @public
 */
export function createEnvironmentGetAction(options: EnvironmentActionOptions) {
  return createTemplateAction({
    id: 'multicluster:environment:get',
    description:
      "Reads an environment's status, capabilities (secrets only as references) and cluster id.",
    examples: [
      {
        description:
          'Read an environment and use its database host in a later step',
        example: `steps:
  - id: env
    name: Read environment
    action: multicluster:environment:get
    input:
      name: payments-dev
  - id: render
    name: Render config
    action: fetch:template
    input:
      url: ./skeleton
      values:
        dbHost: \${{ steps.env.output.capabilities.database.host }}`,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string().min(1).describe('Environment name'),
        allowMissing: z =>
          z
            .boolean()
            .default(false)
            .describe(
              'Output status "absent" instead of failing when there is none',
            ),
      },
      output: {
        environmentRef: z =>
          z
            .string()
            .describe("Entity ref of the environment's catalog Resource"),
        status: z => z.string().describe('The environment status, or absent'),
        capabilities: z =>
          z
            .record(z.record(z.unknown()))
            .describe('Capabilities by component; secrets as { secretRef }'),
        clusterId: z =>
          z.string().describe('Inventory id of its cluster; empty when none'),
        components: z =>
          z
            .array(
              z.object({
                key: z.string(),
                kind: z.string(),
                status: z.string(),
              }),
            )
            .describe('Each component and its status'),
      },
    },
    async handler(ctx) {
      const api = apiFor(options, () => ctx.getInitiatorCredentials());
      const env = await api.get(ctx.input.name, ctx.signal).catch(e => {
        throw actionError(e);
      });
      ctx.output(
        'environmentRef',
        environmentEntityRef(ctx.input.name, options.catalogNamespace),
      );
      if (!env) {
        if (!ctx.input.allowMissing)
          throw new NotFoundError(`No environment named ${ctx.input.name}`);
        ctx.output('status', 'absent');
        ctx.output('capabilities', {});
        ctx.output('clusterId', '');
        ctx.output('components', []);
        return;
      }
      ctx.output('status', env.status);
      ctx.output('capabilities', publicCapabilities(env));
      ctx.output('clusterId', env.clusterId ?? '');
      ctx.output(
        'components',
        env.components.map(c => ({
          key: c.key,
          kind: c.kind,
          status: c.status,
        })),
      );
      ctx.logger.info(
        `Environment ${env.name}: ${env.status} (${env.components
          .map(c => `${c.key} ${c.status}`)
          .join(', ')})`,
      );
    },
  });
}
