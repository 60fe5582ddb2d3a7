/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { parse as parseYaml } from 'yaml';
import { KubeObject } from '../store/store';
import { formatSelector, fromSelectorObject } from '../store/selectors';
import {
  applyJsonPatch,
  applyMergePatch,
  deepClone,
  PatchError,
} from '../patch/jsonPatch';
import { ResourceDef } from './resources';
import { badRequest, conflict, invalid, unsupportedMediaType } from './status';
import { isObject } from '../util';
import { PATCH_TYPES, type WriteContext } from './serviceTypes';
import type { ResourceService } from './service';

// The scale subresource of Deployments, ReplicaSets and StatefulSets.

export function toScale(obj: KubeObject): KubeObject {
  const sel = formatSelector(fromSelectorObject(obj.spec?.selector));
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector: sel },
  };
}

export function updateScale(
  svc: ResourceService,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
  scale: unknown,
  ctx: WriteContext,
): KubeObject {
  if (!isObject(scale) || !isObject(scale.spec))
    throw badRequest('the body of the request was not a Scale');
  const current = svc.store.mustGet(def, namespace, name);
  const rv = scale.metadata?.resourceVersion;
  if (rv && rv !== current.metadata.resourceVersion) throw conflict(def, name);
  const replicas = scale.spec.replicas;
  if (
    typeof replicas !== 'number' ||
    replicas < 0 ||
    !Number.isInteger(replicas)
  ) {
    throw invalid('Scale', 'autoscaling', name, [
      {
        field: 'spec.replicas',
        type: 'FieldValueInvalid',
        value: replicas,
        detail: 'must be greater than or equal to 0',
      },
    ]);
  }
  const next = deepClone(current);
  next.spec = { ...next.spec, replicas };
  const written = svc.writeUpdate(def, current, next, ctx, {
    subresource: 'scale',
  });
  return toScale(written);
}

export function patchScale(
  svc: ResourceService,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
  contentType: string,
  rawBody: string,
  ctx: WriteContext,
): KubeObject {
  const scale = svc.getScale(def, namespace, name);
  const type = contentType.split(';')[0].trim().toLowerCase();
  let body: unknown;
  try {
    body =
      type === PATCH_TYPES.apply ? parseYaml(rawBody) : JSON.parse(rawBody);
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
  let patched: unknown;
  try {
    if (type === PATCH_TYPES.json) patched = applyJsonPatch(scale, body);
    else if (
      type === PATCH_TYPES.merge ||
      type === PATCH_TYPES.strategic ||
      type === PATCH_TYPES.apply
    ) {
      patched = applyMergePatch(scale, body);
    } else throw unsupportedMediaType(contentType);
  } catch (e) {
    if (e instanceof PatchError) throw badRequest(e.message);
    throw e;
  }
  return svc.updateScale(def, namespace, name, patched, ctx);
}
