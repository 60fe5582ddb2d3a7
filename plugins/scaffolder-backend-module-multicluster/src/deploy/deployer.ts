/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { PlacementExclusion } from '@archipelago/multicluster-common';
import {
  type BackstageCredentials,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { JsonValue } from '@backstage/types';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  type ApplyProgress,
  applyCluster,
  captureCluster,
  capturedSecrets,
  type ClusterSnapshot,
  dryRunApply,
  DryRunRejection,
  namespaceToEnsure,
  rollbackCluster,
  waitForWorkloads,
} from './clusterOps';
import { type DeployInput, type DeployResult, parseDeployInput } from './input';
import { type MulticlusterInventory, toConnection } from './inventory';
import {
  checkParsedManifests,
  checkRawManifests,
  DEFAULT_MANIFEST_LIMITS,
  type ManifestLimits,
} from './manifestLimits';
import { KubeApiError, KubeClient, type ClusterConnection } from './kubeClient';
import {
  describeManifest,
  hasReadiness,
  isWorkload,
  type Manifest,
  normaliseManifests,
  parseManifestText,
  workloadKey,
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
import { Redactor, secretValues, withoutSecretData } from './redact';
import { type DeployOutcome, runRollout } from './rollout';

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

/** A deploy outcome with what a rollback needs; stored as a checkpoint. */
interface ClusterOutcome extends DeployOutcome {
  applied: number;
  namespaceCreated: boolean;
  [key: string]: JsonValue;
}

interface Preflight {
  reachable: Array<{ name: string; current: Record<string, number> }>;
  /** Did not answer or could not be authenticated to: reported, no replicas. */
  skipped: Array<{ cluster: string; message: string }>;
  /** Answered but refused the objects in a server-side dry run: failed, untouched. */
  rejected: Array<{ cluster: string; message: string }>;
  [key: string]: JsonValue;
}

const PROGRESS_LOG_INTERVAL_MS = 10_000;

/** Reads the manifests from the input text/objects or from the workspace. @internal */
export async function loadManifests(
  input: DeployInput,
  workspacePath: string,
  limits: ManifestLimits = DEFAULT_MANIFEST_LIMITS,
): Promise<unknown[]> {
  if (input.manifests !== undefined) {
    if (typeof input.manifests !== 'string') return input.manifests;
    const parsed = parseManifestText(input.manifests, 'manifests');
    checkParsedManifests(parsed, limits);
    return parsed;
  }
  const given = input.manifestsPath!;
  let target: string;
  try {
    target = resolveSafeChildPath(workspacePath, given);
  } catch {
    throw new InputError(
      `Invalid input: manifestsPath "${given}" is outside the task workspace`,
    );
  }
  const stat = await fs.stat(target).catch(() => undefined);
  if (!stat)
    throw new InputError(
      `Invalid input: manifestsPath "${given}" does not exist in the task workspace`,
    );
  const files = stat.isDirectory()
    ? (await fs.readdir(target))
        .filter(f => /\.ya?ml$/.test(f))
        .sort()
        .map(f => path.join(target, f))
    : [target];
  if (files.length === 0)
    throw new InputError(
      `Invalid input: manifestsPath "${given}" holds no .yaml or .yml file`,
    );
  const objects: unknown[] = [];
  let total = 0;
  for (const file of files) {
    // Sized before reading: a huge file is refused, not loaded.
    total += (await fs.stat(file)).size;
    if (total > limits.manifestsBytes) {
      throw new InputError(
        `Invalid input: the manifests under "${given}" are over the limit of ${limits.manifestsBytes} bytes (multicluster.limits.manifestsBytes)`,
      );
    }
    const text = await fs.readFile(file, 'utf8');
    objects.push(
      ...parseManifestText(text, path.relative(workspacePath, file) || given),
    );
  }
  checkParsedManifests(objects, limits);
  return objects;
}

function summarise(results: DeployResult[]) {
  const count = (status: DeployResult['status']) =>
    results.filter(r => r.status === status).length;
  return {
    ready: count('ready'),
    applied: count('applied'),
    failed: count('failed'),
    skipped: count('skipped'),
    excluded: count('excluded'),
    rolledBack: count('rolled-back'),
  };
}

function formatReplicas(replicas: Record<string, number>): string {
  const entries = Object.entries(replicas);
  return entries.length ? entries.map(([k, n]) => `${k}=${n}`).join(', ') : '-';
}

/** One line per cluster, for logs and the error of a failed task. @internal */
export function formatReport(results: DeployResult[]): string {
  const width = Math.max(7, ...results.map(r => r.cluster.length));
  return results
    .map(
      r =>
        `${r.cluster.padEnd(width)}  ${r.status.padEnd(11)}  ${formatReplicas(
          r.replicas,
        )}  ${r.message}`,
    )
    .join('\n');
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
  const limits = options.limits ?? DEFAULT_MANIFEST_LIMITS;
  // Before any parsing or validation: the size of what was given, in either form.
  checkRawManifests((ctx.input as { manifests?: unknown })?.manifests, limits);
  const input = parseDeployInput(ctx.input);
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  const { namespace } = input;
  const manifests = normaliseManifests(
    await loadManifests(input, ctx.workspacePath, limits),
    namespace,
  );
  checkOverrideTargets(manifests, input.overrides);
  const redactor = new Redactor(secretValues(manifests));
  const say = (message: string) => redactor.redact(message);
  ctx.logger.info(
    `Deploying ${manifests.length} object${
      manifests.length === 1 ? '' : 's'
    } (${manifests
      .map(m => describeManifest(m, namespace))
      .join(', ')}) with field manager ${input.fieldManager}`,
  );

  // 1. The inventory, read as the task's initiator: their permissions decide where they may deploy.
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

  // Seeing a cluster never implies deploying to it: refused clusters are named, before any work.
  await options.inventory.checkDeploy(selected, credentials);

  if (ctx.isDryRun) {
    // Dry run: the inventory only; no cluster is contacted and nothing is written.
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
    logOverflow(ctx, overflow);
    ctx.output('plan', planned);
    ctx.output('results', excludedResults);
    ctx.output('summary', summarise(excludedResults));
    return;
  }

  // 2. Connections (fresh each run: tokens are never checkpointed) and one client per cluster.
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

  try {
    // 3. Preflight: who answers, and what runs there now (kept unless rebalance).
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
          say,
        }),
    });
    for (const s of preflight.skipped)
      ctx.logger.warn(`${s.cluster}: skipped, ${s.message}`);
    for (const r of preflight.rejected)
      ctx.logger.error(`${r.cluster}: failed, ${r.message}`);
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

    // 4. The plan: pure, from checkpointed inputs, so a resumed task plans the same.
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
    logOverflow(ctx, overflow);
    for (const o of input.overrides) {
      if (!targets.some(t => t.name === o.clusterName))
        ctx.logger.warn(
          `Overrides for ${o.clusterName} are unused: it is not deployed to`,
        );
    }

    // 5. The rollout.
    const snapshots = new Map<string, ClusterSnapshot>();
    const ensureNamespace = namespaceToEnsure(manifests, namespace);
    const report = await runRollout<TargetCluster, ClusterOutcome>(
      targets,
      {
        maxConcurrent: input.rollout.maxConcurrent,
        maxFailures: failureBudget,
        onFailure: input.onFailure,
        signal: ctx.signal,
      },
      {
        deploy: async (cluster, signal) => {
          const client = clients.get(cluster.name);
          const objects = perCluster.get(cluster.name)!;
          if (!client) {
            // Reachable at preflight (maybe before a restart), but its connection details are unusable now.
            const problem =
              connectionProblems.get(cluster.name) ?? 'no connection details';
            return {
              status: 'failed',
              message: say(`no usable connection: ${problem}`),
              touched: false,
              applied: 0,
              namespaceCreated: false,
            };
          }
          const captured = await ctx.checkpoint<{
            ok: boolean;
            message?: string;
            snapshot?: ClusterSnapshot;
          }>({
            key: `capture.${cluster.id}`,
            fn: async () => {
              try {
                const snapshot = await captureCluster(
                  client,
                  objects,
                  namespace,
                );
                redactor.add(secretValues(capturedSecrets(snapshot)));
                snapshots.set(cluster.name, snapshot);
                // Stored without Secret data; the full snapshot stays in memory for this run.
                return {
                  ok: true,
                  snapshot: {
                    ...snapshot,
                    objects: snapshot.objects.map(o =>
                      o.previous
                        ? { ...o, previous: withoutSecretData(o.previous) }
                        : o,
                    ),
                  },
                };
              } catch (error) {
                return {
                  ok: false,
                  message: say(
                    `could not read the current state: ${
                      (error as Error).message
                    }`,
                  ),
                };
              }
            },
          });
          if (!captured.ok)
            return {
              status: 'failed',
              message: captured.message!,
              touched: false,
              applied: 0,
              namespaceCreated: false,
            };
          if (!snapshots.has(cluster.name))
            snapshots.set(cluster.name, captured.snapshot!);
          return ctx.checkpoint<ClusterOutcome>({
            key: `deploy.${cluster.id}`,
            fn: () =>
              deployOne(ctx, client, cluster, objects, {
                input,
                ensureNamespace,
                signal,
                requestTimeoutMs,
                say,
              }),
          });
        },
        rollback: async (cluster, outcome) => {
          const snapshot = snapshots.get(cluster.name);
          const client = clients.get(cluster.name);
          if (!snapshot) return ['no snapshot of the previous state was taken'];
          if (!client) return ['no usable connection to roll back with'];
          ctx.logger.info(`${cluster.name}: rolling back`);
          const problems = await ctx.checkpoint<string[]>({
            key: `rollback.${cluster.id}`,
            fn: async () =>
              (
                await rollbackCluster(client, snapshot, {
                  applied:
                    typeof outcome.applied === 'number'
                      ? outcome.applied
                      : snapshot.objects.length,
                  namespaceCreated:
                    typeof outcome.namespaceCreated === 'boolean'
                      ? outcome.namespaceCreated
                      : !snapshot.namespace?.existed,
                  requestTimeoutMs,
                })
              ).map(say),
          });
          return problems;
        },
        onSettled: (cluster, r) => {
          const line = say(`${cluster.name}: ${r.status} - ${r.message}`);
          if (r.status === 'failed') ctx.logger.error(line);
          else ctx.logger.info(line);
        },
      },
    );

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
          message: say(r.message),
        };
      }),
      ...preflightResults,
      ...excludedResults,
    ];
    ctx.output('results', results);
    const summary = summarise(results);
    ctx.output('summary', summary);
    ctx.logger.info(`Result:\n${formatReport(results)}`);

    if (report.stopped || report.cancelled) {
      const failures = report.failures + preflight.rejected.length;
      const cause = report.cancelled
        ? 'the task was cancelled'
        : `${failures} cluster${
            failures === 1 ? '' : 's'
          } failed (maxFailures ${input.rollout.maxFailures})`;
      const after = report.rolledBack
        ? `; the rollout stopped and ${summary.rolledBack} touched cluster${
            summary.rolledBack === 1 ? ' was' : 's were'
          } rolled back`
        : '; the rollout stopped and what was applied was kept (onFailure keep)';
      throw new Error(
        `multicluster:deploy failed: ${cause}${after}\n${formatReport(
          results,
        )}`,
      );
    }
    if (report.failures + preflight.rejected.length > 0) {
      ctx.logger.warn(
        `${
          report.failures + preflight.rejected.length
        } cluster(s) failed, within maxFailures ${
          input.rollout.maxFailures
        }; they were left as they are`,
      );
    }
  } finally {
    for (const client of clients.values()) client.close();
  }
}

