/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  type ClusterCredentials,
  credentialsForRole,
} from '@archipelago/multicluster-node';
import type { ClusterConnection } from '../inventory/ConnectionRegistry';
import type { ProbeOutcome, ProbeTarget } from '../inventory/types';
import { withTimeout } from '../util/timeout';
import { redactText } from '../util/redact';
import {
  type HealthEndpoint,
  type HttpOutcome,
  type ProbeObservation,
  classifyProbe,
} from './classify';
import { AimdLimit, mapWithAdaptiveConcurrency } from './adaptiveConcurrency';
import { detectDistribution } from './distribution';
import type { KubeHttpClient } from './kubeHttp';
import { type NodeLike, summariseNodes } from './nodes';

export interface ProbeOptions {
  timeoutMs: number;
  nonCriticalChecks?: readonly string[];
  /** Safety bound on node list pages (500 nodes each). */
  maxNodePages?: number;
  /**
   * Whether to ask /version this time. A server's version changes on upgrades only, so
   * the scheduler asks every few rounds (and always when unknown): one request less per
   * cluster and round. Default: always.
   */
  refreshVersion?: (target: ProbeTarget) => boolean;
  /**
   * Ends the round early (its task timed out or was taken over): no new probe
   * starts, the ones in flight finish, and only those are reported.
   */
  signal?: AbortSignal;
}

/** Asks /version when unknown, else on one round in `every`, spread over clusters by id. */
export function versionEvery(
  round: number,
  every: number,
): (target: ProbeTarget) => boolean {
  return target => {
    if (!target.version) return true;
    let hash = 0;
    for (const ch of target.id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
    return (round + hash) % every === 0;
  };
}

const HEALTH_ENDPOINTS: HealthEndpoint[] = ['/readyz', '/livez', '/healthz'];

async function resolveCredentials(
  connection: ClusterConnection,
  timeoutMs: number,
): Promise<ClusterCredentials> {
  // The probe identity: readyz, version and nodes are all it needs.
  const resolve = credentialsForRole(connection, 'probe');
  // Exec plugins have their own (longer) timeout; this bounds a resolver that never settles.
  return withTimeout(
    signal => resolve({ signal }),
    timeoutMs,
    `credential resolver gave no answer within ${timeoutMs} ms`,
  );
}

/**
 * Probes one cluster: health endpoint with fallbacks, then /version and the
 * node list in parallel. Every request has `timeoutMs`; the whole probe is
 * bounded by about three of them. Never throws.
 */
export async function probeCluster(
  http: KubeHttpClient,
  target: ProbeTarget,
  connection: ClusterConnection | undefined,
  options: ProbeOptions,
): Promise<ProbeOutcome> {
  const startedAt = Date.now();
  const obs: ProbeObservation = {
    healthAttempts: [],
    providerState: target.providerState ?? connection?.providerState,
    providerStateReason: target.providerStateReason,
  };
  const finish = (extra: Partial<ProbeOutcome> = {}): ProbeOutcome => ({
    id: target.id,
    at: Date.now(),
    latencyMs: Date.now() - startedAt,
    classification: classifyProbe(obs, {
      nonCriticalChecks: options.nonCriticalChecks,
    }),
    ...extra,
  });

  if (!connection) {
    obs.credentialsError =
      'no provider currently offers a connection (provider failing?)';
    return finish();
  }

  let creds: ClusterCredentials;
  try {
    // Credential plugins may be slow (cloud CLIs); allow them a few timeouts' worth.
    creds = await resolveCredentials(
      connection,
      Math.max(options.timeoutMs * 6, 30_000),
    );
  } catch (error) {
    obs.credentialsError = redactText(
      String((error as Error)?.message ?? error),
    ).slice(0, 300);
    return finish();
  }

  const httpTarget = {
    key: target.id,
    url: connection.url,
    caData: connection.caData,
    skipTLSVerify: connection.skipTLSVerify,
  };
  const get = (path: string) =>
    http.get(httpTarget, creds, path, { timeoutMs: options.timeoutMs });

  // readyz first, then /version (when due) and the node list on the same kept-alive
  // connection: one TLS handshake per cluster and round instead of one per request (the
  // handshakes, not the requests, are what a round of 10,000 clusters spends its CPU on),
  // and a cluster that does not answer readyz costs one connection attempt, not three.
  const healthStartedAt = Date.now();
  let healthLatency = 0;
  for (const endpoint of HEALTH_ENDPOINTS) {
    const outcome = await get(`${endpoint}?verbose`);
    if (obs.healthAttempts.length === 0)
      healthLatency = Date.now() - healthStartedAt;
    obs.healthAttempts.push({ endpoint, outcome });
    // 404: an old or proxied server without readyz; 403: RBAC without that path. Try the next.
    if (
      outcome.kind === 'response' &&
      (outcome.status === 404 || outcome.status === 403)
    )
      continue;
    break;
  }
  const last = obs.healthAttempts[obs.healthAttempts.length - 1].outcome;
  if (
    last.kind === 'error' ||
    (last.kind === 'response' && last.status === 401)
  ) {
    return finish({ latencyMs: healthLatency });
  }
  const askVersion = options.refreshVersion?.(target) ?? true;
  const [version, nodes] = await Promise.all([
    askVersion ? get('/version') : undefined,
    listNodes(get, options.maxNodePages ?? 20),
  ]);

  let gitVersion: string | undefined = askVersion ? undefined : target.version;
  if (version?.kind === 'response' && version.status === 200) {
    try {
      const parsed = JSON.parse(version.body) as { gitVersion?: unknown };
      if (typeof parsed.gitVersion === 'string')
        gitVersion = parsed.gitVersion.slice(0, 128);
    } catch {
      // A proxy answering HTML; version stays unknown.
    }
  }
  obs.gitVersion = gitVersion;
  const extra: Partial<ProbeOutcome> = {
    latencyMs: healthLatency,
    ...(askVersion && gitVersion ? { version: gitVersion } : {}),
  };
  if ('items' in nodes) {
    const summary = summariseNodes(nodes.items);
    obs.nodes = summary;
    extra.nodes = { ready: summary.ready, total: summary.total };
    extra.allocatable = summary.allocatable;
    extra.kubeletVersions = summary.kubeletVersions;
    extra.detectedDistribution = detectDistribution({
      gitVersion,
      nodeLabels: summary.labelSample,
      providerIds: summary.providerIds,
    });
  } else {
    obs.nodes = nodes;
    extra.detectedDistribution = detectDistribution({ gitVersion });
  }
  return finish(extra);
}

async function listNodes(
  get: (path: string) => Promise<HttpOutcome>,
  maxPages: number,
): Promise<{ items: NodeLike[] } | { error: string; status?: number }> {
  const items: NodeLike[] = [];
  let cont: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const query = `?limit=500${
      cont ? `&continue=${encodeURIComponent(cont)}` : ''
    }`;
    const outcome = await get(`/api/v1/nodes${query}`);
    if (outcome.kind === 'error') return { error: outcome.error.message };
    if (outcome.status !== 200) {
      return { error: `HTTP ${outcome.status}`, status: outcome.status };
    }
    let parsed: { items?: NodeLike[]; metadata?: { continue?: string } };
    try {
      parsed = JSON.parse(outcome.body);
    } catch {
      return { error: 'node list is not JSON' };
    }
    items.push(...(parsed.items ?? []));
    cont = parsed.metadata?.continue || undefined;
    if (!cont) return { items };
  }
  return { items };
}

