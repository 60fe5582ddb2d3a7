/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { createHash } from 'node:crypto';

/** A subresource as discovery lists it. */
export interface SubresourceDef {
  name: string;
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

/** Everything the server knows about one served resource type. */
export interface ResourceDef {
  group: string;
  version: string;
  /** plural, lower case: "deployments" */
  resource: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: SubresourceDef[];
  /** OpenAPI definition name, e.g. io.k8s.api.apps.v1.Deployment */
  definition: string;
  /** Whether metadata.generation is maintained (bumped on spec changes). */
  hasGeneration: boolean;
  /** Field labels accepted by ?fieldSelector= besides metadata.name and metadata.namespace. */
  fieldLabels: string[];
  /** Name rule: most use DNS-1123 subdomains, some DNS-1123 labels. */
  nameRule: 'subdomain' | 'label';
}

const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];
const STATUS: SubresourceDef = {
  name: 'status',
  kind: '',
  verbs: ['get', 'patch', 'update'],
};
const SCALE: SubresourceDef = {
  name: 'scale',
  kind: 'Scale',
  group: 'autoscaling',
  version: 'v1',
  verbs: ['get', 'patch', 'update'],
};

function def(
  d: Partial<ResourceDef> &
    Pick<ResourceDef, 'group' | 'version' | 'resource' | 'kind' | 'definition'>,
): ResourceDef {
  return {
    singular: d.kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: ALL_VERBS,
    subresources: [],
    hasGeneration: false,
    fieldLabels: [],
    nameRule: 'subdomain',
    ...d,
  };
}

/**
 * The resource types this emulator serves: those Backstage's Kubernetes plugin fetches plus
 * what a cluster needs to look real (namespaces, nodes, events, service accounts).
 */
export const RESOURCES: readonly ResourceDef[] = [
  def({
    group: '',
    version: 'v1',
    resource: 'namespaces',
    kind: 'Namespace',
    definition: 'io.k8s.api.core.v1.Namespace',
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [
      { ...STATUS, kind: 'Namespace' },
      { name: 'finalize', kind: 'Namespace', verbs: ['update'] },
    ],
    fieldLabels: ['status.phase'],
    nameRule: 'label',
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'nodes',
    kind: 'Node',
    definition: 'io.k8s.api.core.v1.Node',
    namespaced: false,
    shortNames: ['no'],
    subresources: [{ ...STATUS, kind: 'Node' }],
    fieldLabels: ['spec.unschedulable'],
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'pods',
    kind: 'Pod',
    definition: 'io.k8s.api.core.v1.Pod',
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      { ...STATUS, kind: 'Pod' },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
    ],
    fieldLabels: [
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.nominatedNodeName',
    ],
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'services',
    kind: 'Service',
    definition: 'io.k8s.api.core.v1.Service',
    shortNames: ['svc'],
    categories: ['all'],
    subresources: [{ ...STATUS, kind: 'Service' }],
    fieldLabels: ['spec.clusterIP', 'spec.type'],
    nameRule: 'label',
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'configmaps',
    kind: 'ConfigMap',
    definition: 'io.k8s.api.core.v1.ConfigMap',
    shortNames: ['cm'],
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'secrets',
    kind: 'Secret',
    definition: 'io.k8s.api.core.v1.Secret',
    fieldLabels: ['type'],
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'serviceaccounts',
    kind: 'ServiceAccount',
    definition: 'io.k8s.api.core.v1.ServiceAccount',
    singular: 'serviceaccount',
    shortNames: ['sa'],
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'events',
    kind: 'Event',
    definition: 'io.k8s.api.core.v1.Event',
    shortNames: ['ev'],
    fieldLabels: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
    ],
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'limitranges',
    kind: 'LimitRange',
    definition: 'io.k8s.api.core.v1.LimitRange',
    shortNames: ['limits'],
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'resourcequotas',
    kind: 'ResourceQuota',
    definition: 'io.k8s.api.core.v1.ResourceQuota',
    shortNames: ['quota'],
    subresources: [{ ...STATUS, kind: 'ResourceQuota' }],
  }),
  def({
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    kind: 'Deployment',
    definition: 'io.k8s.api.apps.v1.Deployment',
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: [SCALE, { ...STATUS, kind: 'Deployment' }],
    hasGeneration: true,
  }),
  def({
    group: 'apps',
    version: 'v1',
    resource: 'replicasets',
    kind: 'ReplicaSet',
    definition: 'io.k8s.api.apps.v1.ReplicaSet',
    shortNames: ['rs'],
    categories: ['all'],
    subresources: [SCALE, { ...STATUS, kind: 'ReplicaSet' }],
    hasGeneration: true,
  }),
  def({
    group: 'apps',
    version: 'v1',
    resource: 'statefulsets',
    kind: 'StatefulSet',
    definition: 'io.k8s.api.apps.v1.StatefulSet',
    shortNames: ['sts'],
    categories: ['all'],
    subresources: [SCALE, { ...STATUS, kind: 'StatefulSet' }],
    hasGeneration: true,
  }),
  def({
    group: 'apps',
    version: 'v1',
    resource: 'daemonsets',
    kind: 'DaemonSet',
    definition: 'io.k8s.api.apps.v1.DaemonSet',
    shortNames: ['ds'],
    categories: ['all'],
    subresources: [{ ...STATUS, kind: 'DaemonSet' }],
    hasGeneration: true,
  }),
  def({
    group: 'batch',
    version: 'v1',
    resource: 'jobs',
    kind: 'Job',
    definition: 'io.k8s.api.batch.v1.Job',
    categories: ['all'],
    subresources: [{ ...STATUS, kind: 'Job' }],
    hasGeneration: true,
    fieldLabels: ['status.successful'],
  }),
  def({
    group: 'batch',
    version: 'v1',
    resource: 'cronjobs',
    kind: 'CronJob',
    definition: 'io.k8s.api.batch.v1.CronJob',
    shortNames: ['cj'],
    categories: ['all'],
    subresources: [{ ...STATUS, kind: 'CronJob' }],
    hasGeneration: true,
  }),
  def({
    group: 'networking.k8s.io',
    version: 'v1',
    resource: 'ingresses',
    kind: 'Ingress',
    definition: 'io.k8s.api.networking.v1.Ingress',
    shortNames: ['ing'],
    subresources: [{ ...STATUS, kind: 'Ingress' }],
    hasGeneration: true,
  }),
  def({
    group: 'autoscaling',
    version: 'v2',
    resource: 'horizontalpodautoscalers',
    kind: 'HorizontalPodAutoscaler',
    definition: 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: [{ ...STATUS, kind: 'HorizontalPodAutoscaler' }],
    hasGeneration: true,
  }),
];

