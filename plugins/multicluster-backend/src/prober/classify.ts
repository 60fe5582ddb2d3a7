/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  ClusterCheck,
  ClusterHealth,
  ProviderState,
} from '@archipelago/multicluster-common';
import type { NodeSummary } from './nodes';

/** Why a request never got an HTTP answer. */
export type TransportErrorKind =
  | 'timeout'
  | 'connection-refused'
  | 'connection-reset'
  | 'tls'
  | 'dns'
  | 'network';

export interface TransportError {
  kind: TransportErrorKind;
  /** Human text, free of credentials. */
  message: string;
}

export type HttpOutcome =
  | { kind: 'response'; status: number; body: string }
  | { kind: 'error'; error: TransportError };

export type HealthEndpoint = '/readyz' | '/livez' | '/healthz';

/** Everything one probe observed; the input of {@link classifyProbe}. */
export interface ProbeObservation {
  /** Health endpoint attempts, in order (readyz, then fallbacks). */
  healthAttempts: Array<{ endpoint: HealthEndpoint; outcome: HttpOutcome }>;
  /** Set when the provider's credential resolver failed; nothing was sent. */
  credentialsError?: string;
  gitVersion?: string;
  nodes?: NodeSummary | { error: string; status?: number };
  providerState?: ProviderState;
  providerStateReason?: string;
}

export interface Classification {
  health: ClusterHealth;
  reason: string;
  checks: ClusterCheck[];
}

export interface ClassifyOptions {
  /**
   * readyz checks whose failure alone makes a cluster degraded rather than
   * unhealthy (aggregated API discovery, optional controllers).
   */
  nonCriticalChecks?: readonly string[];
}

/** readyz checks that are informational for workloads: the API serves, some extra is late. */
export const DEFAULT_NON_CRITICAL_CHECKS: readonly string[] = [
  'poststarthook/apiservice-openapi-controller',
  'poststarthook/apiservice-openapiv3-controller',
  'poststarthook/apiservice-discovery-controller',
  'poststarthook/start-kube-aggregator-informers',
  'poststarthook/apiservice-status-available-controller',
  'poststarthook/apiservice-status-local-available-controller',
  'poststarthook/apiservice-status-remote-available-controller',
  'poststarthook/aggregator-reload-proxy-client-cert',
];

const TRANSITIONAL: ReadonlySet<ProviderState> = new Set([
  'provisioning',
  'updating',
  'deleting',
]);

/**
 * Parses `/readyz?verbose` (or livez/healthz) output: lines `[+]name ok` and
 * `[-]name failed: reason withheld`.
 */
export function parseVerboseChecks(body: string): ClusterCheck[] {
  const checks: ClusterCheck[] = [];
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    const match = /^\[([+-])\]([^\s]+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, sign, name, rest] = match;
    const ok = sign === '+';
    const message = rest
      .replace(/^failed:\s*/, '')
      .replace(/^ok$/, '')
      .trim();
    checks.push(
      message ? { name, ok, message: message.slice(0, 200) } : { name, ok },
    );
  }
  return checks;
}

function describeTransport(error: TransportError): string {
  switch (error.kind) {
    case 'timeout':
      return `timeout: ${error.message}`;
    case 'connection-refused':
      return `connection refused: ${error.message}`;
    case 'tls':
      return `TLS error: ${error.message}`;
    case 'dns':
      return `DNS error: ${error.message}`;
    case 'connection-reset':
      return `connection reset: ${error.message}`;
    default:
      return `network error: ${error.message}`;
  }
}

function nodesCheck(
  nodes: ProbeObservation['nodes'],
): ClusterCheck | undefined {
  if (!nodes) return undefined;
  if ('error' in nodes)
    return { name: 'nodes', ok: true, message: `not readable: ${nodes.error}` };
  if (nodes.total === 0)
    return { name: 'nodes', ok: false, message: 'no nodes registered' };
  if (nodes.ready === nodes.total) {
    return {
      name: 'nodes',
      ok: true,
      message: `${nodes.ready}/${nodes.total} ready`,
    };
  }
  const names = nodes.notReady.slice(0, 5).join(', ');
  const more =
    nodes.notReady.length > 5 ? ` and ${nodes.notReady.length - 5} more` : '';
  return {
    name: 'nodes',
    ok: false,
    message: `${nodes.ready}/${nodes.total} ready; NotReady: ${names}${more}`,
  };
}