function logOverflow(ctx: DeployContext, overflow: ReplicaPlan) {
  for (const [cluster, byWorkload] of Object.entries(overflow)) {
    ctx.logger.warn(
      `${cluster}: capacity kept out ${formatReplicas(
        byWorkload,
      )} (overflow; placed elsewhere where possible)`,
    );
  }
}

/**
 * Which selected clusters can take the deployment, before any is touched:
 * each must answer (the current replicas of the workloads are read on the
 * way) and accept every object in a server-side dry run.
 */
async function runPreflight(
  selected: TargetCluster[],
  clients: Map<string, KubeClient>,
  connectionProblems: Map<string, string>,
  options: {
    objectsFor: (clusterName: string) => Manifest[];
    namespace: string;
    input: DeployInput;
    say: (text: string) => string;
  },
): Promise<Preflight> {
  const { namespace, input, say } = options;
  type Outcome =
    | { current: Record<string, number> }
    | { skipped: string }
    | { rejected: string };
  const results = new Map<string, Outcome>();
  const queue = selected.filter(c => {
    const problem = connectionProblems.get(c.name);
    if (problem)
      results.set(c.name, { skipped: say(`no usable connection: ${problem}`) });
    return !problem;
  });
  let i = 0;
  const worker = async () => {
    while (i < queue.length) {
      const cluster = queue[i++];
      const client = clients.get(cluster.name)!;
      const objects = options.objectsFor(cluster.name);
      try {
        const current: Record<string, number> = {};
        for (const w of objects.filter(isWorkload)) {
          const plural =
            w.kind === 'Deployment' ? 'deployments' : 'statefulsets';
          const live = await client.get<Record<string, any>>(
            `/apis/apps/v1/namespaces/${encodeURIComponent(
              namespace,
            )}/${plural}/${encodeURIComponent(w.metadata.name)}`,
          );
          if (live)
            current[workloadKey(w, namespace)] = live.spec?.replicas ?? 1;
        }
        await dryRunApply(client, objects, {
          namespace,
          fieldManager: input.fieldManager,
        });
        results.set(cluster.name, { current });
      } catch (error) {
        const e = error as Error;
        if (e instanceof DryRunRejection) {
          results.set(cluster.name, {
            rejected: say(
              `refused in a server-side dry run, nothing applied: ${e.message}`,
            ),
          });
          continue;
        }
        let kind = 'not usable';
        if (e instanceof KubeApiError && e.unreachable)
          kind = e.status === 401 ? 'unauthorized' : 'unreachable';
        results.set(cluster.name, { skipped: say(`${kind}: ${e.message}`) });
      }
    }
  };
  const concurrency = Math.min(
    50,
    Math.max(8, input.rollout.maxConcurrent * 2),
  );
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length || 1) }, worker),
  );
  const preflight: Preflight = { reachable: [], skipped: [], rejected: [] };
  for (const c of selected) {
    const r = results.get(c.name)!;
    if ('current' in r)
      preflight.reachable.push({ name: c.name, current: r.current });
    else if ('rejected' in r)
      preflight.rejected.push({ cluster: c.name, message: r.rejected });
    else preflight.skipped.push({ cluster: c.name, message: r.skipped });
  }
  return preflight;
}

