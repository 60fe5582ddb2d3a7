/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { PlacementExclusion } from '@archipelago/multicluster-common';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { JsonValue } from '@backstage/types';
import { namespaceToEnsure } from './clusterOps';
import { rolloutTargets } from './deployCluster';
import {
  formatReplicas,
  formatReport,
  logOverflow,
  summarise,
} from './deployReport';
import { type DeployInput, type DeployResult, parseDeployInput } from './input';
import { type MulticlusterInventory, toConnection } from './inventory';
import { loadManifests } from './loadManifests';
import {
  checkRawManifests,
  DEFAULT_MANIFEST_LIMITS,
  type ManifestLimits,
} from './manifestLimits';
import { KubeClient, type ClusterConnection } from './kubeClient';
import {
  describeManifest,
  type Manifest,
  normaliseManifests,
} from './manifests';
import {
  checkOverrideTargets,
  chooseClusters,
  manifestsForCluster,
  planDeployment,
  type ReplicaPlan,
  replicasOf,
  type TargetCluster,
} from './deploymentPlanner';
import { type Preflight, runPreflight } from './preflight';
import { Redactor, secretValues } from './redact';
import type { RolloutReport } from './rollout';

/** The parts of the scaffolder's ActionContext the deployment uses. @internal */
export interface DeployContext {
  input: unknown;
  workspacePath: string;
  logger: {
    info(message: string): void;
    warn(message: string): void;
    error(message: string): void;
  };
  isDryRun?: boolean;
  signal?: AbortSignal;
  checkpoint<T extends JsonValue | void>(opts: {
    key: string;
    fn: () => Promise<T> | T;
  }): Promise<T>;
  output(name: string, value: JsonValue): void;
  getInitiatorCredentials(): Promise<BackstageCredentials>;
}

/** @internal */
export interface DeployerOptions {
  inventory: Pick<
    MulticlusterInventory,
    'listClusters' | 'checkDeploy' | 'connections'
  >;
  /** Bounds on the manifests (`multicluster.limits`); defaults when absent. */
  limits?: ManifestLimits;
  /** Bound of each Kubernetes API call (default 15 s). */
  requestTimeoutMs?: number;
}

/** What every step after reading the input works from. */
interface Deployment {
  input: DeployInput;
  manifests: Manifest[];
  redactor: Redactor;
  requestTimeoutMs: number;
}

/** The clusters a deployment goes to, and the results of those left out. */
interface Targets {
  credentials: BackstageCredentials;
  selected: TargetCluster[];
  excludedResults: DeployResult[];
}

/** One Kubernetes client per selected cluster with usable connection details. */
interface Clients {
  clients: Map<string, KubeClient>;
  connectionProblems: Map<string, string>;
}

/** The objects of each reachable cluster, with the replicas planned for it. */
interface Plan {
  targets: TargetCluster[];
  perCluster: Map<string, Manifest[]>;
  failureBudget: number;
  preflightResults: DeployResult[];
}

/**
 * `multicluster:deploy`: resolve the placement through the multicluster API,
 * check which clusters answer, plan replicas, then roll out cluster by
 * cluster (server-side apply, readiness, bounded concurrency, maxFailures,
 * rollback), checkpointing each step so a resumed task skips finished work.
 * @internal
 */
export async function runDeploy(
  ctx: DeployContext,
  options: DeployerOptions,
): Promise<void> {
  const deployment = await readDeployment(ctx, options);
  const targets = await resolveTargets(ctx, options, deployment);
  if (ctx.isDryRun) {
    planDryRun(ctx, deployment, targets);
    return;
  }
  const clients = await openClients(options, deployment, targets);
  try {
    const preflight = await runPreflightStep(ctx, deployment, targets, clients);
    const plan = planTargets(ctx, deployment, targets, preflight);
    const report = await rolloutTargets(ctx, {
      input: deployment.input,
      targets: plan.targets,
      perCluster: plan.perCluster,
      clients: clients.clients,
      connectionProblems: clients.connectionProblems,
      failureBudget: plan.failureBudget,
      ensureNamespace: namespaceToEnsure(
        deployment.manifests,
        deployment.input.namespace,
      ),
      requestTimeoutMs: deployment.requestTimeoutMs,
      redactor: deployment.redactor,
    });
    reportResults(ctx, deployment, targets, plan, preflight, report);
  } finally {
    for (const client of clients.clients.values()) client.close();
  }
}

/** The input and its manifests, bounded and validated before anything else. */
async function readDeployment(
  ctx: DeployContext,
  options: DeployerOptions,
): Promise<Deployment> {
  const limits = options.limits ?? DEFAULT_MANIFEST_LIMITS;
  // Before any parsing or validation: the size of what was given, in either form.
  checkRawManifests((ctx.input as { manifests?: unknown })?.manifests, limits);
  const input = parseDeployInput(ctx.input);
  const { namespace } = input;
  const manifests = normaliseManifests(
    await loadManifests(input, ctx.workspacePath, limits),
    namespace,
  );
  checkOverrideTargets(manifests, input.overrides);
  ctx.logger.info(
    `Deploying ${manifests.length} object${
      manifests.length === 1 ? '' : 's'
    } (${manifests
      .map(m => describeManifest(m, namespace))
      .join(', ')}) with field manager ${input.fieldManager}`,
  );
  return {
    input,
    manifests,
    redactor: new Redactor(secretValues(manifests)),
    requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
  };
}

