/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import yaml from 'js-yaml';
import { KubeObject, ObjectStore } from '../store/store';
import {
  FieldRequirement,
  formatSelector,
  fromSelectorObject,
  LabelSelector,
  matchesFields,
  matchesLabels,
} from '../store/selectors';
import {
  applyJsonPatch,
  applyMergePatch,
  deepClone,
  PatchError,
} from '../patch/jsonPatch';
import { applyStrategicMergePatch } from '../patch/strategic';
import { applyConfiguration, trackUpdate } from '../patch/managedFields';
import { definitionType } from './schema';
import {
  apiVersionOf,
  findResource,
  ResourceDef,
  RESOURCES,
} from './resources';
import {
  ApiError,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
  successStatus,
  unsupportedMediaType,
} from './status';
import { decodeCheck, validateObject } from './validation';
import { applyDefaults } from './defaults';
import { isObject, nowTimestamp, randomSuffix, jsonEqual } from '../util';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Who writes, and how: what the request's query parameters and headers say. */
export interface WriteContext {
  /** managedFields manager name (fieldManager param, or derived from the User-Agent). */
  manager: string;
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
  /** Warnings for the response's Warning headers. */
  warnings?: string[];
}

export interface DeleteOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface ListQuery {
  namespace?: string;
  labelSelector?: LabelSelector;
  fieldSelector?: FieldRequirement[];
  limit?: number;
  continueToken?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

export const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

/** Cluster-specific admission, supplied by the cluster (IP allocation, pod placement). */
export interface AdmissionHooks {
  /** Called on create and update, after defaulting, before validation. */
  admit?(def: ResourceDef, obj: KubeObject, old: KubeObject | undefined): void;
}

const CORE_NAMESPACES = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
];

