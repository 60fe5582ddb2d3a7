/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  DnsAnswer,
  DnsAnswerHealth,
  DnsHealthCheckTarget,
  DnsRecordSet,
  DnsRoutingPolicy,
} from '@archipelago/multicluster-node';

/** Default TTL of a workload's records, seconds: short, so answers follow health. */
export const DEFAULT_DNS_TTL = 30;

/** A cluster's published address: IPs (A/AAAA) or one hostname (CNAME). */
export interface ClusterAddress {
  type: 'A' | 'AAAA' | 'CNAME';
  values: string[];
  /** The HTTP port actually served (for health checks and clients). */
  port?: number;
}

/** One placed cluster as the planner sees it. */
export interface PlanCluster {
  name: string;
  /** From `geographyOf`; absent when unknown. */
  geography?: string;
  region?: string;
  /** Absent when the Service/Ingress has no address (yet). */
  address?: ClusterAddress;
  /** Inventory health is healthy or degraded. */
  clusterHealthy: boolean;
  /** The workload is ready there. */
  ready: boolean;
  /** Weight for `weighted` (default 1). */
  weight?: number;
}

/** What the planner is given for one workload. */
export interface PlanInput {
  workload: string;
  hostname: string;
  policy: DnsRoutingPolicy;
  ttl?: number;
  /** Cluster name answering clients of no mapped geography (and the failover primary). */
  defaultCluster?: string;
  whenAllUnhealthy?: 'serve-all' | 'serve-none';
  clusters: PlanCluster[];
  /** Path health checks request (default `/`). */
  healthCheckPath?: string;
}

/** Why a cluster does not answer, per cluster name (for status). */
export type PlanNotes = Record<string, string>;

/** The planner's result: the record set and why some clusters are left out. */
export interface Plan {
  recordSet: DnsRecordSet;
  notes: PlanNotes;
  /** True when no cluster was healthy and `whenAllUnhealthy` decided. */
  allUnhealthy: boolean;
}

function healthOf(c: PlanCluster): DnsAnswerHealth {
  return c.clusterHealthy && c.ready ? 'healthy' : 'unhealthy';
}

function check(c: PlanCluster, path: string): DnsHealthCheckTarget | undefined {
  if (!c.address || c.address.values.length === 0) return undefined;
  return {
    address: c.address.values[0],
    port: c.address.port ?? 80,
    path,
    protocol: 'HTTP',
  };
}

function answer(
  c: PlanCluster,
  setIdentifier: string,
  path: string,
  extra: Partial<DnsAnswer>,
): DnsAnswer {
  const hc = check(c, path);
  return {
    setIdentifier,
    cluster: c.name,
    type: c.address!.type,
    values: [...c.address!.values].sort(),
    health: healthOf(c),
    ...(hc ? { healthCheck: hc } : {}),
    ...extra,
  };
}

const byName = (a: PlanCluster, b: PlanCluster) => a.name.localeCompare(b.name);

/**
 * Plans one name's records. Only clusters with an address can answer; of
 * those, only healthy ones (cluster health fine and the workload ready),
 * unless none is, where `whenAllUnhealthy` decides (`serve-all`, the default,
 * keeps every addressed cluster; `serve-none` publishes nothing).
 *
 * - geolocation: one answer per geography (the default cluster when it
 *   serves that geography, else the first by name), plus the `*` default
 *   answer: the default cluster, else the first serving cluster by name.
 * - failover: primary = the default cluster (or the first by name), secondary = the next.
 * - weighted / latency: one answer per serving cluster.
 */
export function planRecords(input: PlanInput): Plan {
  const notes: PlanNotes = {};
  const path = input.healthCheckPath ?? '/';
  const addressed: PlanCluster[] = [];
  for (const c of [...input.clusters].sort(byName)) {
    if (!c.address || c.address.values.length === 0)
      notes[c.name] = 'no load balancer address yet';
    else addressed.push(c);
  }
  let serving = addressed.filter(c => healthOf(c) === 'healthy');
  for (const c of addressed)
    if (healthOf(c) !== 'healthy')
      notes[c.name] = !c.clusterHealthy
        ? 'the cluster is unhealthy'
        : 'the workload is not ready there';
  const allUnhealthy = serving.length === 0 && addressed.length > 0;
  if (allUnhealthy) {
    if ((input.whenAllUnhealthy ?? 'serve-all') === 'serve-all') {
      serving = addressed;
      for (const c of addressed)
        notes[c.name] = `${
          notes[c.name]
        }; answering anyway (whenAllUnhealthy: serve-all)`;
    }
  }
  // The default (failover primary) when it serves, else the first by name.
  const preferred =
    serving.find(c => c.name === input.defaultCluster) ?? serving[0];
  const answers: DnsAnswer[] = [];
  switch (input.policy) {
    case 'geolocation': {
      const geos = new Map<string, PlanCluster>();
      for (const c of serving) {
        if (!c.geography) continue;
        const held = geos.get(c.geography);
        if (!held || c === preferred) geos.set(c.geography, c);
      }
      for (const [geo, c] of [...geos].sort(([a], [b]) => a.localeCompare(b)))
        answers.push(answer(c, geo, path, { geography: geo }));
      if (preferred)
        answers.push(answer(preferred, 'default', path, { geography: '*' }));
      break;
    }
    case 'failover': {
      if (preferred) {
        answers.push(
          answer(preferred, preferred.name, path, { failoverRole: 'primary' }),
        );
        const second = serving.find(c => c !== preferred);
        if (second)
          answers.push(
            answer(second, second.name, path, { failoverRole: 'secondary' }),
          );
      }
      break;
    }
    case 'weighted':
      for (const c of serving)
        answers.push(
          answer(c, c.name, path, {
            weight: Math.max(0, Math.min(255, Math.round(c.weight ?? 1))),
          }),
        );
      break;
    case 'latency':
      for (const c of serving)
        if (c.region)
          answers.push(answer(c, c.name, path, { region: c.region }));
        else notes[c.name] = 'no region: a latency answer needs one';
      break;
    default:
      break;
  }
  for (const c of serving)
    if (!answers.some(a => a.cluster === c.name) && !notes[c.name])
      notes[c.name] = c.geography
        ? `another cluster answers ${c.geography}`
        : 'no geography: answers only as the default';
  return {
    recordSet: {
      hostname: input.hostname,
      policy: input.policy,
      ttl: input.ttl ?? DEFAULT_DNS_TTL,
      answers,
      workload: input.workload,
    },
    notes,
    allUnhealthy,
  };
}
