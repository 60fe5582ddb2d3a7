/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type ApplyProgress,
  applyCluster,
  describeManifest,
  hasReadiness,
  isWorkload,
  KubeApiError,
  KubeClient,
  type KubeConnection,
  type Manifest,
  namespaceToEnsure,
  type WorkloadClusterOutcome,
  type WorkloadClusterTarget,
  type WorkloadReconciler,
  type WorkloadReconcileRequest,
  type WorkloadRemoveOutcome,
  type WorkloadRemoveRequest,
  workloadReadiness,
} from '@archipelago/multicluster-node';
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import { withTimeout } from '../../util/timeout';
import { objectDrift } from '../decide/drift';
import type { ClusterConnector } from './connections';

type Live = Record<string, any> | undefined;

/** Whether an error means the cluster was not reached at all. */
function unreached(error: unknown): boolean {
  return error instanceof KubeApiError && error.unreachable;
}

/**
 * The built-in reconciler: server-side apply under the plugin's field
 * manager with each cluster's deploy identity, drift from the fields we
 * apply, readiness by the rules of `kubectl rollout status`. All cluster work
 * shares one p-limit, and each cluster's share of a call is bounded by
 * `clusterTimeoutMs`, so a hung cluster never delays the others.
 */
export class KubeWorkloadReconciler implements WorkloadReconciler {
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly clients = new Map<
    string,
    { fingerprint: string; client: KubeClient }
  >();

  constructor(
    private readonly options: {
      connector: ClusterConnector;
      fieldManager: string;
      concurrency: number;
      clusterTimeoutMs: number;
      requestTimeoutMs: number;
    },
  ) {
    this.limit = pLimit(options.concurrency);
  }

  /** Releases every kept-alive connection. */
  close(): void {
    for (const { client } of this.clients.values()) client.close();
    this.clients.clear();
  }

  async reconcile(
    request: WorkloadReconcileRequest,
    options: { signal?: AbortSignal } = {},
  ): Promise<WorkloadClusterOutcome[]> {
    return Promise.all(
      request.targets.map(target =>
        this.limit(() =>
          this.bounded(target.cluster, options.signal, signal =>
            this.reconcileOne(request.namespace, target, signal),
          ).catch(error => this.failure(target.cluster.id, error)),
        ),
      ),
    );
  }

  async remove(
    request: WorkloadRemoveRequest,
    options: { signal?: AbortSignal } = {},
  ): Promise<WorkloadRemoveOutcome[]> {
    return Promise.all(
      request.targets.map(target =>
        this.limit(() =>
          this.bounded(target.cluster, options.signal, signal =>
            this.removeOne(request.namespace, target, signal),
          ).catch(error => ({
            clusterId: target.cluster.id,
            reached: !unreached(error) && !isTimeout(error),
            removed: 0,
            error: message(error),
          })),
        ),
      ),
    );
  }

  /** Runs one cluster's work within its deadline, even if the work ignores the signal. */
  private bounded<T>(
    cluster: { id: string; name: string },
    outer: AbortSignal | undefined,
    run: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return withTimeout(
      signal => run(outer ? AbortSignal.any([outer, signal]) : signal),
      this.options.clusterTimeoutMs,
      `${cluster.name}: no answer within ${this.options.clusterTimeoutMs} ms`,
    );
  }

  private failure(clusterId: string, error: unknown): WorkloadClusterOutcome {
    return {
      clusterId,
      reached: !unreached(error) && !isTimeout(error),
      applied: 0,
      drift: [],
      desiredReplicas: 0,
      readyReplicas: 0,
      ready: false,
      failed: false,
      error: message(error),
    };
  }

  private async client(cluster: {
    id: string;
  }): Promise<KubeClient | { problem: string }> {
    const connection = await this.options.connector.connect(cluster.id);
    if ('problem' in connection) return connection;
    const fingerprint = fingerprintOf(connection);
    const kept = this.clients.get(cluster.id);
    if (kept?.fingerprint === fingerprint) return kept.client;
    kept?.client.close();
    const client = new KubeClient(connection, {
      requestTimeoutMs: this.options.requestTimeoutMs,
      maxSockets: 4,
      userAgent: 'archipelago-workloads',
    });
    this.clients.set(cluster.id, { fingerprint, client });
    return client;
  }

