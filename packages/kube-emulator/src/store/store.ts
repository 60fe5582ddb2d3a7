/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { randomUUID } from 'node:crypto';
import { ResourceDef, gvrKey, RESOURCES, findResource } from '../api/resources';
import { alreadyExists, conflict, notFound } from '../api/status';

/**
 * A Kubernetes object as JSON. Stored objects are never mutated in place: writes replace them.
 * @public
 */
export type KubeObject = Record<string, any> & {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
};

/** An object's metadata (ObjectMeta) as JSON. @public */
export type ObjectMeta = Record<string, any> & {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
};

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as watches replay it. */
export interface StoreEvent {
  type: WatchEventType;
  def: ResourceDef;
  object: KubeObject;
  rv: number;
}

export type StoreListener = (event: StoreEvent) => void;

/** Snapshot of a store, as the persistence file holds it. */
export interface StoreSnapshot {
  resourceVersion: number;
  objects: Record<string, KubeObject[]>;
}

function keyOf(namespace: string | undefined, name: string) {
  return namespace ? `${namespace}/${name}` : name;
}

/**
 * The emulated etcd: objects per group/version/resource with one cluster-wide revision counter,
 * a bounded history of changes for watches that resume from a resourceVersion, and listeners.
 */
export class ObjectStore {
  private readonly buckets = new Map<string, Map<string, KubeObject>>();
  private readonly listeners = new Set<StoreListener>();
  private readonly history: StoreEvent[] = [];
  private historyStart = 0;
  private revision: number;

  constructor(private readonly historyLimit = 2000, initialRevision = 1) {
    this.revision = initialRevision;
  }

  get resourceVersion(): number {
    return this.revision;
  }

  /** The oldest revision a watch can resume from without a 410 Expired. */
  get oldestResumableRevision(): number {
    return this.history.length
      ? this.history[this.historyStart]?.rv - 1
      : this.revision;
  }

  private bucket(def: ResourceDef): Map<string, KubeObject> {
    const key = gvrKey(def);
    let b = this.buckets.get(key);
    if (!b) {
      b = new Map();
      this.buckets.set(key, b);
    }
    return b;
  }

  get(def: ResourceDef, namespace: string | undefined, name: string) {
    return this.bucket(def).get(
      keyOf(def.namespaced ? namespace : undefined, name),
    );
  }

  mustGet(def: ResourceDef, namespace: string | undefined, name: string) {
    const obj = this.get(def, namespace, name);
    if (!obj) throw notFound(def, name);
    return obj;
  }

  /** Objects of a type, optionally in one namespace, in etcd key order. */
  list(def: ResourceDef, namespace?: string): KubeObject[] {
    const b = this.bucket(def);
    const out: KubeObject[] = [];
    const prefix = namespace ? `${namespace}/` : undefined;
    for (const [k, v] of b) {
      if (!prefix || (def.namespaced && k.startsWith(prefix))) out.push(v);
    }
    out.sort((a, c) => {
      const ka = keyOf(a.metadata.namespace, a.metadata.name!);
      const kc = keyOf(c.metadata.namespace, c.metadata.name!);
      if (ka === kc) return 0;
      return ka < kc ? -1 : 1;
    });
    return out;
  }

  count(def: ResourceDef): number {
    return this.bucket(def).size;
  }

  /** Inserts a new object: assigns uid, creationTimestamp and resourceVersion. */
  create(def: ResourceDef, obj: KubeObject): KubeObject {
    const b = this.bucket(def);
    const name = obj.metadata.name!;
    const key = keyOf(
      def.namespaced ? obj.metadata.namespace : undefined,
      name,
    );
    if (b.has(key)) throw alreadyExists(def, name);
    const rv = ++this.revision;
    const stored: KubeObject = {
      ...obj,
      metadata: {
        ...obj.metadata,
        uid: obj.metadata.uid ?? randomUUID(),
        creationTimestamp:
          obj.metadata.creationTimestamp ??
          new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        resourceVersion: String(rv),
      },
    };
    b.set(key, stored);
    this.emit({ type: 'ADDED', def, object: stored, rv });
    return stored;
  }

