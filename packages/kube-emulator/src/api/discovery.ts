/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import {
  apiVersionOf,
  DISCOVERY_GROUP_VERSIONS as GROUP_VERSIONS,
  GroupVersionDef,
  ResourceDef,
  storageVersionHash,
} from './resources';

/** A response body serialised once and shared by every cluster of the process. */
export interface CachedBody {
  body: Buffer;
  contentType: string;
}

function cached(value: unknown, contentType = 'application/json'): CachedBody {
  return { body: Buffer.from(JSON.stringify(value)), contentType };
}

function resourceEntries(r: ResourceDef) {
  const main: Record<string, unknown> = {
    name: r.resource,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: r.verbs,
    storageVersionHash: storageVersionHash(r),
  };
  if (r.shortNames.length) main.shortNames = r.shortNames;
  if (r.categories.length) main.categories = r.categories;
  const subs = r.subresources.map(s => {
    const e: Record<string, unknown> = {
      name: `${r.resource}/${s.name}`,
      singularName: '',
      namespaced: r.namespaced,
      kind: s.kind || r.kind,
      verbs: s.verbs,
    };
    if (s.group !== undefined) {
      e.group = s.group;
      e.version = s.version;
    }
    return e;
  });
  return [main, ...subs];
}

function resourceList(gv: GroupVersionDef) {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf(gv),
    resources: gv.resources.flatMap(resourceEntries),
  };
}

function groupOf(name: string) {
  const versions = GROUP_VERSIONS.filter(g => g.group === name);
  const entries = versions.map(v => ({
    groupVersion: apiVersionOf(v),
    version: v.version,
  }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

const NAMED_GROUPS = [
  ...new Set(GROUP_VERSIONS.filter(g => g.group).map(g => g.group)),
];

function aggregatedResource(r: ResourceDef) {
  const e: Record<string, unknown> = {
    resource: r.resource,
    responseKind: { group: '', version: '', kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length) e.shortNames = r.shortNames;
  if (r.categories.length) e.categories = r.categories;
  if (r.subresources.length) {
    e.subresources = r.subresources.map(s => ({
      subresource: s.name,
      responseKind: {
        group: s.group ?? '',
        version: s.version ?? '',
        kind: s.kind || r.kind,
      },
      verbs: s.verbs,
    }));
  }
  return e;
}

function aggregatedList(groups: string[], apiVersion: string) {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion,
    metadata: {},
    items: groups.map(name => ({
      metadata: { name, creationTimestamp: null },
      versions: GROUP_VERSIONS.filter(g => g.group === name).map(gv => ({
        version: gv.version,
        resources: gv.resources.map(aggregatedResource),
        freshness: 'Current',
      })),
    })),
  };
}

const AGGREGATED_TYPE = (v: string) =>
  `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`;

/** Discovery documents: built once per process, shared by all clusters. */
export const DISCOVERY = {
  apis: cached({
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: NAMED_GROUPS.map(groupOf),
  }),
  groups: new Map(
    NAMED_GROUPS.map(g => [
      g,
      cached({ kind: 'APIGroup', apiVersion: 'v1', ...groupOf(g) }),
    ]),
  ),
  resourceLists: new Map(
    GROUP_VERSIONS.map(gv => [apiVersionOf(gv), cached(resourceList(gv))]),
  ),
  aggregated: {
    v2: {
      api: cached(
        aggregatedList([''], 'apidiscovery.k8s.io/v2'),
        AGGREGATED_TYPE('v2'),
      ),
      apis: cached(
        aggregatedList(NAMED_GROUPS, 'apidiscovery.k8s.io/v2'),
        AGGREGATED_TYPE('v2'),
      ),
    },
    v2beta1: {
      api: cached(
        aggregatedList([''], 'apidiscovery.k8s.io/v2beta1'),
        AGGREGATED_TYPE('v2beta1'),
      ),
      apis: cached(
        aggregatedList(NAMED_GROUPS, 'apidiscovery.k8s.io/v2beta1'),
        AGGREGATED_TYPE('v2beta1'),
      ),
    },
  },
};

/**
 * Picks the aggregated discovery version the Accept header asks for, honouring the order of
 * preference; undefined means the classic APIVersions/APIGroupList answer.
 */
export function aggregatedVersion(
  accept: string | undefined,
): 'v2' | 'v2beta1' | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    const params = part.split(';').map(p => p.trim());
    if (
      !params.includes('as=APIGroupDiscoveryList') ||
      !params.includes('g=apidiscovery.k8s.io')
    )
      continue;
    if (params.includes('v=v2')) return 'v2';
    if (params.includes('v=v2beta1')) return 'v2beta1';
  }
  return undefined;
}

/** /api: the legacy group's versions and the address clients should use. */
export function apiVersions(hostPort: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [
      { clientCIDR: '0.0.0.0/0', serverAddress: hostPort },
    ],
  };
}
