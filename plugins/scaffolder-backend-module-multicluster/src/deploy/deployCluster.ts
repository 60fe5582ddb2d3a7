/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { JsonValue } from '@backstage/types';
import {
  type ApplyProgress,
  applyCluster,
  captureCluster,
  capturedSecrets,
  type ClusterSnapshot,
  rollbackCluster,
  waitForWorkloads,
} from './clusterOps';
import type { DeployContext } from './deployer';
import type { TargetCluster } from './deploymentPlanner';
import type { DeployInput } from './input';
import type { KubeClient } from './kubeClient';
import { describeManifest, hasReadiness, type Manifest } from './manifests';
import { type Redactor, secretValues, withoutSecretData } from './redact';
import { type DeployOutcome, type RolloutReport, runRollout } from './rollout';

/** A deploy outcome with what a rollback needs; stored as a checkpoint. */
interface ClusterOutcome extends DeployOutcome {
  applied: number;
  namespaceCreated: boolean;
  [key: string]: JsonValue;
}

const PROGRESS_LOG_INTERVAL_MS = 10_000;

/** What the rollout step works from: the planned objects and a client per cluster. */
export interface RolloutStepInput {
  input: DeployInput;
  targets: TargetCluster[];
  perCluster: Map<string, Manifest[]>;
  clients: Map<string, KubeClient>;
  connectionProblems: Map<string, string>;
  /** Refusals at preflight already spent part of maxFailures. */
  failureBudget: number;
  ensureNamespace?: string;
  requestTimeoutMs: number;
  redactor: Redactor;
}

/**
 * The rollout: cluster by cluster (bounded concurrency, maxFailures,
 * rollback), each one captured, applied and awaited under its own
 * checkpoints so a resumed task skips finished clusters.
 */
export async function rolloutTargets(
  ctx: DeployContext,
  step: RolloutStepInput,
): Promise<RolloutReport> {
  const { input, targets, perCluster, clients, connectionProblems } = step;
  const { requestTimeoutMs, redactor, ensureNamespace } = step;
  const namespace = input.namespace;
  const say = (message: string) => redactor.redact(message);
  const snapshots = new Map<string, ClusterSnapshot>();
  return runRollout<TargetCluster, ClusterOutcome>(
    targets,
    {
      maxConcurrent: input.rollout.maxConcurrent,
      maxFailures: step.failureBudget,
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
              const snapshot = await captureCluster(client, objects, namespace);
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