  /**
   * Replaces an object. When `expectedResourceVersion` is given and differs from the stored one,
   * answers 409 Conflict, as the API server's optimistic concurrency does.
   */
  update(
    def: ResourceDef,
    obj: KubeObject,
    expectedResourceVersion?: string,
  ): KubeObject {
    const b = this.bucket(def);
    const name = obj.metadata.name!;
    const key = keyOf(
      def.namespaced ? obj.metadata.namespace : undefined,
      name,
    );
    const current = b.get(key);
    if (!current) throw notFound(def, name);
    if (
      expectedResourceVersion !== undefined &&
      expectedResourceVersion !== '' &&
      expectedResourceVersion !== current.metadata.resourceVersion
    ) {
      throw conflict(def, name);
    }
    const rv = ++this.revision;
    const stored: KubeObject = {
      ...obj,
      metadata: {
        ...obj.metadata,
        uid: current.metadata.uid,
        creationTimestamp: current.metadata.creationTimestamp,
        resourceVersion: String(rv),
      },
    };
    b.set(key, stored);
    this.emit({ type: 'MODIFIED', def, object: stored, rv });
    return stored;
  }

  /** Removes an object; the DELETED event carries the revision of the deletion. */
  delete(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
  ): KubeObject {
    const b = this.bucket(def);
    const key = keyOf(def.namespaced ? namespace : undefined, name);
    const current = b.get(key);
    if (!current) throw notFound(def, name);
    b.delete(key);
    const rv = ++this.revision;
    const gone: KubeObject = {
      ...current,
      metadata: { ...current.metadata, resourceVersion: String(rv) },
    };
    this.emit({ type: 'DELETED', def, object: gone, rv });
    return gone;
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Changes after `rv`, for a watch resuming there; undefined when the history no longer reaches
   * back that far (the caller answers 410 Expired, like a compacted etcd).
   */
  eventsSince(rv: number): StoreEvent[] | undefined {
    if (rv >= this.revision) return [];
    if (rv < this.oldestResumableRevision) return undefined;
    const out: StoreEvent[] = [];
    for (let i = this.historyStart; i < this.history.length; i++) {
      const e = this.history[i];
      if (e.rv > rv) out.push(e);
    }
    return out;
  }

  private emit(event: StoreEvent) {
    this.history.push(event);
    if (this.history.length - this.historyStart > this.historyLimit) {
      this.historyStart++;
      // Compact the array now and then rather than shifting on every write.
      if (this.historyStart > this.historyLimit) {
        this.history.splice(0, this.historyStart);
        this.historyStart = 0;
      }
    }
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // A failing listener must not break the write that triggered it.
      }
    }
  }

  snapshot(): StoreSnapshot {
    const objects: Record<string, KubeObject[]> = {};
    for (const [key, b] of this.buckets) {
      if (b.size) objects[key] = [...b.values()];
    }
    return { resourceVersion: this.revision, objects };
  }

  /** Loads a snapshot into an empty store (no events: nothing watches yet). */
  restore(snapshot: StoreSnapshot) {
    this.revision = Math.max(this.revision, snapshot.resourceVersion);
    for (const [key, objects] of Object.entries(snapshot.objects)) {
      const [group, version, resource] = key.split('/');
      const def = findResource(group, version, resource);
      if (!def) continue;
      const b = this.bucket(def);
      for (const o of objects) {
        b.set(
          keyOf(
            def.namespaced ? o.metadata.namespace : undefined,
            o.metadata.name!,
          ),
          o,
        );
      }
    }
  }

  /** All served types, for whole-store walks (namespace deletion, garbage collection). */
  static get types(): readonly ResourceDef[] {
    return RESOURCES;
  }
}
