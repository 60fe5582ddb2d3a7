/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  type EnvironmentChangePlan,
  environmentEntityRef,
  ENVIRONMENT_TTL_MAX_MINUTES,
  ENVIRONMENT_TTL_MIN_MINUTES,
} from '@archipelago/multicluster-common';
import { follow, publicCapabilities } from './environmentApi';
import {
  type EnvironmentActionOptions,
  actionError,
  apiFor,
} from './environmentShared';

const examples = [
  {
    description: 'Grow a development environment: dev-small to dev-large',
    example: `steps:
  - id: grow
    name: Grow the environment
    action: multicluster:environment:update
    input:
      name: \${{ parameters.name }}
      type: dev-large`,
  },
  {
    description:
      'Give the database more storage and keep the environment a week',
    example: `steps:
  - id: storage
    name: More storage
    action: multicluster:environment:update
    input:
      name: payments-prod
      inputs:
        database:
          storageGb: 200
      ttlMinutes: 10080`,
  },
];

const ACTION_WORDS: Record<string, string> = {
  unchanged: 'unchanged',
  update: 'updated in place',
  replace: 'replaced',
  recreate: 'recreated',
  create: 'created',
  delete: 'deleted',
};

/** The plan as task log lines: one per component, then the order and the cost. */
export function describeChangePlan(plan: EnvironmentChangePlan): string[] {
  const lines = [
    `Plan: ${plan.from.type} → ${plan.to.type} on ${plan.to.cloud}, revision ${plan.fromRevision} → ${plan.toRevision}`,
  ];
  for (const c of plan.components) {
    const inputs = c.inputs
      .map(i =>
        i.how === 'dependency'
          ? `${i.name} (reads a capability that changes)`
          : `${i.name}: ${JSON.stringify(i.from ?? null)} → ${JSON.stringify(
              i.to ?? null,
            )}`,
      )
      .join(', ');
    const caps = c.capabilities
      .filter(x => x.knownAfterApply || x.to !== undefined)
      .map(x => x.name)
      .join(', ');
    lines.push(
      `  ${c.key}: ${ACTION_WORDS[c.action]}${
        c.fromTemplate ? ` (${c.fromTemplate} → ${c.template})` : ''
      }${inputs ? `; ${inputs}` : ''}${
        caps && c.action !== 'delete'
          ? `; capabilities that change: ${caps}`
          : ''
      }`,
    );
  }
  if (plan.stages.length)
    lines.push(`  order: ${plan.stages.map(s => s.join(' + ')).join(' → ')}`);
  const { from, to } = plan.cost;
  if (from.monthly || to.monthly)
    lines.push(
      `  estimated cost: ${from.monthly} → ${to.monthly} ${to.currency} a month`,
    );
  return lines;
}

/**
 * `multicluster:environment:update`: changes an environment's type, inputs or
 * TTL. It asks for the plan first and logs it (per component: unchanged,
 * updated in place, replaced…), then applies it and, by default, waits;
 * on failure the engine returns the environment to its previous revision and
 * the action fails saying why. A dry run logs the plan only.
 * @public
 */