/**
 * metrics.k8s.io, as metrics-server serves it: computed from pods and nodes, never stored.
 * Backstage's Kubernetes plugin and `kubectl top` read it.
 */
export const METRICS_RESOURCES: readonly ResourceDef[] = [
  def({
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    resource: 'nodes',
    kind: 'NodeMetrics',
    definition: 'io.k8s.metrics.pkg.apis.metrics.v1beta1.NodeMetrics',
    namespaced: false,
    verbs: ['get', 'list'],
  }),
  def({
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    resource: 'pods',
    kind: 'PodMetrics',
    definition: 'io.k8s.metrics.pkg.apis.metrics.v1beta1.PodMetrics',
    verbs: ['get', 'list'],
  }),
];

/** Kinds that appear only as request/response bodies of subresources. */
export const EXTRA_DEFINITIONS = ['io.k8s.api.autoscaling.v1.Scale'];

export function apiVersionOf(d: { group: string; version: string }): string {
  return d.group ? `${d.group}/${d.version}` : d.version;
}

export function gvrKey(d: {
  group: string;
  version: string;
  resource: string;
}) {
  return `${d.group}/${d.version}/${d.resource}`;
}

/** A GroupVersion and the resources it serves, in discovery order. */
export interface GroupVersionDef {
  group: string;
  version: string;
  resources: ResourceDef[];
}

export const GROUP_VERSIONS: readonly GroupVersionDef[] = (() => {
  const out: GroupVersionDef[] = [];
  for (const r of RESOURCES) {
    let gv = out.find(g => g.group === r.group && g.version === r.version);
    if (!gv) {
      gv = { group: r.group, version: r.version, resources: [] };
      out.push(gv);
    }
    gv.resources.push(r);
  }
  return out;
})();

/** What discovery announces: the stored types plus the computed metrics API. */
export const DISCOVERY_GROUP_VERSIONS: readonly GroupVersionDef[] = [
  ...GROUP_VERSIONS,
  {
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    resources: [...METRICS_RESOURCES],
  },
];

const byKey = new Map(RESOURCES.map(r => [gvrKey(r), r]));
const byGroupResource = new Map(
  RESOURCES.map(r => [`${r.group}/${r.resource}`, r]),
);
const byKind = new Map(RESOURCES.map(r => [`${apiVersionOf(r)}/${r.kind}`, r]));

export function findResource(
  group: string,
  version: string,
  resource: string,
): ResourceDef | undefined {
  return byKey.get(`${group}/${version}/${resource}`);
}

export function findByKind(apiVersion: string, kind: string) {
  return byKind.get(`${apiVersion}/${kind}`);
}

/** A reference to a resource type as the library API accepts it. @public */
export type ResourceRef =
  | string
  | { group?: string; version?: string; resource: string };

/**
 * Resolves "pods", "deploy", "deployments.apps", "apps/v1/deployments", "v1/pods" or a
 * {group, version, resource} object to a served resource type.
 */
export function resolveResource(ref: ResourceRef): ResourceDef {
  let found: ResourceDef | undefined;
  if (typeof ref === 'object') {
    found = ref.version
      ? findResource(ref.group ?? '', ref.version, ref.resource)
      : byGroupResource.get(`${ref.group ?? ''}/${ref.resource}`);
  } else {
    const parts = ref.split('/');
    if (parts.length === 3) found = findResource(parts[0], parts[1], parts[2]);
    else if (parts.length === 2) found = findResource('', parts[0], parts[1]);
    else {
      const [name, ...groupParts] = ref.split('.');
      const group = groupParts.join('.');
      found = RESOURCES.find(
        r =>
          (r.resource === name ||
            r.singular === name ||
            r.shortNames.includes(name) ||
            r.kind === name) &&
          (!groupParts.length || r.group === group),
      );
    }
  }
  if (!found) {
    throw new Error(`Unknown resource ${JSON.stringify(ref)}`);
  }
  return found;
}

/** The storageVersionHash discovery publishes: stable per group/version/kind. */
export function storageVersionHash(d: ResourceDef): string {
  return createHash('sha256')
    .update(`${d.group}/${d.version}/${d.kind}`)
    .digest()
    .subarray(0, 8)
    .toString('base64');
}