async function deployOne(
  ctx: DeployContext,
  client: KubeClient,
  cluster: TargetCluster,
  objects: Manifest[],
  options: {
    input: DeployInput;
    ensureNamespace?: string;
    signal: AbortSignal;
    requestTimeoutMs: number;
    say: (text: string) => string;
  },
): Promise<ClusterOutcome> {
  const { input, say } = options;
  const namespace = input.namespace;
  const started = Date.now();
  const deadline = started + input.rollout.timeoutSeconds * 1000;
  const remaining = () =>
    Math.max(1000, Math.min(options.requestTimeoutMs, deadline - Date.now()));
  const progress: ApplyProgress = {
    namespaceCreated: false,
    applied: 0,
    generations: new Map(),
    paths: new Map(),
  };
  const outcome = (
    status: DeployOutcome['status'],
    message: string,
  ): ClusterOutcome => ({
    status,
    message: say(message),
    touched: progress.applied > 0 || progress.namespaceCreated,
    applied: progress.applied,
    namespaceCreated: progress.namespaceCreated,
  });
  ctx.logger.info(
    `${cluster.name}: applying ${objects.length} object${
      objects.length === 1 ? '' : 's'
    }`,
  );
  try {
    await applyCluster(client, objects, {
      namespace,
      fieldManager: input.fieldManager,
      ensureNamespace: options.ensureNamespace,
      progress,
      timeoutMs: remaining,
    });
  } catch (error) {
    const failedOn = objects[Math.max(progress.applied - 1, 0)];
    return outcome(
      'failed',
      `apply failed on ${describeManifest(failedOn, namespace)}: ${
        (error as Error).message
      }`,
    );
  }
  if (!input.rollout.waitForReady || !objects.some(hasReadiness)) {
    return outcome(
      'applied',
      `applied ${objects.length} object${
        objects.length === 1 ? '' : 's'
      }, readiness not awaited`,
    );
  }
  let lastLog = Date.now();
  const wait = await waitForWorkloads(client, objects, {
    namespace,
    progress,
    deadline,
    signal: options.signal,
    requestTimeoutMs: options.requestTimeoutMs,
    onWaiting: reasons => {
      if (Date.now() - lastLog >= PROGRESS_LOG_INTERVAL_MS) {
        lastLog = Date.now();
        ctx.logger.info(
          say(`${cluster.name}: waiting (${reasons.join('; ')})`),
        );
      }
    },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (wait.ready) return outcome('ready', `rolled out in ${seconds} s`);
  if (wait.aborted) return outcome('applied', `applied; ${wait.reason}`);
  return outcome(
    'failed',
    `${wait.reason} (after ${seconds} s, timeoutSeconds ${input.rollout.timeoutSeconds})`,
  );
}
