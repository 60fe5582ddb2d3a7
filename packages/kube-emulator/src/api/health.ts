/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/** The checks a kube-apiserver 1.31 reports on /livez (in its order). */
const LIVEZ_CHECKS = [
  'ping',
  'log',
  'etcd',
  'poststarthook/start-apiserver-admission-initializer',
  'poststarthook/generic-apiserver-start-informers',
  'poststarthook/priority-and-fairness-config-consumer',
  'poststarthook/priority-and-fairness-filter',
  'poststarthook/storage-object-count-tracker-hook',
  'poststarthook/start-apiextensions-informers',
  'poststarthook/start-apiextensions-controllers',
  'poststarthook/crd-informer-synced',
  'poststarthook/start-system-namespaces-controller',
  'poststarthook/start-cluster-authentication-info-controller',
  'poststarthook/start-kube-apiserver-identity-lease-controller',
  'poststarthook/start-kube-apiserver-identity-lease-garbage-collector',
  'poststarthook/start-legacy-token-tracking-controller',
  'poststarthook/start-service-ip-repair-controllers',
  'poststarthook/rbac/bootstrap-roles',
  'poststarthook/scheduling/bootstrap-system-priority-classes',
  'poststarthook/priority-and-fairness-config-producer',
  'poststarthook/bootstrap-controller',
  'poststarthook/aggregator-reload-proxy-client-cert',
  'poststarthook/start-kube-aggregator-informers',
  'poststarthook/apiservice-status-local-available-controller',
  'poststarthook/apiservice-status-remote-available-controller',
  'poststarthook/apiservice-registration-controller',
  'poststarthook/apiservice-discovery-controller',
  'poststarthook/kube-apiserver-autoregistration',
  'autoregister-completion',
  'poststarthook/apiservice-openapi-controller',
  'poststarthook/apiservice-openapiv3-controller',
];

/** /readyz adds etcd-readiness, informer-sync and shutdown to the liveness checks. */
const READYZ_CHECKS = [
  'ping',
  'log',
  'etcd',
  'etcd-readiness',
  'informer-sync',
  ...LIVEZ_CHECKS.slice(3),
  'shutdown',
];

/** /healthz is the older endpoint with the liveness checks. */
const HEALTHZ_CHECKS = LIVEZ_CHECKS;

export type HealthEndpoint = 'livez' | 'readyz' | 'healthz';

const CHECKS: Record<HealthEndpoint, string[]> = {
  livez: LIVEZ_CHECKS,
  readyz: READYZ_CHECKS,
  healthz: HEALTHZ_CHECKS,
};

export interface HealthAnswer {
  status: number;
  body: string;
}

/**
 * Answers /livez, /readyz, /healthz (and /<endpoint>/<check>) the way the generic API server's
 * healthz handler does: "ok" when all pass, per-check lines with ?verbose, and on any failure a
 * 500 whose body always lists every check ("[-]etcd failed: reason withheld") followed by
 * "<endpoint> check failed".
 */
export function answerHealth(
  endpoint: HealthEndpoint,
  check: string | undefined,
  query: URLSearchParams,
  failing: readonly string[],
): HealthAnswer | undefined {
  // The fault models an unready server: only /readyz reports it, liveness stays green.
  const names = [...CHECKS[endpoint]];
  const failingHere = endpoint === 'readyz' ? failing : [];
  for (const f of failingHere)
    if (!names.includes(f)) names.splice(names.length - 1, 0, f);
  const isFailing = (name: string) => failingHere.includes(name);

  if (check !== undefined) {
    if (!names.includes(check)) return undefined;
    return isFailing(check)
      ? { status: 500, body: `internal server error: ${check} check failed\n` }
      : { status: 200, body: 'ok' };
  }

  const excluded = new Set(query.getAll('exclude'));
  let lines = '';
  let failed = false;
  for (const name of names) {
    if (excluded.has(name)) {
      lines += `[+]${name} excluded: ok\n`;
    } else if (isFailing(name)) {
      failed = true;
      lines += `[-]${name} failed: reason withheld\n`;
    } else {
      lines += `[+]${name} ok\n`;
    }
  }
  for (const name of excluded) {
    if (!names.includes(name)) {
      lines += `warn: some health checks cannot be excluded: no matches for "${name}"\n`;
    }
  }
  if (failed) {
    return { status: 500, body: `${lines}${endpoint} check failed\n` };
  }
  if (!query.has('verbose')) return { status: 200, body: 'ok' };
  return { status: 200, body: `${lines}${endpoint} check passed\n` };
}
