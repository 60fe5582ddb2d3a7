/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { KubeObject, ObjectStore } from '../store/store';
import { matchesFields, matchesLabels } from '../store/selectors';
import { deepClone } from '../patch/jsonPatch';
import { trackUpdate } from '../patch/managedFields';
import { definitionType } from './schema';
import {
  apiVersionOf,
  findResource,
  ResourceDef,
  RESOURCES,
} from './resources';
import { ApiError, badRequest, conflict, invalid } from './status';
import { validateObject } from './validation';
import { applyDefaults } from './defaults';
import {
  checkNamespace,
  decodeBody,
  hasStatusSubresource,
  initialStatus,
  placeInNamespace,
} from './admission';
import { afterDelete, deleteObject } from './deletion';
import { patchObject } from './patchObject';
import { patchScale, toScale, updateScale } from './scale';
import { nowTimestamp, randomSuffix, jsonEqual } from '../util';

import type {
  AdmissionHooks,
  DeleteOptions,
  ListQuery,
  ListResult,
  WriteContext,
} from './serviceTypes';

export {
  type AdmissionHooks,
  type DeleteOptions,
  type FieldValidation,
  type ListQuery,
  type ListResult,
  PATCH_TYPES,
  type WriteContext,
} from './serviceTypes';

const CORE_NAMESPACES = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
];

function specPart(obj: KubeObject) {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

function stripVolatile(obj: KubeObject) {
  const {
    managedFields: _mf,
    resourceVersion: _rv,
    ...meta
  } = obj.metadata ?? {};
  return { ...obj, metadata: meta };
}

function encodeContinue(rv: number, start: string) {
  return Buffer.from(
    JSON.stringify({ v: 'meta.k8s.io/v1', rv, start }),
  ).toString('base64url');
}

function decodeContinue(token: string): { rv: number; start: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed?.start === 'string') return parsed;
  } catch {
    // fall through to the error below
  }
  throw badRequest(
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}

function objectKey(o: KubeObject) {
  return o.metadata.namespace
    ? `${o.metadata.namespace}/${o.metadata.name}`
    : `${o.metadata.name}`;
}

/**
 * The API server's registry for every served type: admission, defaulting, validation,
 * optimistic concurrency, patches, managed fields, generation, deletion with finalizers and
 * garbage collection. The HTTP layer and the simulated controllers both write through it.
 */
export class ResourceService {
  constructor(
    readonly store: ObjectStore,
    private readonly hooks: AdmissionHooks = {},
  ) {}

  get(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
  ): KubeObject {
    return this.store.mustGet(def, namespace, name);
  }

  list(def: ResourceDef, query: ListQuery): ListResult {
    const all = this.store.list(
      def,
      def.namespaced ? query.namespace : undefined,
    );
    let items = all.filter(
      o =>
        (!query.labelSelector?.length ||
          matchesLabels(query.labelSelector, o.metadata.labels)) &&
        (!query.fieldSelector?.length || matchesFields(query.fieldSelector, o)),
    );
    if (query.continueToken) {
      const { start } = decodeContinue(query.continueToken);
      items = items.filter(o => objectKey(o) > start);
    }
    const rv = String(this.store.resourceVersion);
    if (query.limit && query.limit > 0 && items.length > query.limit) {
      const page = items.slice(0, query.limit);
      return {
        items: page,
        resourceVersion: rv,
        continueToken: encodeContinue(
          this.store.resourceVersion,
          objectKey(page[page.length - 1]),
        ),
        remainingItemCount: items.length - page.length,
      };
    }
    return { items, resourceVersion: rv };
  }

  // ---- create ---------------------------------------------------------------------------------

  create(
    def: ResourceDef,
    namespace: string | undefined,
    body: unknown,
    ctx: WriteContext,
  ): KubeObject {
    const obj = decodeBody(def, body, ctx);
    return this.createDecoded(def, namespace, obj, ctx);
  }

