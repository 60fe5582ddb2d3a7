/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { DEFINITIONS, listMetaFor, FIELD_STRATEGY } from './schema';
import { GROUP_VERSIONS, RESOURCES } from './resources';

// The schemas of the OpenAPI documents (v2 and v3): each definition from the
// schema table, with its references collected.

export type Obj = Record<string, any>;

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** Schemas the generator does not take from client-node: the meta types of list and patch. */
const SYNTHETIC: Record<string, Obj> = {
  [`${META}.Patch`]: {
    description:
      'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    type: 'object',
  },
  [`${META}.Time`]: {
    description:
      'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.',
    type: 'string',
    format: 'date-time',
  },
  [`${META}.MicroTime`]: {
    description:
      'MicroTime is version of Time with microsecond level precision.',
    type: 'string',
    format: 'date-time',
  },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': {
    description:
      'Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.',
    type: 'string',
  },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
    description: 'IntOrString is a type that can hold an int32 or a string.',
    type: 'string',
    format: 'int-or-string',
  },
  [`${META}.FieldsV1`]: {
    description:
      'FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.',
    type: 'object',
  },
};

const PRIMITIVE_REFS: Record<string, string> = {
  time: `${META}.Time`,
  microtime: `${META}.MicroTime`,
  quantity: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
  intorstring: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
};

export type Flavour = 'v2' | 'v3';

export function refTo(name: string, flavour: Flavour): string {
  return flavour === 'v3'
    ? `#/components/schemas/${name}`
    : `#/definitions/${name}`;
}

/** The OpenAPI schema of an encoded field type; `refs` collects the definitions it needs. */
function schemaOf(encoded: string, flavour: Flavour, refs: Set<string>): Obj {
  if (encoded.startsWith('[]'))
    return { type: 'array', items: schemaOf(encoded.slice(2), flavour, refs) };
  if (encoded.startsWith('{}')) {
    return {
      type: 'object',
      additionalProperties: schemaOf(encoded.slice(2), flavour, refs),
    };
  }
  if (encoded.startsWith('#')) {
    const name = encoded.slice(1);
    refs.add(name);
    return { $ref: refTo(name, flavour) };
  }
  if (PRIMITIVE_REFS[encoded]) {
    refs.add(PRIMITIVE_REFS[encoded]);
    return { $ref: refTo(PRIMITIVE_REFS[encoded], flavour) };
  }
  switch (encoded) {
    case 'integer':
      return { type: 'integer', format: 'int32' };
    case 'number':
      return { type: 'number', format: 'double' };
    case 'boolean':
      return { type: 'boolean' };
    case 'bytes':
      return { type: 'string', format: 'byte' };
    case 'string':
      return { type: 'string' };
    default:
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  }
}

function gvkOf(
  name: string,
): Array<{ group: string; version: string; kind: string }> | undefined {
  const r = RESOURCES.find(d => d.definition === name);
  if (r) return [{ group: r.group, version: r.version, kind: r.kind }];
  if (name === 'io.k8s.api.autoscaling.v1.Scale')
    return [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }];
  if (name === `${META}.Status`)
    return [{ group: '', version: 'v1', kind: 'Status' }];
  if (name === `${META}.DeleteOptions`) {
    return GROUP_VERSIONS.map(gv => ({
      group: gv.group,
      version: gv.version,
      kind: 'DeleteOptions',
    }));
  }
  const list = RESOURCES.find(d => `${d.definition}List` === name);
  if (list)
    return [
      { group: list.group, version: list.version, kind: `${list.kind}List` },
    ];
  return undefined;
}

function definitionSchema(
  name: string,
  flavour: Flavour,
  refs: Set<string>,
): Obj {
  if (SYNTHETIC[name]) return SYNTHETIC[name];
  const list = RESOURCES.find(d => `${d.definition}List` === name);
  if (list) {
    refs.add(list.definition);
    refs.add(`${META}.ListMeta`);
    const wrap = (s: Obj) => (flavour === 'v3' ? { allOf: [s] } : s);
    return {
      description: `${list.kind}List is a list of ${list.kind} objects.`,
      type: 'object',
      required: ['items'],
      properties: {
        apiVersion: {
          type: 'string',
          description:
            'APIVersion defines the versioned schema of this representation of an object.',
        },
        items: {
          type: 'array',
          items: wrap({ $ref: refTo(list.definition, flavour) }),
          description: `List of ${list.resource}.`,
        },
        kind: {
          type: 'string',
          description:
            'Kind is a string value representing the REST resource this object represents.',
        },
        metadata: {
          ...wrap({ $ref: refTo(`${META}.ListMeta`, flavour) }),
          description: 'Standard list metadata.',
        },
      },
      'x-kubernetes-group-version-kind': gvkOf(name),
    };
  }
  const def = DEFINITIONS.get(name);
  if (!def) return { type: 'object' };
  const properties: Obj = {};
  for (const [field, property] of Object.entries(def.properties)) {
    let s = schemaOf(property.type, flavour, refs);
    // OpenAPI 3.0 ignores siblings of $ref, so the real server wraps references in allOf.
    if (s.$ref && flavour === 'v3') s = { allOf: [s] };
    if (s.type === 'array' && s.items.$ref && flavour === 'v3')
      s.items = { allOf: [s.items] };
    if (property.description) s = { ...s, description: property.description };
    const listMeta = listMetaFor(name, field);
    if (listMeta) {
      if (listMeta.strategy)
        s['x-kubernetes-patch-strategy'] = listMeta.strategy;
      if (listMeta.mergeKey)
        s['x-kubernetes-patch-merge-key'] = listMeta.mergeKey;
      s['x-kubernetes-list-type'] = listMeta.listType;
      if (listMeta.mapKeys) s['x-kubernetes-list-map-keys'] = listMeta.mapKeys;
    } else if (s.type === 'array') {
      s['x-kubernetes-list-type'] = 'atomic';
    }
    const strategy = FIELD_STRATEGY[`${name}.${field}`];
    if (strategy) s['x-kubernetes-patch-strategy'] = strategy;
    properties[field] = s;
  }
  const out: Obj = { description: def.description, type: 'object', properties };
  if (def.required.length) out.required = def.required;
  const gvk = gvkOf(name);
  if (gvk) out['x-kubernetes-group-version-kind'] = gvk;
  return out;
}

/** Resolves the transitive closure of definitions starting from `roots`. */
export function collectSchemas(roots: string[], flavour: Flavour): Obj {
  const out: Obj = {};
  const queue = [...roots];
  for (let i = 0; i < queue.length; i++) {
    const name = queue[i];
    if (out[name]) continue;
    const refs = new Set<string>();
    out[name] = definitionSchema(name, flavour, refs);
    for (const r of refs) if (!out[r]) queue.push(r);
  }
  return Object.fromEntries(
    Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}
