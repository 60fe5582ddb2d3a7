/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { parse as parseYaml } from 'yaml';
import { KubeObject } from '../store/store';
import {
  applyJsonPatch,
  applyMergePatch,
  PatchError,
} from '../patch/jsonPatch';
import { applyStrategicMergePatch } from '../patch/strategic';
import { applyConfiguration } from '../patch/managedFields';
import { definitionType } from './schema';
import { apiVersionOf, ResourceDef } from './resources';
import {
  ApiError,
  badRequest,
  conflict,
  invalid,
  notFound,
  unsupportedMediaType,
} from './status';
import { isObject } from '../util';
import { PATCH_TYPES, type WriteContext } from './serviceTypes';
import type { ResourceService } from './service';
import { decodeBody, hasStatusSubresource } from './admission';

// PATCH of an object: server-side apply (with its field manager conflicts),
// JSON, merge and strategic merge patches.

export function patchObject(
  svc: ResourceService,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
  contentType: string,
  rawBody: string,
  ctx: WriteContext & { force?: boolean; fieldManagerGiven?: boolean },
  subresource?: string,
): { object: KubeObject; created: boolean } {
  const type = contentType.split(';')[0].trim().toLowerCase();
  const current = svc.store.get(def, namespace, name);

  if (type === PATCH_TYPES.apply) {
    if (!ctx.fieldManagerGiven) {
      throw invalid('PatchOptions', 'meta.k8s.io', '', [
        {
          field: 'fieldManager',
          type: 'FieldValueRequired',
          detail: 'is required for apply patch',
        },
      ]);
    }
    let config: unknown;
    try {
      config = parseYaml(rawBody);
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
    if (!isObject(config))
      throw badRequest(
        'error decoding YAML: the apply configuration must be an object',
      );
    if (!config.apiVersion || !config.kind) {
      throw badRequest(
        "error decoding YAML: Object 'Kind' is missing in the apply configuration",
      );
    }
    const obj = decodeBody(def, config, ctx);
    if (obj.metadata.name && obj.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    obj.metadata.name = name;
    if (subresource !== 'status' && hasStatusSubresource(def))
      delete obj.status;
    const result = applyConfiguration({
      live: current,
      config: obj,
      manager: ctx.manager,
      apiVersion: apiVersionOf(def),
      type: definitionType(def.definition),
      force: !!ctx.force,
      subresource,
    });
    if (result.conflicts.length) {
      const lines = result.conflicts.map(
        c =>
          `conflict with "${c.manager}"${
            c.apiVersion ? ` using ${c.apiVersion}` : ''
          }: ${c.field}`,
      );
      throw new ApiError(
        409,
        'Conflict',
        `Apply failed with ${result.conflicts.length} conflict${
          result.conflicts.length > 1 ? 's' : ''
        }: ${lines.join('\n')}`,
        {
          name,
          group: def.group || undefined,
          kind: def.resource,
          causes: result.conflicts.map(c => ({
            reason: 'FieldManagerConflict',
            message: `conflict with "${c.manager}"${
              c.apiVersion ? ` using ${c.apiVersion}` : ''
            }`,
            field: c.field,
          })),
        },
      );
    }
    const managedFields = result.object.metadata.managedFields as unknown[];
    if (!current) {
      const created = svc.createDecoded(
        def,
        namespace,
        result.object as KubeObject,
        ctx,
        managedFields,
      );
      return { object: created, created: true };
    }
    return {
      object: svc.writeUpdate(def, current, result.object as KubeObject, ctx, {
        subresource,
        managedFields,
      }),
      created: false,
    };
  }

  if (!current) throw notFound(def, name);
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
  let patched: unknown;
  try {
    switch (type) {
      case PATCH_TYPES.json:
        patched = applyJsonPatch(current, body);
        break;
      case PATCH_TYPES.merge:
        patched = applyMergePatch(current, body);
        break;
      case PATCH_TYPES.strategic:
        patched = applyStrategicMergePatch(
          current,
          body,
          definitionType(def.definition),
        );
        break;
      default:
        throw unsupportedMediaType(contentType);
    }
  } catch (e) {
    if (e instanceof PatchError) {
      throw e.code === 422
        ? new ApiError(422, 'Invalid', e.message, {
            name,
            group: def.group || undefined,
            kind: def.resource,
          })
        : badRequest(e.message);
    }
    throw e;
  }
  const obj = decodeBody(def, patched, ctx);
  if (obj.metadata.name !== name) {
    throw badRequest(
      `metadata.name: Invalid value: "${obj.metadata.name}": field is immutable`,
    );
  }
  const rv = obj.metadata.resourceVersion;
  if (rv && rv !== current.metadata.resourceVersion) throw conflict(def, name);
  return {
    object: svc.writeUpdate(def, current, obj, ctx, { subresource }),
    created: false,
  };
}