  /** @internal */
  createDecoded(
    def: ResourceDef,
    namespace: string | undefined,
    obj: KubeObject,
    ctx: WriteContext,
    managedFields?: unknown[],
  ): KubeObject {
    placeInNamespace(def, obj, namespace);
    const meta = obj.metadata;
    if (meta.resourceVersion) {
      throw badRequest(
        'resourceVersion should not be set on objects to be created',
      );
    }
    if (!meta.name && meta.generateName) {
      meta.name = `${meta.generateName}${randomSuffix()}`;
    }
    for (const k of [
      'uid',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'generation',
      'selfLink',
      'managedFields',
    ]) {
      delete meta[k];
    }
    // Status is the server's to set, except a kubelet registering its node with its status.
    if (hasStatusSubresource(def) && def.kind !== 'Node')
      obj.status = initialStatus(def);
    applyDefaults(def, obj);
    checkNamespace(this.store, def, obj, 'create');
    this.hooks.admit?.(def, obj, undefined);
    const errors = validateObject(def, obj);
    if (errors.length)
      throw invalid(def.kind, def.group, meta.name ?? '', errors);
    if (def.hasGeneration) meta.generation = 1;
    meta.managedFields =
      managedFields ??
      trackUpdate({
        previous: undefined,
        next: obj,
        manager: ctx.manager,
        apiVersion: apiVersionOf(def),
        type: definitionType(def.definition),
      });
    if (ctx.dryRun) {
      if (this.store.get(def, meta.namespace, meta.name!)) {
        this.store.create(def, obj); // throws AlreadyExists, like the real dry run
      }
      return {
        ...obj,
        metadata: {
          ...meta,
          uid: '00000000-0000-0000-0000-000000000000',
          creationTimestamp: nowTimestamp(),
        },
      };
    }
    return this.store.create(def, obj);
  }

  // ---- update ---------------------------------------------------------------------------------