/**
 * The inventory, read as the task's initiator (their permissions decide where
 * they may deploy), narrowed by the placement; refused clusters are named
 * before any work.
 */
async function resolveTargets(
  ctx: DeployContext,
  options: DeployerOptions,
  { input }: Deployment,
): Promise<Targets> {
  const credentials = await ctx.getInitiatorCredentials();
  const inventory = await ctx.checkpoint<TargetCluster[]>({
    key: 'resolve',
    fn: () => options.inventory.listClusters(input.placement, credentials),
  });
  const { selected, excluded } = chooseClusters(input.placement, inventory);
  // Excluded: what the placement left out (as in the preview); skipped: selected but not reached.
  const excludedResults: DeployResult[] = excluded.map(
    (e: PlacementExclusion) => ({
      cluster: e.cluster,
      status: 'excluded',
      replicas: {},
      message: `${e.reason}: ${e.message}`,
    }),
  );
  if (selected.length === 0) {
    ctx.output('results', excludedResults);
    if (excluded.length === 0)
      throw new InputError('No cluster matches the placement');
    throw new Error(
      `No cluster can be deployed to:\n${formatReport(excludedResults)}`,
    );
  }
  // Seeing a cluster never implies deploying to it.
  await options.inventory.checkDeploy(selected, credentials);
  return { credentials, selected, excludedResults };
}

/** Dry run: the plan from the inventory only; no cluster is contacted and nothing is written. */
function planDryRun(
  ctx: DeployContext,
  { input, manifests }: Deployment,
  { selected, excludedResults }: Targets,
) {
  const { namespace } = input;
  const { plan, overflow } = planDeployment({
    manifests,
    namespace,
    clusters: selected,
    replicas: input.replicas,
  });
  const planned = selected.map(c => {
    const objects = manifestsForCluster({
      manifests,
      namespace,
      clusterName: c.name,
      replicas: plan[c.name],
      overrides: input.overrides,
    });
    return { cluster: c.name, replicas: replicasOf(objects, namespace) };
  });
  ctx.logger.info(
    `Dry run: would deploy to ${planned.length} cluster${
      planned.length === 1 ? '' : 's'
    }:`,
  );
  for (const p of planned)
    ctx.logger.info(`  ${p.cluster}: ${formatReplicas(p.replicas)}`);
  for (const s of excludedResults)
    ctx.logger.info(`  ${s.cluster}: excluded (${s.message})`);
  logOverflow(ctx.logger, overflow);
  ctx.output('plan', planned);
  ctx.output('results', excludedResults);
  ctx.output('summary', summarise(excludedResults));
}

/** Connections, fresh each run (tokens are never checkpointed), and one client per cluster. */
async function openClients(
  options: DeployerOptions,
  { requestTimeoutMs }: Deployment,
  { selected, credentials }: Targets,
): Promise<Clients> {
  const details = await options.inventory.connections(
    selected.map(c => c.id),
    credentials,
  );
  const clients = new Map<string, KubeClient>();
  const connectionProblems = new Map<string, string>();
  for (const c of selected) {
    const connection = toConnection(details.get(c.id));
    if ('problem' in connection)
      connectionProblems.set(c.name, connection.problem);
    else
      clients.set(
        c.name,
        new KubeClient(connection as ClusterConnection, {
          requestTimeoutMs,
          maxSockets: 4,
        }),
      );
  }
  return { clients, connectionProblems };
}

/** Preflight: who answers, and what runs there now (kept unless rebalance). */
async function runPreflightStep(
  ctx: DeployContext,
  { input, manifests, redactor }: Deployment,
  { selected }: Targets,
  { clients, connectionProblems }: Clients,
): Promise<Preflight> {
  const { namespace } = input;
  const preflight = await ctx.checkpoint<Preflight>({
    key: 'preflight',
    fn: () =>
      runPreflight(selected, clients, connectionProblems, {
        objectsFor: name =>
          manifestsForCluster({
            manifests,
            namespace,
            clusterName: name,
            replicas: {},
            overrides: input.overrides,
          }),
        namespace,
        input,
        say: message => redactor.redact(message),
      }),
  });
  for (const s of preflight.skipped)
    ctx.logger.warn(`${s.cluster}: skipped, ${s.message}`);
  for (const r of preflight.rejected)
    ctx.logger.error(`${r.cluster}: failed, ${r.message}`);
  return preflight;
}

