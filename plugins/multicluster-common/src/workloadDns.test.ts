/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  checkWorkloadDns,
  dnsZoneOf,
  type WorkloadDnsContext,
} from './workloadDns';
import type { WorkloadDns } from './workloads';

const lb = {
  kind: 'Service',
  metadata: { name: 'web' },
  spec: { type: 'LoadBalancer' },
};
const ing = { kind: 'Ingress', metadata: { name: 'web' } };
const base: WorkloadDnsContext = {
  zones: ['example.com', 'eu.example.com'],
  manifests: [lb],
  claimed: { 'api.example.com': 'api' },
  workload: 'shop',
};
const dns: WorkloadDns = {
  hostname: 'shop.example.com',
  policy: 'geolocation',
};

describe('dnsZoneOf', () => {
  it.each([
    ['shop.example.com', 'example.com'],
    ['a.eu.example.com', 'eu.example.com'],
    ['SHOP.Example.com.', 'example.com'],
    ['example.com', undefined],
    ['shop.example.org', undefined],
    ['shopexample.com', undefined],
  ])('%s → %s', (host, zone) => expect(dnsZoneOf(base.zones, host)).toBe(zone));
});

describe('checkWorkloadDns', () => {
  it.each<
    [string, Partial<WorkloadDns>, Partial<WorkloadDnsContext>, string[]]
  >([
    ['fine', {}, {}, []],
    [
      'outside every zone',
      { hostname: 'shop.example.org' },
      {},
      [
        'dns.hostname: shop.example.org is in no configured zone; use a name inside example.com, eu.example.com',
      ],
    ],
    [
      'no zones',
      {},
      { zones: [] },
      [
        'dns: no DNS zone is configured (multicluster.dns.zones); remove dns or ask an admin to add a zone',
      ],
    ],
    [
      'held by another workload',
      { hostname: 'api.example.com' },
      {},
      ['dns.hostname: api.example.com is already the name of workload api'],
    ],
    [
      'held by itself',
      { hostname: 'api.example.com' },
      { workload: 'api' },
      [],
    ],
    [
      'a missing Service',
      { service: 'nope' },
      {},
      ['dns.service: the manifests hold no Service named nope'],
    ],
    [
      'a Service of another type',
      { service: 'web' },
      { manifests: [{ ...lb, spec: { type: 'ClusterIP' } }] },
      [
        'dns.service: Service web must be of type LoadBalancer to have an address',
      ],
    ],
    [
      'no LoadBalancer at all',
      {},
      { manifests: [] },
      [
        'dns.service: the manifests hold no Service of type LoadBalancer; add one or name an Ingress in dns.ingress',
      ],
    ],
    [
      'two LoadBalancers unnamed',
      {},
      { manifests: [lb, { ...lb, metadata: { name: 'b' } }] },
      [
        'dns.service: the manifests hold 2 Services of type LoadBalancer; name one (web, b)',
      ],
    ],
    ['an Ingress', { ingress: 'web' }, { manifests: [ing] }, []],
    [
      'a missing Ingress',
      { ingress: 'x' },
      { manifests: [ing] },
      ['dns.ingress: the manifests hold no Ingress named x'],
    ],
    [
      'default not placed',
      { default: 'c' },
      { clusterNames: ['a', 'b'] },
      ['dns.default: c is not one of the placed clusters (a, b)'],
    ],
    ['default placed', { default: 'a' }, { clusterNames: ['a', 'b'] }, []],
  ])('%s', (_, patch, ctx, expected) => {
    expect(checkWorkloadDns({ ...dns, ...patch }, { ...base, ...ctx })).toEqual(
      expected,
    );
  });
});