/** Whether a type carries a status subresource (status writes go through /status only). */
function hasStatusSubresource(def: ResourceDef) {
  return def.subresources.some(s => s.name === 'status');
}

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
    const obj = this.decodeBody(def, body, ctx);
    return this.createDecoded(def, namespace, obj, ctx);
  }

  private createDecoded(
    def: ResourceDef,
    namespace: string | undefined,
    obj: KubeObject,
    ctx: WriteContext,
    managedFields?: unknown[],
  ): KubeObject {
    this.placeInNamespace(def, obj, namespace);
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
      obj.status = this.initialStatus(def);
    applyDefaults(def, obj);
    this.checkNamespace(def, obj, 'create');
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

  private initialStatus(def: ResourceDef): Record<string, unknown> {
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

  private placeInNamespace(
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

  private checkNamespace(def: ResourceDef, obj: KubeObject, verb: string) {
    if (!def.namespaced) return;
    const nsDef = RESOURCES[0];
    const ns = this.store.get(nsDef, undefined, obj.metadata.namespace!);
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
  private decodeBody(
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
    this.checkFields(def, obj, ctx);
    return obj;
  }

  private checkFields(def: ResourceDef, obj: KubeObject, ctx: WriteContext) {
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

  // ---- update ---------------------------------------------------------------------------------

  update(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    body: unknown,
    ctx: WriteContext,
    subresource?: string,
  ): KubeObject {
    const obj = this.decodeBody(def, body, ctx);
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
  private writeUpdate(
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
      this.afterDelete(def, written, 'Background');
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
    const type = contentType.split(';')[0].trim().toLowerCase();
    const current = this.store.get(def, namespace, name);

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
        config = yaml.load(rawBody);
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
      const obj = this.decodeBody(def, config, ctx);
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
        const created = this.createDecoded(
          def,
          namespace,
          result.object as KubeObject,
          ctx,
          managedFields,
        );
        return { object: created, created: true };
      }
      return {
        object: this.writeUpdate(
          def,
          current,
          result.object as KubeObject,
          ctx,
          { subresource, managedFields },
        ),
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
    const obj = this.decodeBody(def, patched, ctx);
    if (obj.metadata.name !== name) {
      throw badRequest(
        `metadata.name: Invalid value: "${obj.metadata.name}": field is immutable`,
      );
    }
    const rv = obj.metadata.resourceVersion;
    if (rv && rv !== current.metadata.resourceVersion)
      throw conflict(def, name);
    return {
      object: this.writeUpdate(def, current, obj, ctx, { subresource }),
      created: false,
    };
  }

  // ---- delete ---------------------------------------------------------------------------------

  delete(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): { object: KubeObject; body: Record<string, unknown>; pending: boolean } {
    const current = this.store.mustGet(def, namespace, name);
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== current.metadata.uid) {
      throw new ApiError(
        409,
        'Conflict',
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`,
        { name, group: def.group || undefined, kind: def.resource },
      );
    }
    if (
      pre?.resourceVersion &&
      pre.resourceVersion !== current.metadata.resourceVersion
    ) {
      throw new ApiError(
        409,
        'Conflict',
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
        { name, group: def.group || undefined, kind: def.resource },
      );
    }
    const policy = options.propagationPolicy ?? 'Background';
    const details = {
      name,
      group: def.group || undefined,
      kind: def.resource,
      uid: current.metadata.uid,
    };
    if (options.dryRun)
      return { object: current, body: current, pending: false };

    const finalizers: string[] = Array.isArray(current.metadata.finalizers)
      ? [...current.metadata.finalizers]
      : [];
    if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion'))
      finalizers.push('foregroundDeletion');
    if (
      policy === 'Orphan' &&
      !finalizers.includes('orphan') &&
      this.hasDependents(current)
    )
      finalizers.push('orphan');

    const grace =
      def.kind === 'Pod' &&
      current.spec?.nodeName &&
      !current.metadata.deletionTimestamp
        ? options.gracePeriodSeconds ??
          current.spec?.terminationGracePeriodSeconds ??
          30
        : 0;
    if (def.kind === 'Namespace' || finalizers.length || grace > 0) {
      if (current.metadata.deletionTimestamp && def.kind !== 'Pod') {
        return { object: current, body: current, pending: true };
      }
      const next = deepClone(current);
      next.metadata.deletionTimestamp =
        current.metadata.deletionTimestamp ??
        nowTimestamp(new Date(Date.now() + grace * 1000));
      next.metadata.deletionGracePeriodSeconds = grace;
      if (finalizers.length) next.metadata.finalizers = finalizers;
      if (def.kind === 'Namespace')
        next.status = { ...(next.status ?? {}), phase: 'Terminating' };
      if (grace === 0 && def.kind === 'Pod' && !finalizers.length) {
        const gone = this.store.delete(def, namespace, name);
        this.afterDelete(def, gone, policy);
        return { object: gone, body: gone, pending: false };
      }
      const written = this.store.update(def, next);
      // Foreground and orphan deletions finish once the dependents are handled.
      if (policy === 'Foreground' || policy === 'Orphan')
        this.afterDelete(def, written, policy);
      return { object: written, body: written, pending: true };
    }
    const gone = this.store.delete(def, namespace, name);
    this.afterDelete(def, gone, policy);
    const returnsObject = def.kind === 'Pod' || def.kind === 'Service';
    return {
      object: gone,
      body: returnsObject ? gone : successStatus(details),
      pending: false,
    };
  }

  private hasDependents(owner: KubeObject): boolean {
    return this.dependentsOf(owner).length > 0;
  }

  private dependentsOf(
    owner: KubeObject,
  ): Array<{ def: ResourceDef; obj: KubeObject }> {
    const uid = owner.metadata.uid;
    const out: Array<{ def: ResourceDef; obj: KubeObject }> = [];
    for (const d of RESOURCES) {
      if (!d.namespaced && owner.metadata.namespace) continue;
      for (const o of this.store.list(d, owner.metadata.namespace)) {
        if (o.metadata.ownerReferences?.some((r: any) => r.uid === uid))
          out.push({ def: d, obj: o });
      }
    }
    return out;
  }

  /**
   * The garbage collector's share of a deletion: background deletes dependents (on the next
   * tick, as the real GC does asynchronously), orphan strips their owner references, foreground
   * deletes them first and then lets the owner go.
   */
  private afterDelete(def: ResourceDef, owner: KubeObject, policy: string) {
    const run = () => {
      const dependents = this.dependentsOf(owner);
      if (policy === 'Orphan') {
        for (const { def: d, obj } of dependents) {
          const next = deepClone(obj);
          next.metadata.ownerReferences = obj.metadata.ownerReferences.filter(
            (r: any) => r.uid !== owner.metadata.uid,
          );
          if (!next.metadata.ownerReferences.length)
            delete next.metadata.ownerReferences;
          this.safe(() => this.store.update(d, next));
        }
      } else {
        for (const { def: d, obj } of dependents) {
          const stillOwned = (obj.metadata.ownerReferences ?? []).some(
            (r: any) =>
              r.uid !== owner.metadata.uid && this.ownerExists(obj, r),
          );
          if (stillOwned) continue;
          this.safe(() =>
            this.delete(d, obj.metadata.namespace, obj.metadata.name!, {
              propagationPolicy:
                policy === 'Foreground' ? 'Foreground' : 'Background',
              gracePeriodSeconds: 0,
            }),
          );
        }
      }
      if (policy === 'Foreground' || policy === 'Orphan') {
        const live = this.store.get(
          def,
          owner.metadata.namespace,
          owner.metadata.name!,
        );
        if (live && live.metadata.uid === owner.metadata.uid) {
          const rest = (live.metadata.finalizers ?? []).filter(
            (f: string) => f !== 'foregroundDeletion' && f !== 'orphan',
          );
          const next = deepClone(live);
          next.metadata.finalizers = rest;
          if (!rest.length) delete next.metadata.finalizers;
          this.safe(() =>
            this.writeUpdate(
              def,
              live,
              next,
              { manager: 'kube-controller-manager' },
              {},
            ),
          );
        }
      }
    };
    setImmediate(run);
  }

  private ownerExists(
    obj: KubeObject,
    ref: { apiVersion?: string; kind?: string; name?: string; uid?: string },
  ) {
    const d = RESOURCES.find(
      r => r.kind === ref.kind && apiVersionOf(r) === ref.apiVersion,
    );
    if (!d) return false;
    const o = this.store.get(d, obj.metadata.namespace, ref.name ?? '');
    return !!o && o.metadata.uid === ref.uid;
  }

  private safe(fn: () => unknown) {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      // Races with other deleters (NotFound, Conflict) are expected and harmless here.
    }
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
    return this.toScale(this.store.mustGet(def, namespace, name));
  }

  private toScale(obj: KubeObject): KubeObject {
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

  updateScale(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    scale: unknown,
    ctx: WriteContext,
  ): KubeObject {
    if (!isObject(scale) || !isObject(scale.spec))
      throw badRequest('the body of the request was not a Scale');
    const current = this.store.mustGet(def, namespace, name);
    const rv = scale.metadata?.resourceVersion;
    if (rv && rv !== current.metadata.resourceVersion)
      throw conflict(def, name);
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
    const written = this.writeUpdate(def, current, next, ctx, {
      subresource: 'scale',
    });
    return this.toScale(written);
  }

  patchScale(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    contentType: string,
    rawBody: string,
    ctx: WriteContext,
  ): KubeObject {
    const scale = this.getScale(def, namespace, name);
    const type = contentType.split(';')[0].trim().toLowerCase();
    let body: unknown;
    try {
      body =
        type === PATCH_TYPES.apply ? yaml.load(rawBody) : JSON.parse(rawBody);
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
    return this.updateScale(def, namespace, name, patched, ctx);
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