export function createEnvironmentUpdateAction(
  options: EnvironmentActionOptions,
) {
  return createTemplateAction({
    id: 'multicluster:environment:update',
    description:
      'Changes an environment (type, inputs or TTL) through a plan: logs what changes per component, applies it, ' +
      'and on failure returns to the previous revision.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string().min(1).describe('Environment name'),
        type: z =>
          z
            .string()
            .min(1)
            .optional()
            .describe('The environment type to move to, e.g. dev-large'),
        inputs: z =>
          z
            .record(z.record(z.unknown()))
            .optional()
            .describe(
              'Per-component input overrides; replace the current ones when given',
            ),
        ttlMinutes: z =>
          z
            .number()
            .int()
            .min(ENVIRONMENT_TTL_MIN_MINUTES)
            .max(ENVIRONMENT_TTL_MAX_MINUTES)
            .optional()
            .describe('A new TTL, counted from now'),
        wait: z =>
          z
            .boolean()
            .default(true)
            .describe('Wait until the change is applied (default true)'),
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
              'ready, updating (wait: false), failed, or planned (dry run)',
            ),
        revision: z =>
          z.number().describe('The revision the environment is at afterwards'),
        plan: z =>
          z
            .record(z.string())
            .describe(
              'What happens per component: unchanged, update, replace, create, delete',
            ),
        capabilities: z =>
          z
            .record(z.record(z.unknown()))
            .describe(
              'Capabilities by component; secrets only as { secretRef }',
            ),
        monthlyCost: z =>
          z.number().describe('Estimated monthly cost after the change'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const api = apiFor(options, () => ctx.getInitiatorCredentials());
      const request = {
        ...(input.type ? { type: input.type } : {}),
        ...(input.inputs ? { inputs: input.inputs } : {}),
        ...(input.ttlMinutes !== undefined
          ? { ttlMinutes: input.ttlMinutes }
          : {}),
      };
      ctx.output(
        'environmentRef',
        environmentEntityRef(input.name, options.catalogNamespace),
      );
      // Recorded once per task: a recovered task neither plans nor applies twice.
      const planned = await ctx.checkpoint({
        key: `multicluster.environment.update.plan.${input.name}`,
        fn: async () => {
          const plan = await api
            .planUpdate(input.name, request, ctx.signal)
            .catch(e => {
              throw actionError(e);
            });
          return {
            lines: describeChangePlan(plan),
            actions: Object.fromEntries(
              plan.components.map(c => [c.key, c.action as string]),
            ),
            toRevision: plan.toRevision,
            fromRevision: plan.fromRevision,
            changed: plan.changed,
            monthly: plan.cost.to.monthly,
          };
        },
      });
      for (const line of planned.lines) ctx.logger.info(line);
      ctx.output('plan', planned.actions);
      ctx.output('monthlyCost', planned.monthly);
      if (ctx.isDryRun) {
        ctx.output('status', 'planned');
        ctx.output('revision', planned.fromRevision);
        ctx.output('capabilities', {});
        return;
      }
      // Only the events of this change are logged below, not the environment's history.
      const history = await api.events(input.name, undefined, ctx.signal);
      const lastEvent = history.length ? history[history.length - 1].id : 0;
      const started = await ctx.checkpoint({
        key: `multicluster.environment.update.apply.${input.name}.${planned.toRevision}`,
        fn: async () => {
          const env = await api
            .update(input.name, request, ctx.signal)
            .catch(e => {
              throw actionError(e);
            });
          return {
            status: env.status,
            revision: env.revision ?? 1,
            afterEvent: lastEvent,
          };
        },
      });
      if (started.status !== 'updating')
        ctx.logger.info(
          planned.changed
            ? `Environment ${input.name} is at revision ${started.revision}`
            : `Nothing to change on ${input.name}`,
        );
      const env =
        (input.wait ?? true) && started.status === 'updating'
          ? await follow({
              api,
              name: input.name,
              until: e => e.status !== 'updating',
              log: (line, level) => ctx.logger[level](line),
              timeoutMs: (input.timeoutMinutes ?? 30) * 60_000,
              pollMs: options.pollIntervalMs,
              signal: ctx.signal,
              afterEvent: started.afterEvent,
            })
          : await api.get(input.name, ctx.signal);
      if (!env)
        throw new Error(
          `Environment ${input.name} disappeared while it was being updated`,
        );
      ctx.output('status', env.status);
      ctx.output('revision', env.revision ?? 1);
      ctx.output('capabilities', publicCapabilities(env));
      if (env.status === 'failed') {
        throw new Error(
          `Environment ${input.name} failed: ${
            env.reason ?? 'no reason given'
          }`,
        );
      }
      if (
        (input.wait ?? true) &&
        planned.changed &&
        env.status === 'ready' &&
        (env.revision ?? 1) < planned.toRevision
      ) {
        throw new Error(
          `The update of ${input.name} failed and was reverted: ${
            env.reason ?? 'no reason given'
          }`,
        );
      }
      ctx.logger.info(
        `Environment ${input.name} is ${env.status} at revision ${
          env.revision ?? 1
        }`,
      );
    },
  });
}
