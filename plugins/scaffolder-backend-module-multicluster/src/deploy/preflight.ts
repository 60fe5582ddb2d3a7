/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { JsonValue } from '@backstage/types';
import { dryRunApply, DryRunRejection } from './clusterOps';
import type { TargetCluster } from './deploymentPlanner';
import type { DeployInput } from './input';
import { KubeApiError, type KubeClient } from './kubeClient';
import { isWorkload, type Manifest, workloadKey } from './manifests';

/** Which selected clusters answered, and what runs there now; stored as a checkpoint. */
export interface Preflight {
  reachable: Array<{ name: string; current: Record<string, number> }>;
  /** Did not answer or could not be authenticated to: reported, no replicas. */
  skipped: Array<{ cluster: string; message: string }>;
  /** Answered but refused the objects in a server-side dry run: failed, untouched. */
  rejected: Array<{ cluster: string; message: string }>;
  [key: string]: JsonValue;
}

/**
 * Which selected clusters can take the deployment, before any is touched:
 * each must answer (the current replicas of the workloads are read on the
 * way) and accept every object in a server-side dry run.
 */
export async function runPreflight(
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
