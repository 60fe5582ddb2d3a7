/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  MulticlusterLimits,
  Workload,
  WorkloadPlan,
  WorkloadRequest,
} from '@archipelago/multicluster-common';
import {
  parseManifestText,
  Redactor,
  secretValues,
} from '@archipelago/multicluster-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';
import { loadManifests } from '../deploy/loadManifests';
import type { DeployInput } from '../deploy/input';
import {
  checkRawManifests,
  DEFAULT_MANIFEST_LIMITS,
} from '../deploy/manifestLimits';
import {
  parseWorkloadApplyInput,
  workloadApplyInputSchema,
  workloadApplyOutputSchema,
} from '../workload/input';
import {
  type WorkloadActionOptions,
  WorkloadApi,
} from '../workload/workloadApi';
import { workloadApplyExamples } from './workloadApply.examples';

/** See deploy.ts: the scaffolder reads this package's zod schemas structurally. */
type SchemaCallback = Extract<
  NonNullable<
    NonNullable<Parameters<typeof createTemplateAction>[0]['schema']>['input']
  >,
  Function
>;

/** Options of {@link createWorkloadApplyAction}. @public */
export interface WorkloadApplyActionOptions extends WorkloadActionOptions {
  /** Bounds on manifests read from the workspace, from `multicluster.limits`. */
  limits?: Pick<
    MulticlusterLimits,
    'manifestsBytes' | 'manifestsObjects' | 'manifestObjectBytes'
  >;
}

function clusters(w: Workload) {
  return w.status.clusters.map(c => ({
    cluster: c.name,
    revision: c.revision,
    readyReplicas: c.readyReplicas,
    desiredReplicas: c.desiredReplicas,
    failedOver: c.failedOver,
  }));
}

function logPlan(
  logger: { info(m: string): void; warn(m: string): void },
  plan: WorkloadPlan,
  say: (t: string) => string,
) {
  logger.info(`Dry run: this would be revision ${plan.revision}`);
  for (const d of plan.diff)
    logger.info(
      say(
        `  ${d.change.padEnd(9)} ${d.object}${
          d.fields?.length ? `: ${d.fields.join(', ')}` : ''
        }`,
      ),
    );
  logger.info(
    `Placement: ${plan.clusters.length} cluster${
      plan.clusters.length === 1 ? '' : 's'
    }`,
  );
  for (const c of plan.clusters) {
    const replicas = Object.entries(c.replicas)
      .map(([k, n]) => `${k}=${n}`)
      .join(', ');
    logger.info(`  ${c.name}: ${replicas || 'no replicated workloads'}`);
  }
  for (const e of plan.excluded)
    logger.info(`  ${e.cluster}: excluded (${e.message})`);
  for (const [cluster, byKey] of Object.entries(plan.overflow))
    logger.warn(
      `  ${cluster}: capacity keeps out ${Object.entries(byKey)
        .map(([k, n]) => `${k}=${n}`)
        .join(', ')}`,
    );
}

/**
 * `multicluster:workload:apply`: creates a workload or adds a revision to it
 * (the same desired state again changes nothing), then by default waits
 * until the revision is rolled out and available — or fails with the
 * rollout's reason. The multicluster plugin keeps it placed from then on. A
 * dry run prints the diff against the live revision and the replica plan.
 * @public
 */
export function createWorkloadApplyAction(options: WorkloadApplyActionOptions) {
  return createTemplateAction({
    id: 'multicluster:workload:apply',
    description:
      'Creates or updates a workload that the multicluster plugin keeps placed across clusters (failover, drift repair, progressive rollout), and waits for its rollout.',
    examples: workloadApplyExamples,
    supportsDryRun: true,
    schema: {
      input: (() => workloadApplyInputSchema) as unknown as SchemaCallback,
      output: (() => workloadApplyOutputSchema) as unknown as SchemaCallback,
    },
    async handler(ctx) {
      const limits = options.limits ?? DEFAULT_MANIFEST_LIMITS;
      checkRawManifests(
        (ctx.input as { manifests?: unknown })?.manifests,
        limits,
      );
      const input = parseWorkloadApplyInput(ctx.input);
      const { wait, timeoutMinutes, manifestsPath: _path, ...body } = input;
      const manifests =
        input.manifests ??
        ((await loadManifests(
          input as unknown as DeployInput,
          ctx.workspacePath,
          limits,
        )) as Array<Record<string, unknown>>);
      const request: WorkloadRequest = { ...body, manifests };
      // Secret values of the manifests never reach a log line or an output.
      const redactor = new Redactor(
        secretValues(
          typeof manifests === 'string'
            ? parseManifestText(manifests, 'manifests')
            : manifests,
        ),
      );
      const say = (t: string) => redactor.redact(t);
      const api = new WorkloadApi(options, () => ctx.getInitiatorCredentials());
      const existing = await api.find(request.name, ctx.signal);
      ctx.output('name', request.name);

      if (ctx.isDryRun) {
        const plan = await api.plan(request, Boolean(existing), ctx.signal);
        logPlan(ctx.logger, plan, say);
        ctx.output('plan', plan as unknown as JsonObject);
        ctx.output('revision', plan.revision);
        ctx.output('created', false);
        ctx.output('phase', existing?.status.phase ?? 'Progressing');
        ctx.output('reason', 'dry run: nothing was stored or applied');
        ctx.output('clusters', existing ? clusters(existing) : []);
        return;
      }

      // Once per task: a recovered task follows the revision it already made.
      const applied = await ctx.checkpoint({
        key: `workload.apply.${request.name}`,
        fn: async () => {
          const w = await api.apply(request, Boolean(existing), ctx.signal);
          return { revision: w.revision, created: !existing };
        },
      });
      ctx.output('revision', applied.revision);
      ctx.output('created', applied.created);
      ctx.logger.info(
        `Workload ${request.name}: ${
          applied.created ? 'created' : 'updated'
        } at revision ${applied.revision}`,
      );
      let workload = (await api.find(request.name, ctx.signal))!;
      if (wait) {
        const settled = (w: Workload | undefined) =>
          !w ||
          w.revision !== applied.revision ||
          w.status.phase === 'Failed' ||
          w.status.phase === 'Paused' ||
          (w.status.phase === 'Available' &&
            w.status.rollout?.revision === applied.revision &&
            w.status.rollout.state === 'complete');
        workload = (await api.until(request.name, settled, {
          timeoutMinutes,
          signal: ctx.signal,
          onChange: w =>
            w && ctx.logger.info(say(`${w.status.phase}: ${w.status.reason}`)),
        }))!;
        if (!workload) throw new Error(`workload ${request.name} was deleted`);
        if (workload.revision !== applied.revision)
          ctx.logger.warn(
            `Workload ${request.name} moved on to revision ${workload.revision} meanwhile`,
          );
      }
      ctx.output('phase', workload.status.phase);
      ctx.output('reason', say(workload.status.reason));
      ctx.output('clusters', clusters(workload));
      for (const c of workload.status.clusters)
        ctx.logger.info(
          `  ${c.name}: revision ${c.revision}, ${c.readyReplicas}/${
            c.desiredReplicas
          } ready${c.failedOver ? ', failed over' : ''}`,
        );
      if (wait && workload.status.phase === 'Failed')
        throw new Error(
          say(`workload ${request.name} failed: ${workload.status.reason}`),
        );
    },
  });
}
