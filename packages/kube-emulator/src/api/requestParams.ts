/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { IncomingMessage } from 'node:http';
import { KubeObject } from '../store/store';
import { findResource, ResourceDef } from './resources';
import { FieldValidation } from './service';
import { ApiError, badRequest, forbidden } from './status';
import { IncludeObject } from './tables';

// What a resource request asks for: its path parts, its verb and the query
// parameters the API server honours.

export interface ResourceRequest {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
  legacyWatch: boolean;
}

/** Splits /api/v1/namespaces/x/pods/y/status and friends; undefined when not a resource path. */
export function parseResourcePath(
  segments: string[],
): ResourceRequest | null | undefined {
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1];
    version = segments[2];
    rest = segments.slice(3);
  } else {
    return undefined;
  }
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const candidate = findResource(group, version, rest[2]);
    if (candidate && candidate.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const def = findResource(group, version, rest[0] ?? '');
  if (!def || rest.length > 3) return null;
  if (namespace && !def.namespaced) return null;
  const [, name, subresource] = rest;
  if (subresource && !def.subresources.some(s => s.name === subresource))
    return null;
  return { def, namespace, name, subresource, legacyWatch };
}

export function verbOf(
  method: string,
  r: ResourceRequest,
  watch: boolean,
): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (r.name) return 'get';
      return watch ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return r.name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

export function forbiddenFor(
  user: { username: string },
  verb: string,
  r: Pick<ResourceRequest, 'def' | 'namespace' | 'name' | 'subresource'>,
): ApiError {
  const resource = r.subresource
    ? `${r.def.resource}/${r.subresource}`
    : r.def.resource;
  const qualified = r.def.group
    ? `${r.def.resource}.${r.def.group}`
    : r.def.resource;
  const subject = r.name ? `${qualified} "${r.name}"` : qualified;
  const scope = r.namespace
    ? `in the namespace "${r.namespace}"`
    : 'at the cluster scope';
  return forbidden(
    `${subject} is forbidden: User "${user.username}" cannot ${verb} resource "${resource}" in API group "${r.def.group}" ${scope}`,
    { name: r.name, group: r.def.group || undefined, kind: r.def.resource },
  );
}

export function queryFlag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === 'true' || v === '1' || v === '';
}

export function managerFor(
  req: IncomingMessage,
  q: URLSearchParams,
): { manager: string; given: boolean } {
  const given = q.get('fieldManager');
  if (given) {
    if (given.length > 128)
      throw badRequest('fieldManager: Too long: may not be longer than 128');
    return { manager: given, given: true };
  }
  const ua = req.headers['user-agent'] ?? 'unknown';
  return { manager: ua.split('/')[0] || 'unknown', given: false };
}

export function fieldValidationOf(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(
    `invalid fieldValidation directive: "${v}"; accepted values: Ignore, Warn, Strict`,
  );
}

export function dryRunOf(q: URLSearchParams): boolean {
  const values = q.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All')
      throw badRequest(
        `dryRun: Unsupported value: "${v}": supported values: "All"`,
      );
  }
  return values.length > 0;
}

export function numberParam(
  q: URLSearchParams,
  name: string,
): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0)
    throw badRequest(`${name}: Invalid value: "${v}"`);
  return n;
}

export function includeObjectOf(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  if (v === 'None' || v === 'Object' || v === 'Metadata') return v;
  return 'Metadata';
}

export function toMetadataOnly(obj: KubeObject) {
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: obj.metadata,
  };
}
