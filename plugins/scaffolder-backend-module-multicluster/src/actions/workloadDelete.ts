/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  parseWorkloadDeleteInput,
  workloadDeleteInputSchema,
  workloadDeleteOutputSchema,
} from '../workload/input';
import {
  type WorkloadActionOptions,
  WorkloadApi,
} from '../workload/workloadApi';
import { workloadDeleteExamples } from './workloadDelete.examples';

/** See deploy.ts: the scaffolder reads this package's zod schemas structurally. */
type SchemaCallback = Extract<
  NonNullable<
    NonNullable<Parameters<typeof createTemplateAction>[0]['schema']>['input']
  >,
  Function
>;

/**
 * `multicluster:workload:delete`: deletes a workload — its objects leave
 * every cluster (unless its `onClusterRemoved` is `orphan`) — and by default
 * waits until it is gone. Deleting what does not exist succeeds.
 * @public
 */
export function createWorkloadDeleteAction(options: WorkloadActionOptions) {
  return createTemplateAction({
    id: 'multicluster:workload:delete',
    description:
      'Deletes a workload: its objects leave every cluster, then the workload goes.',
    examples: workloadDeleteExamples,
    supportsDryRun: true,
    schema: {
      input: (() => workloadDeleteInputSchema) as unknown as SchemaCallback,
      output: (() => workloadDeleteOutputSchema) as unknown as SchemaCallback,
    },
    async handler(ctx) {
      const input = parseWorkloadDeleteInput(ctx.input);
      const api = new WorkloadApi(options, () => ctx.getInitiatorCredentials());
      ctx.output('name', input.name);
      if (ctx.isDryRun) {
        const w = await api.find(input.name, ctx.signal);
        ctx.logger.info(
          w
            ? `Dry run: would delete workload ${input.name} from ${w.status.clusters.length} cluster(s)`
            : `Dry run: workload ${input.name} does not exist; nothing to delete`,
        );
        ctx.output('deleted', !w);
        return;
      }
      const started = await ctx.checkpoint({
        key: `workload.delete.${input.name}`,
        fn: () => api.delete(input.name, ctx.signal),
      });
      if (!started) {
        ctx.logger.info(`Workload ${input.name} does not exist`);
        ctx.output('deleted', true);
        return;
      }
      ctx.logger.info(`Workload ${input.name}: deleting`);
      if (!input.wait) {
        ctx.output('deleted', false);
        return;
      }
      await api.until(input.name, w => !w, {
        timeoutMinutes: input.timeoutMinutes,
        signal: ctx.signal,
        onChange: w =>
          w && ctx.logger.info(`${w.status.phase}: ${w.status.reason}`),
      });
      ctx.logger.info(`Workload ${input.name} deleted`);
      ctx.output('deleted', true);
    },
  });
}
