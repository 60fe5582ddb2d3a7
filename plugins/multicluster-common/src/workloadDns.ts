/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { WorkloadDns } from './workloads';

/** What a workload's `dns` is checked against. @public */
export interface WorkloadDnsContext {
  /** Names of the configured zones (`multicluster.dns.zones[].name`). */
  zones: string[];
  /** The workload's manifests, parsed (kind, metadata.name, spec). */
  manifests: Array<Record<string, any>>;
  /** Hostnames other workloads hold, by hostname → workload name. */
  claimed: Record<string, string>;
  /** The workload's name. */
  workload: string;
  /** Cluster names of its placement, when it names them (checks `default`). */
  clusterNames?: string[];
}

/** The zone of a hostname among the given zone names: the longest that contains it. @public */
export function dnsZoneOf(
  zones: string[],
  hostname: string,
): string | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return zones
    .map(z => z.toLowerCase().replace(/\.$/, ''))
    .filter(z => host !== z && host.endsWith(`.${z}`))
    .sort((a, b) => b.length - a.length)[0];
}

/**
 * Checks a workload's `dns` beyond its shape: the hostname lies inside a
 * configured zone (never the zone apex), no other workload holds it, the
 * Service (type LoadBalancer) or Ingress it publishes is among the manifests
 * every placed cluster gets, and `default` names a placed cluster when the
 * placement names clusters. Returns one message per problem, each starting
 * with the field (`dns.hostname: …`); empty when fine.
 * @public
 */
export function checkWorkloadDns(
  dns: WorkloadDns,
  context: WorkloadDnsContext,
): string[] {
  const problems: string[] = [];
  if (context.zones.length === 0)
    problems.push(
      'dns: no DNS zone is configured (multicluster.dns.zones); remove dns or ask an admin to add a zone',
    );
  else if (!dnsZoneOf(context.zones, dns.hostname))
    problems.push(
      `dns.hostname: ${
        dns.hostname
      } is in no configured zone; use a name inside ${context.zones.join(
        ', ',
      )}`,
    );
  const holder = context.claimed[dns.hostname.toLowerCase()];
  if (holder && holder !== context.workload)
    problems.push(
      `dns.hostname: ${dns.hostname} is already the name of workload ${holder}`,
    );
  const named = (kind: string, name: string) =>
    context.manifests.find(m => m?.kind === kind && m?.metadata?.name === name);
  if (dns.ingress) {
    if (!named('Ingress', dns.ingress))
      problems.push(
        `dns.ingress: the manifests hold no Ingress named ${dns.ingress}`,
      );
  } else {
    const services = context.manifests.filter(
      m => m?.kind === 'Service' && m?.spec?.type === 'LoadBalancer',
    );
    if (dns.service) {
      const svc = named('Service', dns.service);
      if (!svc)
        problems.push(
          `dns.service: the manifests hold no Service named ${dns.service}`,
        );
      else if (svc.spec?.type !== 'LoadBalancer')
        problems.push(
          `dns.service: Service ${dns.service} must be of type LoadBalancer to have an address`,
        );
    } else if (services.length !== 1)
      problems.push(
        services.length === 0
          ? 'dns.service: the manifests hold no Service of type LoadBalancer; add one or name an Ingress in dns.ingress'
          : `dns.service: the manifests hold ${
              services.length
            } Services of type LoadBalancer; name one (${services
              .map(s => s.metadata?.name)
              .join(', ')})`,
      );
  }
  if (
    dns.default &&
    context.clusterNames?.length &&
    !context.clusterNames.includes(dns.default)
  )
    problems.push(
      `dns.default: ${
        dns.default
      } is not one of the placed clusters (${context.clusterNames.join(', ')})`,
    );
  return problems;
}
