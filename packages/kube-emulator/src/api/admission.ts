/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { KubeObject, ObjectStore } from '../store/store';
import { deepClone } from '../patch/jsonPatch';
import { apiVersionOf, ResourceDef, RESOURCES } from './resources';
import { badRequest, forbidden, notFound } from './status';
import { decodeCheck } from './decoding';
import { isObject } from '../util';
import type { WriteContext } from './serviceTypes';

// Admission of a write body: decoding it strictly, checking its fields and
// namespace, and the status a new object starts with.

/** Whether a type carries a status subresource (status writes go through /status only). */
export function hasStatusSubresource(def: ResourceDef) {
  return def.subresources.some(s => s.name === 'status');
}

export function initialStatus(def: ResourceDef): Record<string, unknown> {
  switch (def.kind) {
    case 'Pod':
      return { phase: 'Pending' };
    case 'Namespace':
      return { phase: 'Active' };
    case 'Service':
      return { loadBalancer: {} };
    case 'Ingress':
      return { loadBalancer: {} };
    default:
      return {};
  }
}

export function placeInNamespace(
  def: ResourceDef,
  obj: KubeObject,
  namespace: string | undefined,
) {
  if (def.namespaced) {
    const ns = namespace ?? obj.metadata.namespace;
    if (!ns)
      throw badRequest(
        'the server could not find the requested resource: namespace is required',
      );
    if (obj.metadata.namespace && obj.metadata.namespace !== ns) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    obj.metadata.namespace = ns;
  } else {
    delete obj.metadata.namespace;
  }
}

export function checkNamespace(
  store: ObjectStore,
  def: ResourceDef,
  obj: KubeObject,
  verb: string,
) {
  if (!def.namespaced) return;
  const nsDef = RESOURCES[0];
  const ns = store.get(nsDef, undefined, obj.metadata.namespace!);
  if (!ns) throw notFound(nsDef, obj.metadata.namespace!);
  if (verb === 'create' && ns.metadata.deletionTimestamp) {
    throw forbidden(
      `${def.group ? `${def.resource}.${def.group}` : def.resource} "${
        obj.metadata.name
      }" is forbidden: unable to create new content in namespace ${
        obj.metadata.namespace
      } because it is being terminated`,
      {
        name: obj.metadata.name,
        group: def.group || undefined,
        kind: def.resource,
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${obj.metadata.namespace} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      },
    );
  }
}

/** Checks apiVersion/kind and the type model, pruning unknown fields unless Strict fails. */
export function decodeBody(
  def: ResourceDef,
  body: unknown,
  ctx: WriteContext,
): KubeObject {
  if (!isObject(body)) {
    throw badRequest(`the body of the request was not a JSON object`);
  }
  const obj = deepClone(body) as KubeObject;
  const expected = apiVersionOf(def);
  if (obj.apiVersion !== undefined && obj.apiVersion !== expected) {
    throw badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`,
    );
  }
  if (obj.kind !== undefined && obj.kind !== def.kind) {
    throw badRequest(
      `${obj.kind} in version "${def.version}" cannot be handled as a ${def.kind}: no kind "${obj.kind}" is registered for version "${expected}" in scheme`,
    );
  }
  obj.apiVersion = expected;
  obj.kind = def.kind;
  if (!isObject(obj.metadata)) obj.metadata = {};
  checkFields(def, obj, ctx);
  return obj;
}

export function checkFields(
  def: ResourceDef,
  obj: KubeObject,
  ctx: WriteContext,
) {
  const { unknownFields, typeErrors } = decodeCheck(obj, def);
  const prefix = `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}`;
  if (typeErrors.length) throw badRequest(`${prefix}: ${typeErrors[0]}`);
  if (!unknownFields.length) return;
  const mode = ctx.fieldValidation ?? 'Warn';
  if (mode === 'Strict') {
    throw badRequest(
      `${prefix}: strict decoding error: ${unknownFields
        .map(f => `unknown field "${f}"`)
        .join(', ')}`,
    );
  }
  if (mode === 'Warn') {
    for (const f of unknownFields) ctx.warnings?.push(`unknown field "${f}"`);
  }
  // Unknown fields never reach storage: decoding into the typed object drops them.
  for (const f of unknownFields) {
    const parts = f.replace(/\[(\d+)\]/g, '.$1').split('.');
    let cur: any = obj;
    for (let i = 0; i < parts.length - 1 && cur; i++) cur = cur[parts[i]];
    if (cur && typeof cur === 'object') delete cur[parts[parts.length - 1]];
  }
}