  update(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    body: unknown,
    ctx: WriteContext,
    subresource?: string,
  ): KubeObject {
    const obj = decodeBody(def, body, ctx);
    if (obj.metadata.name && obj.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    obj.metadata.name = name;
    if (
      def.namespaced &&
      obj.metadata.namespace &&
      obj.metadata.namespace !== namespace
    ) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    const current = this.store.mustGet(def, namespace, name);
    const rv = obj.metadata.resourceVersion;
    if (rv && rv !== current.metadata.resourceVersion)
      throw conflict(def, name);
    return this.writeUpdate(def, current, obj, ctx, { subresource });
  }

  /**
   * The common tail of update and patch: carries server-owned fields over, defaults,
   * validates, bumps generation, tracks managed fields and writes unless nothing changed.
   */
  /** @internal */
  writeUpdate(
    def: ResourceDef,
    current: KubeObject,
    incoming: KubeObject,
    ctx: WriteContext,
    opts: { subresource?: string; managedFields?: unknown[] },
  ): KubeObject {
    const subresource = opts.subresource;
    let next: KubeObject;
    if (subresource === 'status') {
      next = { ...deepClone(current), status: deepClone(incoming.status) };
    } else {
      next = deepClone(incoming);
      if (hasStatusSubresource(def)) {
        if (current.status !== undefined)
          next.status = deepClone(current.status);
        else delete next.status;
      }
      const keep = [
        'uid',
        'creationTimestamp',
        'deletionTimestamp',
        'deletionGracePeriodSeconds',
        'generation',
      ];
      next.metadata = { ...next.metadata };
      for (const k of keep) {
        if (current.metadata[k] !== undefined)
          next.metadata[k] = current.metadata[k];
        else delete next.metadata[k];
      }
      next.metadata.namespace = current.metadata.namespace;
      if (!def.namespaced) delete next.metadata.namespace;
      applyDefaults(def, next);
      if (def.kind === 'Namespace' && current.status)
        next.status = deepClone(current.status);
    }
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    this.hooks.admit?.(def, next, current);
    const errors =
      subresource === 'status' ? [] : validateObject(def, next, current);
    if (errors.length)
      throw invalid(def.kind, def.group, current.metadata.name!, errors);

    if (def.hasGeneration && !jsonEqual(specPart(next), specPart(current))) {
      next.metadata.generation = (current.metadata.generation ?? 0) + 1;
    }
    const explicitManagedFields =
      opts.managedFields ??
      (Array.isArray(incoming.metadata.managedFields) &&
      !jsonEqual(
        incoming.metadata.managedFields,
        current.metadata.managedFields,
      )
        ? incoming.metadata.managedFields
        : undefined);
    next.metadata.managedFields =
      explicitManagedFields ??
      trackUpdate({
        previous: current,
        next,
        manager: ctx.manager,
        apiVersion: apiVersionOf(def),
        type: definitionType(def.definition),
        subresource,
      });
    if (
      Array.isArray(next.metadata.managedFields) &&
      next.metadata.managedFields.length === 0
    ) {
      delete next.metadata.managedFields;
    }

    const finalizing =
      current.metadata.deletionTimestamp &&
      (!Array.isArray(next.metadata.finalizers) ||
        next.metadata.finalizers.length === 0);
    if (
      jsonEqual(stripVolatile(next), stripVolatile(current)) &&
      !explicitManagedFields &&
      !finalizing
    ) {
      return current;
    }
    if (ctx.dryRun) return next;
    if (finalizing) {
      // The last finalizer is gone: the object completes its deletion.
      const written = this.store.update(
        def,
        next,
        current.metadata.resourceVersion,
      );
      this.store.delete(
        def,
        written.metadata.namespace,
        written.metadata.name!,
      );
      afterDelete(this, def, written, 'Background');
      return written;
    }
    return this.store.update(def, next, current.metadata.resourceVersion);
  }

  /**
   * A controller's write of an object it just read: no decoding or strict field checks, but
   * the same validation, generation, managed fields and no-op detection as any update.
   */
  controllerWrite(
    def: ResourceDef,
    current: KubeObject,
    next: KubeObject,
    manager: string,
    subresource?: 'status',
  ): KubeObject {
    return this.writeUpdate(def, current, next, { manager }, { subresource });
  }

  /** A controller's create (pods of a ReplicaSet, events, …). */
  controllerCreate(
    def: ResourceDef,
    obj: KubeObject,
    manager: string,
  ): KubeObject {
    const copy = deepClone(obj);
    copy.apiVersion = apiVersionOf(def);
    copy.kind = def.kind;
    return this.createDecoded(def, copy.metadata.namespace, copy, { manager });
  }

  // ---- patch ----------------------------------------------------------------------------------

  patch(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    contentType: string,
    rawBody: string,
    ctx: WriteContext & { force?: boolean; fieldManagerGiven?: boolean },
    subresource?: string,
  ): { object: KubeObject; created: boolean } {
    return patchObject(
      this,
      def,
      namespace,
      name,
      contentType,
      rawBody,
      ctx,
      subresource,
    );
  }

  // ---- delete ---------------------------------------------------------------------------------

  delete(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): { object: KubeObject; body: Record<string, unknown>; pending: boolean } {
    return deleteObject(this, def, namespace, name, options);
  }

  deleteCollection(
    def: ResourceDef,
    query: ListQuery,
    options: DeleteOptions,
  ): KubeObject[] {
    const { items } = this.list(def, {
      ...query,
      limit: undefined,
      continueToken: undefined,
    });
    const out: KubeObject[] = [];
    for (const o of items) {
      try {
        out.push(
          this.delete(def, o.metadata.namespace, o.metadata.name!, options)
            .object,
        );
      } catch (e) {
        if (!(e instanceof ApiError) || e.code !== 404) throw e;
      }
    }
    return out;
  }

  // ---- scale ----------------------------------------------------------------------------------

  getScale(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
  ): KubeObject {
    return toScale(this.store.mustGet(def, namespace, name));
  }

  updateScale(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    scale: unknown,
    ctx: WriteContext,
  ): KubeObject {
    return updateScale(this, def, namespace, name, scale, ctx);
  }

  patchScale(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    contentType: string,
    rawBody: string,
    ctx: WriteContext,
  ): KubeObject {
    return patchScale(this, def, namespace, name, contentType, rawBody, ctx);
  }

  /** Finds a served type for an ownerReference-style apiVersion/kind. */
  static resourceFor(
    apiVersion: string,
    kind: string,
  ): ResourceDef | undefined {
    const [group, version] = apiVersion.includes('/')
      ? apiVersion.split('/')
      : ['', apiVersion];
    return (
      RESOURCES.find(
        r => r.group === group && r.version === version && r.kind === kind,
      ) ?? findResource(group, version, kind.toLowerCase())
    );
  }

  static get coreNamespaces(): readonly string[] {
    return CORE_NAMESPACES;
  }
}
