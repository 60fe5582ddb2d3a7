/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import schemaData from './schemas.json';

/** A field of a definition: its encoded type ("[]T", "{}T", "#Definition", primitive) and doc. */
export interface FieldInfo {
  type: string;
  description: string;
}

export interface Definition {
  name: string;
  description: string;
  properties: Record<string, FieldInfo>;
  required: string[];
}

/** How a list merges: the Go struct tags patchStrategy/patchMergeKey and +listType/+listMapKey. */
export interface ListMeta {
  listType: 'atomic' | 'set' | 'map';
  /** Strategic merge patch strategy; lists without one are replaced whole. */
  strategy?: 'merge' | 'merge,retainKeys';
  mergeKey?: string;
  /** Keys identifying an item of a listType=map list (managed fields, apply). */
  mapKeys?: string[];
}

export type TypeNode =
  | { kind: 'primitive'; name: string }
  | { kind: 'any' }
  | { kind: 'array'; items: TypeNode; list: ListMeta }
  | { kind: 'map'; values: TypeNode }
  | { kind: 'object'; definition: Definition };

const raw = schemaData as unknown as {
  source: string;
  definitions: Record<
    string,
    { d: string; p: Record<string, [string, string]>; r?: string[] }
  >;
};

/** Where the type model comes from (reported in the OpenAPI info). */
export const SCHEMA_SOURCE = raw.source;

export const DEFINITIONS: ReadonlyMap<string, Definition> = new Map(
  Object.entries(raw.definitions).map(([name, d]) => [
    name,
    {
      name,
      description: d.d,
      properties: Object.fromEntries(
        Object.entries(d.p).map(([field, [type, description]]) => [
          field,
          { type, description },
        ]),
      ),
      required: d.r ?? [],
    },
  ]),
);

const CORE = 'io.k8s.api.core.v1';
const APPS = 'io.k8s.api.apps.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const byType = (key: string): ListMeta => ({
  listType: 'map',
  strategy: 'merge',
  mergeKey: key,
  mapKeys: [key],
});

/**
 * List semantics from the Kubernetes Go types. Lists not named here are atomic: replaced whole
 * by a strategic merge patch and owned as one field by server-side apply.
 */
const LIST_META: Record<string, ListMeta> = {
  [`${META}.ObjectMeta.finalizers`]: { listType: 'set', strategy: 'merge' },
  [`${META}.ObjectMeta.ownerReferences`]: byType('uid'),
  [`${CORE}.PodSpec.volumes`]: {
    ...byType('name'),
    strategy: 'merge,retainKeys',
  },
  [`${CORE}.PodSpec.containers`]: byType('name'),
  [`${CORE}.PodSpec.initContainers`]: byType('name'),
  [`${CORE}.PodSpec.ephemeralContainers`]: byType('name'),
  [`${CORE}.PodSpec.imagePullSecrets`]: byType('name'),
  [`${CORE}.PodSpec.hostAliases`]: byType('ip'),
  [`${CORE}.PodSpec.topologySpreadConstraints`]: {
    ...byType('topologyKey'),
    mapKeys: ['topologyKey', 'whenUnsatisfiable'],
  },
  [`${CORE}.PodSpec.resourceClaims`]: {
    ...byType('name'),
    strategy: 'merge,retainKeys',
  },
  [`${CORE}.PodSpec.schedulingGates`]: byType('name'),
  [`${CORE}.Container.ports`]: {
    ...byType('containerPort'),
    mapKeys: ['containerPort', 'protocol'],
  },
  [`${CORE}.Container.env`]: byType('name'),
  [`${CORE}.Container.volumeMounts`]: byType('mountPath'),
  [`${CORE}.Container.volumeDevices`]: byType('devicePath'),
  [`${CORE}.EphemeralContainer.ports`]: {
    ...byType('containerPort'),
    mapKeys: ['containerPort', 'protocol'],
  },
  [`${CORE}.EphemeralContainer.env`]: byType('name'),
  [`${CORE}.EphemeralContainer.volumeMounts`]: byType('mountPath'),
  [`${CORE}.EphemeralContainer.volumeDevices`]: byType('devicePath'),
  [`${CORE}.PodStatus.conditions`]: byType('type'),
  [`${CORE}.PodStatus.podIPs`]: byType('ip'),
  [`${CORE}.PodStatus.hostIPs`]: byType('ip'),
  [`${CORE}.PodStatus.resourceClaimStatuses`]: {
    ...byType('name'),
    strategy: 'merge,retainKeys',
  },
  [`${CORE}.ServiceSpec.ports`]: {
    ...byType('port'),
    mapKeys: ['port', 'protocol'],
  },
  [`${CORE}.ServiceStatus.conditions`]: byType('type'),
  [`${CORE}.ServiceAccount.secrets`]: byType('name'),
  [`${CORE}.NodeSpec.podCIDRs`]: { listType: 'set', strategy: 'merge' },
  [`${CORE}.NodeStatus.conditions`]: byType('type'),
  [`${CORE}.NodeStatus.addresses`]: byType('type'),
  [`${CORE}.NamespaceStatus.conditions`]: byType('type'),
  [`${APPS}.DeploymentStatus.conditions`]: byType('type'),
  [`${APPS}.ReplicaSetStatus.conditions`]: byType('type'),
  [`${APPS}.StatefulSetStatus.conditions`]: byType('type'),
  [`${APPS}.DaemonSetStatus.conditions`]: byType('type'),
  ['io.k8s.api.batch.v1.JobStatus.conditions']: byType('type'),
  ['io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus.conditions']:
    byType('type'),
};