/**
 * The plan: pure, from checkpointed inputs, so a resumed task plans the same.
 * Fails the task when no cluster is left or refusals already spent maxFailures.
 */
function planTargets(
  ctx: DeployContext,
  { input, manifests }: Deployment,
  { selected, excludedResults }: Targets,
  preflight: Preflight,
): Plan {
  const { namespace } = input;
  const reachableNames = new Set(preflight.reachable.map(r => r.name));
  const targets = selected.filter(c => reachableNames.has(c.name));
  const preflightResults: DeployResult[] = [
    ...preflight.rejected.map(r => ({
      cluster: r.cluster,
      status: 'failed' as const,
      replicas: {},
      message: r.message,
    })),
    ...preflight.skipped.map(s => ({
      cluster: s.cluster,
      status: 'skipped' as const,
      replicas: {},
      message: s.message,
    })),
  ];
  // Refusals count as failures; past maxFailures nothing is touched at all.
  const failureBudget = input.rollout.maxFailures - preflight.rejected.length;
  if (targets.length === 0 || failureBudget < 0) {
    const results = [...preflightResults, ...excludedResults];
    ctx.output('results', results);
    ctx.output('summary', summarise(results));
    const why =
      failureBudget < 0
        ? `${preflight.rejected.length} cluster${
            preflight.rejected.length === 1 ? '' : 's'
          } refused the objects in a server-side dry run (maxFailures ${
            input.rollout.maxFailures
          }); nothing was applied`
        : `none of the ${selected.length} selected clusters can be deployed to`;
    throw new Error(
      `multicluster:deploy failed: ${why}\n${formatReport(results)}`,
    );
  }

  const current: ReplicaPlan = Object.fromEntries(
    preflight.reachable.map(r => [r.name, r.current]),
  );
  const { plan, overflow } = planDeployment({
    manifests,
    namespace,
    clusters: targets,
    replicas: input.replicas,
    current,
  });
  const perCluster = new Map<string, Manifest[]>();
  for (const c of targets) {
    perCluster.set(
      c.name,
      manifestsForCluster({
        manifests,
        namespace,
        clusterName: c.name,
        replicas: plan[c.name],
        overrides: input.overrides,
      }),
    );
  }
  const planned = targets.map(c => ({
    cluster: c.name,
    replicas: replicasOf(perCluster.get(c.name)!, namespace),
  }));
  ctx.output('plan', planned);
  ctx.logger.info(
    `Plan: ${targets.length} cluster${
      targets.length === 1 ? '' : 's'
    }, at most ${input.rollout.maxConcurrent} at a time, maxFailures ${
      input.rollout.maxFailures
    }, onFailure ${input.onFailure}`,
  );
  for (const p of planned)
    ctx.logger.info(`  ${p.cluster}: ${formatReplicas(p.replicas)}`);
  logOverflow(ctx.logger, overflow);
  for (const o of input.overrides) {
    if (!targets.some(t => t.name === o.clusterName))
      ctx.logger.warn(
        `Overrides for ${o.clusterName} are unused: it is not deployed to`,
      );
  }
  return { targets, perCluster, failureBudget, preflightResults };
}

/** The results and summary outputs; fails the task when the rollout stopped. */
function reportResults(
  ctx: DeployContext,
  { input, redactor }: Deployment,
  { excludedResults }: Targets,
  { targets, perCluster, preflightResults }: Plan,
  preflight: Preflight,
  report: RolloutReport,
) {
  const { namespace } = input;
  const results: DeployResult[] = [
    ...targets.map(c => {
      const r = report.reports.get(c.name)!;
      const replicas =
        r.status === 'skipped' || r.status === 'rolled-back'
          ? {}
          : replicasOf(perCluster.get(c.name)!, namespace);
      return {
        cluster: c.name,
        status: r.status,
        replicas,
        message: redactor.redact(r.message),
      };
    }),
    ...preflightResults,
    ...excludedResults,
  ];
  ctx.output('results', results);
  const summary = summarise(results);
  ctx.output('summary', summary);
  ctx.logger.info(`Result:\n${formatReport(results)}`);

  const failures = report.failures + preflight.rejected.length;
  if (report.stopped || report.cancelled) {
    const cause = report.cancelled
      ? 'the task was cancelled'
      : `${failures} cluster${failures === 1 ? '' : 's'} failed (maxFailures ${
          input.rollout.maxFailures
        })`;
    const after = report.rolledBack
      ? `; the rollout stopped and ${summary.rolledBack} touched cluster${
          summary.rolledBack === 1 ? ' was' : 's were'
        } rolled back`
      : '; the rollout stopped and what was applied was kept (onFailure keep)';
    throw new Error(
      `multicluster:deploy failed: ${cause}${after}\n${formatReport(results)}`,
    );
  }
  if (failures > 0) {
    ctx.logger.warn(
      `${failures} cluster(s) failed, within maxFailures ${input.rollout.maxFailures}; they were left as they are`,
    );
  }
}