/** Concurrency of a round: where it started, where it ended, its average. */
export interface ProbeRoundConcurrency {
  initial: number;
  final: number;
  /** Mean of the limit over the round's probes. */
  mean: number;
  max: number;
}

/**
 * One probe round over many clusters with bounded concurrency. Clusters
 * without a connection on this replica are reported as such, not skipped, so
 * their status says why they are not observed. With `maxConcurrency` above
 * `concurrency` the limit adapts (AIMD, see adaptiveConcurrency.ts) between
 * them: wider while probes answer as fast as ever, back towards `concurrency`
 * when latency climbs or most time out. `onConcurrency` hears the round's figures.
 */
export async function probeClusters(
  deps: { http: KubeHttpClient; logger: LoggerService },
  targets: ProbeTarget[],
  connectionOf: (target: ProbeTarget) => ClusterConnection | undefined,
  options: ProbeOptions & {
    concurrency: number;
    maxConcurrency?: number;
    onConcurrency?: (figures: ProbeRoundConcurrency) => void;
  },
): Promise<ProbeOutcome[]> {
  const aimd = new AimdLimit({
    initial: options.concurrency,
    // Never below what the operator configured: adapting only ever widens a round.
    min: options.concurrency,
    max: Math.max(options.concurrency, options.maxConcurrency ?? 0),
  });
  let limitSum = 0;
  let started = 0;
  const outcomes = await mapWithAdaptiveConcurrency<
    ProbeTarget,
    ProbeOutcome | undefined
  >(
    targets,
    () => aimd.limit,
    async target => {
      if (options.signal?.aborted) return undefined;
      limitSum += aimd.limit;
      started += 1;
      const outcome = await probeOne(deps, target, connectionOf, options);
      aimd.record({
        latencyMs: outcome.latencyMs,
        failed: outcome.classification.health === 'unreachable',
      });
      return outcome;
    },
  );
  options.onConcurrency?.({
    initial: options.concurrency,
    final: aimd.limit,
    mean: started ? limitSum / started : options.concurrency,
    max: Math.max(options.concurrency, options.maxConcurrency ?? 0),
  });
  return outcomes.filter((o): o is ProbeOutcome => o !== undefined);
}

async function probeOne(
  deps: { http: KubeHttpClient; logger: LoggerService },
  target: ProbeTarget,
  connectionOf: (target: ProbeTarget) => ClusterConnection | undefined,
  options: ProbeOptions,
): Promise<ProbeOutcome> {
  try {
    return await probeCluster(deps.http, target, connectionOf(target), options);
  } catch (error) {
    // probeCluster does not throw by design; this guards a bug, not a cluster.
    deps.logger.error(
      `Probe of cluster ${target.id} failed unexpectedly: ${redactText(
        String(error),
      )}`,
    );
    return {
      id: target.id,
      at: Date.now(),
      latencyMs: 0,
      classification: {
        health: 'unknown',
        reason: 'probe failed internally',
        checks: [],
      },
    };
  } finally {
    deps.http.release(target.id);
  }
}