/** Non-list fields carrying a patch strategy (retainKeys on union types). */
export const FIELD_STRATEGY: Record<string, string> = {
  [`${APPS}.DeploymentSpec.strategy`]: 'retainKeys',
};

export function listMetaFor(
  definition: string,
  field: string,
): ListMeta | undefined {
  return LIST_META[`${definition}.${field}`];
}

const PRIMITIVES = new Set([
  'string',
  'integer',
  'number',
  'boolean',
  'time',
  'microtime',
  'bytes',
  'intorstring',
  'quantity',
]);

const ATOMIC: ListMeta = { listType: 'atomic' };
const ANY: TypeNode = { kind: 'any' };
const cache = new Map<string, TypeNode>();

/** Parses an encoded field type; `owner`/`field` locate list semantics. */
export function parseType(
  encoded: string,
  owner?: string,
  field?: string,
): TypeNode {
  const key = `${owner ?? ''}.${field ?? ''}:${encoded}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let node: TypeNode;
  if (encoded.startsWith('[]')) {
    const items = parseType(encoded.slice(2));
    const meta = (owner && field && listMetaFor(owner, field)) || ATOMIC;
    node = { kind: 'array', items, list: meta };
  } else if (encoded.startsWith('{}')) {
    node = { kind: 'map', values: parseType(encoded.slice(2)) };
  } else if (encoded.startsWith('#')) {
    const definition = DEFINITIONS.get(encoded.slice(1));
    node = definition ? { kind: 'object', definition } : ANY;
  } else if (PRIMITIVES.has(encoded)) {
    node = { kind: 'primitive', name: encoded };
  } else {
    node = ANY;
  }
  cache.set(key, node);
  return node;
}

/** The type of a whole object of a definition (e.g. io.k8s.api.apps.v1.Deployment). */
export function definitionType(name: string): TypeNode {
  return parseType(`#${name}`);
}

/** The type of a field of an object or a value of a map; `any` where the model says nothing. */
export function childType(node: TypeNode | undefined, key: string): TypeNode {
  if (!node) return ANY;
  if (node.kind === 'object') {
    const f = node.definition.properties[key];
    return f ? parseType(f.type, node.definition.name, key) : ANY;
  }
  if (node.kind === 'map') return node.values;
  return ANY;
}

export function hasField(node: TypeNode, key: string): boolean {
  return node.kind === 'object' && key in node.definition.properties;
}

export const ANY_TYPE = ANY;
