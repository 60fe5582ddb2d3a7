/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { KubeObject } from '../store/store';
import { deepClone } from '../patch/jsonPatch';
import { apiVersionOf, ResourceDef, RESOURCES } from './resources';
import { ApiError, successStatus } from './status';
import { nowTimestamp } from '../util';
import type { DeleteOptions } from './serviceTypes';
import type { ResourceService } from './service';

// Deletion as the API server and the garbage collector do it: preconditions,
// grace periods, finalizers and the propagation policies.

export function deleteObject(
  svc: ResourceService,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
  options: DeleteOptions = {},
): { object: KubeObject; body: Record<string, unknown>; pending: boolean } {
  const current = svc.store.mustGet(def, namespace, name);
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
  if (options.dryRun) return { object: current, body: current, pending: false };

  const finalizers: string[] = Array.isArray(current.metadata.finalizers)
    ? [...current.metadata.finalizers]
    : [];
  if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion'))
    finalizers.push('foregroundDeletion');
  if (
    policy === 'Orphan' &&
    !finalizers.includes('orphan') &&
    hasDependents(svc, current)
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
      const gone = svc.store.delete(def, namespace, name);
      afterDelete(svc, def, gone, policy);
      return { object: gone, body: gone, pending: false };
    }
    const written = svc.store.update(def, next);
    // Foreground and orphan deletions finish once the dependents are handled.
    if (policy === 'Foreground' || policy === 'Orphan')
      afterDelete(svc, def, written, policy);
    return { object: written, body: written, pending: true };
  }
  const gone = svc.store.delete(def, namespace, name);
  afterDelete(svc, def, gone, policy);
  const returnsObject = def.kind === 'Pod' || def.kind === 'Service';
  return {
    object: gone,
    body: returnsObject ? gone : successStatus(details),
    pending: false,
  };
}

function hasDependents(svc: ResourceService, owner: KubeObject): boolean {
  return dependentsOf(svc, owner).length > 0;
}

function dependentsOf(
  svc: ResourceService,
  owner: KubeObject,
): Array<{ def: ResourceDef; obj: KubeObject }> {
  const uid = owner.metadata.uid;
  const out: Array<{ def: ResourceDef; obj: KubeObject }> = [];
  for (const d of RESOURCES) {
    if (!d.namespaced && owner.metadata.namespace) continue;
    for (const o of svc.store.list(d, owner.metadata.namespace)) {
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
export function afterDelete(
  svc: ResourceService,
  def: ResourceDef,
  owner: KubeObject,
  policy: string,
) {
  const run = () => {
    const dependents = dependentsOf(svc, owner);
    if (policy === 'Orphan') {
      for (const { def: d, obj } of dependents) {
        const next = deepClone(obj);
        next.metadata.ownerReferences = obj.metadata.ownerReferences.filter(
          (r: any) => r.uid !== owner.metadata.uid,
        );
        if (!next.metadata.ownerReferences.length)
          delete next.metadata.ownerReferences;
        safe(() => svc.store.update(d, next));
      }
    } else {
      for (const { def: d, obj } of dependents) {
        const stillOwned = (obj.metadata.ownerReferences ?? []).some(
          (r: any) => r.uid !== owner.metadata.uid && ownerExists(svc, obj, r),
        );
        if (stillOwned) continue;
        safe(() =>
          svc.delete(d, obj.metadata.namespace, obj.metadata.name!, {
            propagationPolicy:
              policy === 'Foreground' ? 'Foreground' : 'Background',
            gracePeriodSeconds: 0,
          }),
        );
      }
    }
    if (policy === 'Foreground' || policy === 'Orphan') {
      const live = svc.store.get(
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
        safe(() =>
          svc.writeUpdate(
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

function ownerExists(
  svc: ResourceService,
  obj: KubeObject,
  ref: { apiVersion?: string; kind?: string; name?: string; uid?: string },
) {
  const d = RESOURCES.find(
    r => r.kind === ref.kind && apiVersionOf(r) === ref.apiVersion,
  );
  if (!d) return false;
  const o = svc.store.get(d, obj.metadata.namespace, ref.name ?? '');
  return !!o && o.metadata.uid === ref.uid;
}

function safe(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    // Races with other deleters (NotFound, Conflict) are expected and harmless here.
  }
}