/**
 * Classifies one probe. Pure: the same observation always gives the same
 * answer, which is what the table tests pin down.
 *
 * - unreachable: no HTTP answer (timeout, refused, TLS, DNS); the reason says which.
 * - unauthorized: 401, or 403 on every health endpoint, or no credentials.
 * - unhealthy: readyz fails a critical check (or answers 5xx), or no node is ready.
 * - degraded: only non-critical checks fail, or some nodes are NotReady.
 * - unknown: the provider says the cluster is still being created/changed and it
 *   does not answer yet; that is not an outage.
 */
export function classifyProbe(
  obs: ProbeObservation,
  options: ClassifyOptions = {},
): Classification {
  const nonCritical = new Set(
    options.nonCriticalChecks ?? DEFAULT_NON_CRITICAL_CHECKS,
  );
  const transitional = obs.providerState && TRANSITIONAL.has(obs.providerState);
  const transitionalReason = () =>
    `provider reports ${obs.providerState}${
      obs.providerStateReason ? ` (${obs.providerStateReason})` : ''
    }`;

  if (obs.credentialsError) {
    if (transitional)
      return { health: 'unknown', reason: transitionalReason(), checks: [] };
    return {
      health: 'unauthorized',
      reason: `could not obtain credentials: ${obs.credentialsError}`,
      checks: [],
    };
  }

  const last = obs.healthAttempts[obs.healthAttempts.length - 1];
  if (!last) {
    return { health: 'unknown', reason: 'never probed', checks: [] };
  }

  if (last.outcome.kind === 'error') {
    if (transitional)
      return { health: 'unknown', reason: transitionalReason(), checks: [] };
    return {
      health: 'unreachable',
      reason: describeTransport(last.outcome.error),
      checks: [],
    };
  }

  const statuses = obs.healthAttempts.map(a =>
    a.outcome.kind === 'response' ? a.outcome.status : 0,
  );
  if (statuses.includes(401)) {
    return {
      health: 'unauthorized',
      reason: `${last.endpoint} returned 401 Unauthorized`,
      checks: [],
    };
  }
  if (statuses.every(s => s === 403)) {
    return {
      health: 'unauthorized',
      reason: 'forbidden (403) on /readyz, /livez and /healthz',
      checks: [],
    };
  }

  if (obs.nodes && 'error' in obs.nodes && obs.nodes.status === 401) {
    // Health endpoints may be public; the node list is where rejected credentials show.
    return {
      health: 'unauthorized',
      reason: '/api/v1/nodes returned 401 Unauthorized',
      checks: [],
    };
  }

  const { status, body } = last.outcome;
  const checks = parseVerboseChecks(body);
  const nodeCheck = nodesCheck(obs.nodes);
  const allChecks = nodeCheck ? [...checks, nodeCheck] : checks;
  const via =
    last.endpoint === '/readyz'
      ? 'readyz'
      : `${last.endpoint.slice(1)} (readyz unavailable)`;

  if (status < 200 || status >= 300) {
    if (transitional)
      return {
        health: 'unknown',
        reason: transitionalReason(),
        checks: allChecks,
      };
    const failing = checks.filter(c => !c.ok);
    if (failing.length === 0) {
      return {
        health: 'unhealthy',
        reason: `${via} returned HTTP ${status}`,
        checks: allChecks,
      };
    }
    const critical = failing.filter(c => !nonCritical.has(c.name));
    const names = failing.map(c => c.name).join(', ');
    if (critical.length === 0) {
      return {
        health: 'degraded',
        reason: `${via} non-critical check${
          failing.length > 1 ? 's' : ''
        } failed: ${names}`,
        checks: allChecks,
      };
    }
    return {
      health: 'unhealthy',
      reason: `${via} check${critical.length > 1 ? 's' : ''} failed: ${critical
        .map(c => c.name)
        .join(', ')}`,
      checks: allChecks,
    };
  }

  if (obs.nodes && !('error' in obs.nodes)) {
    if (obs.nodes.ready === 0) {
      return {
        health: 'unhealthy',
        reason:
          obs.nodes.total === 0
            ? 'no nodes registered'
            : `no ready nodes (0/${obs.nodes.total})`,
        checks: allChecks,
      };
    }
    if (obs.nodes.ready < obs.nodes.total) {
      const notReady = obs.nodes.total - obs.nodes.ready;
      return {
        health: 'degraded',
        reason: `${notReady} of ${obs.nodes.total} nodes NotReady`,
        checks: allChecks,
      };
    }
  }
  const fallbackNote =
    last.endpoint === '/readyz'
      ? ''
      : ` (via ${last.endpoint}; readyz unavailable)`;
  return {
    health: 'healthy',
    reason: `API server ready${fallbackNote}`,
    checks: allChecks,
  };
}
