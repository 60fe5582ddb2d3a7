/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { randomBytes } from 'node:crypto';
import { KubeObject, ObjectStore } from '../store/store';
import { ResourceService } from '../api/service';
import { apiVersionOf, resolveResource, ResourceDef } from '../api/resources';
import { ApiError } from '../api/status';
import { nowTimestamp } from '../util';
import { Faults, ResolvedClusterOptions } from '../options';

export const DEFS = {
  namespaces: resolveResource('v1/namespaces'),
  nodes: resolveResource('v1/nodes'),
  pods: resolveResource('v1/pods'),
  services: resolveResource('v1/services'),
  configmaps: resolveResource('v1/configmaps'),
  serviceaccounts: resolveResource('v1/serviceaccounts'),
  events: resolveResource('v1/events'),
  deployments: resolveResource('apps/v1/deployments'),
  replicasets: resolveResource('apps/v1/replicasets'),
  statefulsets: resolveResource('apps/v1/statefulsets'),
  daemonsets: resolveResource('apps/v1/daemonsets'),
  jobs: resolveResource('batch/v1/jobs'),
};

/** What every simulated controller works with. */
export interface ControllerContext {
  store: ObjectStore;
  service: ResourceService;
  options: ResolvedClusterOptions;
  faults(): Faults;
  /** Schedules a reconcile of one object ("Kind/namespace/name"). */
  enqueue(kind: string, namespace: string | undefined, name: string): void;
  /** Runs `fn` after `ms`; the timer dies with the cluster. */
  later(ms: number, fn: () => void): void;
  record(
    obj: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
    host?: string,
  ): void;
  caPem: string;
}

/** Runs a write, ignoring the races controllers lose (the object went away or changed). */
export function tolerate<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ApiError && (e.code === 404 || e.code === 409))
      return undefined;
    throw e;
  }
}

export function ownerRef(def: ResourceDef, owner: KubeObject) {
  return {
    apiVersion: apiVersionOf(def),
    kind: def.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function controllerOf(
  obj: KubeObject,
): { kind: string; name: string; uid: string } | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r: any) => r.controller);
}

export function ownedBy(obj: KubeObject, owner: KubeObject): boolean {
  return controllerOf(obj)?.uid === owner.metadata.uid;
}

export function isPodReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some(
    (c: any) => c.type === 'Ready' && c.status === 'True',
  );
}

export function isPodActive(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return (
    !pod.metadata.deletionTimestamp &&
    phase !== 'Succeeded' &&
    phase !== 'Failed'
  );
}

/** Whether a ready pod has been ready for minReadySeconds (and when it will be, if not yet). */
export function availableAt(
  pod: KubeObject,
  minReadySeconds: number,
): number | undefined {
  const ready = (pod.status?.conditions ?? []).find(
    (c: any) => c.type === 'Ready' && c.status === 'True',
  );
  if (!ready) return undefined;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  return (Number.isFinite(since) ? since : 0) + minReadySeconds * 1000;
}

/**
 * Keeps a condition list as the controllers do: a condition whose status, reason and message
 * are unchanged keeps its lastTransitionTime (and lastUpdateTime unless `touch`).
 */
export function setCondition(
  conditions: any[] | undefined,
  next: { type: string; status: string; reason?: string; message?: string },
  opts: { updateTime?: boolean; probeTime?: boolean } = {},
): any[] {
  const list = [...(conditions ?? [])];
  const idx = list.findIndex(c => c.type === next.type);
  const now = nowTimestamp();
  const prev = idx >= 0 ? list[idx] : undefined;
  const same =
    prev &&
    prev.status === next.status &&
    prev.reason === next.reason &&
    prev.message === next.message;
  if (same) return list;
  const cond: any = { type: next.type, status: next.status };
  if (opts.probeTime) cond.lastProbeTime = null;
  if (opts.updateTime) cond.lastUpdateTime = now;
  cond.lastTransitionTime =
    prev && prev.status === next.status ? prev.lastTransitionTime : now;
  if (next.reason) cond.reason = next.reason;
  if (next.message) cond.message = next.message;
  if (idx >= 0) list[idx] = cond;
  else list.push(cond);
  return list;
}

/**
 * An event recorder like client-go's: repeated events for the same object, reason and message
 * are aggregated into one Event whose count grows; the oldest events go beyond `maxEvents`.
 */
export class EventRecorder {
  private readonly keys = new Map<
    string,
    { namespace: string; name: string }
  >();

  constructor(
    private readonly service: ResourceService,
    private readonly maxEvents: number,
  ) {}

  record(
    obj: KubeObject,
    def: ResourceDef,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
    host?: string,
  ) {
    const namespace = obj.metadata.namespace ?? 'default';
    const key = `${obj.metadata.uid}|${reason}|${message}`;
    const now = nowTimestamp();
    const store = this.service.store;
    const existing = this.keys.get(key);
    if (existing) {
      const current = store.get(DEFS.events, existing.namespace, existing.name);
      if (current) {
        tolerate(() =>
          this.service.controllerWrite(
            DEFS.events,
            current,
            {
              ...current,
              count: (current.count ?? 1) + 1,
              lastTimestamp: now,
            },
            component,
          ),
        );
        return;
      }
    }
    const name = `${obj.metadata.name}.${randomBytes(8).toString('hex')}`;
    const event: KubeObject = {
      metadata: { name, namespace },
      involvedObject: {
        kind: def.kind,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
        uid: obj.metadata.uid,
        apiVersion: apiVersionOf(def),
        resourceVersion: obj.metadata.resourceVersion,
      },
      reason,
      message,
      source: host ? { component, host } : { component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component === 'kubelet' ? 'kubelet' : component,
      reportingInstance: host ?? '',
    };
    if (!obj.metadata.namespace) delete event.involvedObject.namespace;
    const created = tolerate(() =>
      this.service.controllerCreate(DEFS.events, event, component),
    );
    if (!created) return;
    this.keys.set(key, { namespace, name });
    if (this.keys.size > this.maxEvents) {
      const [oldestKey, oldest] = this.keys.entries().next().value as [
        string,
        { namespace: string; name: string },
      ];
      this.keys.delete(oldestKey);
      tolerate(() =>
        this.service.delete(DEFS.events, oldest.namespace, oldest.name, {}),
      );
    }
  }
}
