/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { KubeObject } from '../store/store';
import { fromSelectorObject, matchesLabels } from '../store/selectors';
import { isPodReady } from '../controllers/context';

type Obj = Record<string, any>;

/** A backend an Ingress routes to: a Service and one of its ports (number or name). */
export interface IngressBackend {
  service: string;
  port?: number | string;
}

function hostMatches(ruleHost: string | undefined, host: string): boolean {
  if (!ruleHost) return true;
  if (ruleHost.startsWith('*.')) {
    // A wildcard covers exactly one DNS label, as the Ingress spec says.
    const suffix = ruleHost.slice(1);
    return (
      host.endsWith(suffix) &&
      !host.slice(0, -suffix.length).includes('.') &&
      host.length > suffix.length
    );
  }
  return ruleHost === host;
}

/** Prefix matching element by element: /foo matches /foo and /foo/bar, not /foobar. */
function prefixMatches(prefix: string, path: string): boolean {
  const p = prefix.replace(/\/+$/, '');
  if (p === '') return true;
  return path === p || path.startsWith(`${p}/`);
}

function backendOf(b: Obj | undefined): IngressBackend | undefined {
  const svc = b?.service;
  if (!svc?.name) return undefined;
  return { service: svc.name, port: svc.port?.number ?? svc.port?.name };
}

/**
 * The backend an Ingress sends a request to, following the Ingress spec: rules whose host
 * matches (exact hosts before wildcards), then the longest matching path (Exact before Prefix
 * of the same length; ImplementationSpecific as Prefix), else the default backend.
 */
export function routeIngress(
  ingress: KubeObject,
  host: string,
  path: string,
): IngressBackend | undefined {
  const rules: Obj[] = ingress.spec?.rules ?? [];
  const bare = host.replace(/:\d+$/, '').toLowerCase();
  const candidates = [
    ...rules.filter(r => r.host && !r.host.startsWith('*.')),
    ...rules.filter(r => r.host?.startsWith('*.')),
    ...rules.filter(r => !r.host),
  ].filter(r => hostMatches(r.host, bare));
  for (const rule of candidates) {
    let best: { length: number; exact: boolean; backend: Obj } | undefined;
    for (const p of rule.http?.paths ?? []) {
      const rulePath: string = p.path ?? '/';
      const exact = p.pathType === 'Exact';
      const ok = exact ? rulePath === path : prefixMatches(rulePath, path);
      if (!ok) continue;
      const length = rulePath.replace(/\/+$/, '').length;
      if (
        !best ||
        length > best.length ||
        (length === best.length && exact && !best.exact)
      )
        best = { length, exact, backend: p.backend };
    }
    if (best) return backendOf(best.backend);
  }
  return backendOf(ingress.spec?.defaultBackend);
}

/** The Ready, not terminating pods a Service selects, by name. */
export function readyEndpoints(
  service: KubeObject,
  pods: KubeObject[],
): KubeObject[] {
  const selector = service.spec?.selector;
  if (!selector || !Object.keys(selector).length) return [];
  const match = fromSelectorObject({ matchLabels: selector });
  return pods
    .filter(
      p =>
        !p.metadata.deletionTimestamp &&
        p.status?.phase === 'Running' &&
        isPodReady(p) &&
        matchesLabels(match, p.metadata.labels),
    )
    .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
}

/** The Service port an Ingress backend names (by number or name), if the Service has it. */
export function servicePortOf(
  service: KubeObject,
  port: number | string | undefined,
): Obj | undefined {
  const ports: Obj[] = service.spec?.ports ?? [];
  if (port === undefined) return ports[0];
  return ports.find(p => p.port === port || (p.name && p.name === port));
}