  private async reconcileOne(
    namespace: string,
    target: WorkloadClusterTarget,
    signal: AbortSignal,
  ): Promise<WorkloadClusterOutcome> {
    const client = await this.client(target.cluster);
    if ('problem' in client)
      return {
        ...this.failure(target.cluster.id, new Error(client.problem)),
        reached: false,
      };
    const { objects } = target;
    let drift: string[] = [];
    let toApply: Manifest[] = objects;
    let live = new Map<number, Live>();
    if (target.mode !== 'apply') {
      live = await this.read(client, objects, namespace, signal);
      const drifted: Manifest[] = [];
      objects.forEach((m, i) => {
        const found = objectDrift(m, live.get(i), namespace);
        if (found.length) {
          drift.push(...found);
          drifted.push(m);
        }
      });
      toApply = target.mode === 'repair' ? drifted : [];
    }
    if (toApply.length) {
      const progress: ApplyProgress = {
        namespaceCreated: false,
        applied: 0,
        generations: new Map(),
        paths: new Map(),
      };
      try {
        await applyCluster(client, toApply, {
          namespace,
          fieldManager: this.options.fieldManager,
          ensureNamespace: namespaceToEnsure(objects, namespace),
          progress,
          timeoutMs: () => this.options.requestTimeoutMs,
        });
      } catch (error) {
        if (unreached(error)) throw error;
        const on = toApply[Math.max(progress.applied - 1, 0)];
        throw new Error(
          `apply failed on ${describeManifest(on, namespace)}: ${message(
            error,
          )}`,
        );
      }
      const again = await this.read(client, objects, namespace, signal, m =>
        toApply.includes(m),
      );
      for (const [i, value] of again) live.set(i, value);
      if (target.mode === 'apply') drift = [];
    }
    return {
      clusterId: target.cluster.id,
      reached: true,
      applied: toApply.length,
      drift,
      ...this.readiness(objects, live),
    };
  }

  /** GETs the objects (all, or those `only` keeps); a 404 is `undefined`. */
  private async read(
    client: KubeClient,
    objects: Manifest[],
    namespace: string,
    signal: AbortSignal,
    only: (m: Manifest) => boolean = () => true,
  ): Promise<Map<number, Live>> {
    const out = new Map<number, Live>();
    for (let i = 0; i < objects.length; i++) {
      const m = objects[i];
      if (!only(m)) continue;
      const { path } = await client.path(
        m.apiVersion,
        m.kind,
        namespace,
        m.metadata.name,
      );
      out.set(
        i,
        await client.get<Record<string, any>>(path, {
          signal,
          timeoutMs: this.options.requestTimeoutMs,
        }),
      );
    }
    return out;
  }

  private readiness(
    objects: Manifest[],
    live: Map<number, Live>,
  ): Pick<
    WorkloadClusterOutcome,
    'desiredReplicas' | 'readyReplicas' | 'ready' | 'failed' | 'reason'
  > {
    let desiredReplicas = 0;
    let readyReplicas = 0;
    let ready = true;
    let failed = false;
    let reason: string | undefined;
    objects.forEach((m, i) => {
      const seen = live.get(i);
      if (isWorkload(m)) {
        desiredReplicas +=
          (m.spec as { replicas?: number } | undefined)?.replicas ?? 1;
        readyReplicas += Number(seen?.status?.readyReplicas ?? 0);
      }
      if (!hasReadiness(m)) return;
      const state = workloadReadiness(seen);
      if (!state.ready) {
        ready = false;
        failed ||= Boolean(state.failed);
        reason ??= `${describeManifest(m)}: ${state.reason}`;
      }
    });
    return {
      desiredReplicas,
      readyReplicas,
      ready,
      failed,
      ...(reason ? { reason } : {}),
    };
  }

  private async removeOne(
    namespace: string,
    target: WorkloadRemoveRequest['targets'][number],
    signal: AbortSignal,
  ): Promise<WorkloadRemoveOutcome> {
    const client = await this.client(target.cluster);
    if ('problem' in client)
      return {
        clusterId: target.cluster.id,
        reached: false,
        removed: 0,
        error: client.problem,
      };
    let removed = 0;
    // Reverse apply order: what depends on others goes first.
    for (const m of [...target.objects].reverse()) {
      const { path } = await client.path(
        m.apiVersion,
        m.kind,
        namespace,
        m.metadata.name,
      );
      try {
        await client.request('DELETE', path, {
          body: {
            kind: 'DeleteOptions',
            apiVersion: 'v1',
            propagationPolicy: 'Background',
          },
          signal,
          timeoutMs: this.options.requestTimeoutMs,
        });
      } catch (error) {
        if (!(error instanceof KubeApiError && error.status === 404))
          throw error;
      }
      removed += 1;
    }
    return { clusterId: target.cluster.id, reached: true, removed };
  }
}

function isTimeout(error: unknown): boolean {
  return /no answer within/.test(String((error as Error)?.message));
}

function message(error: unknown): string {
  return String((error as Error)?.message ?? error).slice(0, 1000);
}

/** Changes when the endpoint or identity does, so a renewed token gets a new client. */
function fingerprintOf(c: KubeConnection): string {
  return createHash('sha256')
    .update(
      [
        c.url,
        c.caData ?? '',
        String(c.skipTLSVerify),
        c.token ?? '',
        c.clientCertificate?.certData ?? '',
        c.clientCertificate?.keyData ?? '',
      ].join('\u0000'),
    )
    .digest('hex');
}
