/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { IncomingMessage, ServerResponse } from 'node:http';
import {
  KubeObject,
  ObjectStore,
  StoreEvent,
  WatchEventType,
} from '../store/store';
import {
  FieldRequirement,
  LabelSelector,
  matchesFields,
  matchesLabels,
} from '../store/selectors';
import { apiVersionOf, gvrKey, ResourceDef } from './resources';
import { expired } from './status';
import { IncludeObject, toTable } from './tables';

export interface WatchOptions {
  def: ResourceDef;
  namespace?: string;
  labelSelector: LabelSelector;
  fieldSelector: FieldRequirement[];
  resourceVersion?: string;
  timeoutSeconds?: number;
  allowBookmarks: boolean;
  sendInitialEvents: boolean;
  bookmarkIntervalMs: number;
  table?: { include: IncludeObject };
}

// A consumer that lets this much pile up unread is cut off, as the real server drops slow watchers.
const MAX_BUFFERED = 16 * 1024 * 1024;

function keyOf(o: KubeObject) {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/**
 * Serves a watch as the API server does: a chunked stream of JSON events, starting with
 * synthetic ADDED events (no resourceVersion, "0", or sendInitialEvents) or a replay of the
 * changes after the given resourceVersion (410 Expired in an ERROR event when too old), then
 * live changes; BOOKMARKs when allowed; closed after timeoutSeconds.
 */
export function serveWatch(
  store: ObjectStore,
  req: IncomingMessage,
  res: ServerResponse,
  opts: WatchOptions,
  onClose: (close: () => void) => () => void,
) {
  const { def } = opts;
  const typeKey = gvrKey(def);
  const selective =
    opts.labelSelector.length > 0 || opts.fieldSelector.length > 0;
  const visible = new Set<string>();
  let first = true;

  const matches = (o: KubeObject) =>
    (!def.namespaced ||
      !opts.namespace ||
      o.metadata.namespace === opts.namespace) &&
    (!opts.labelSelector.length ||
      matchesLabels(opts.labelSelector, o.metadata.labels)) &&
    (!opts.fieldSelector.length || matchesFields(opts.fieldSelector, o));
  const inScope = (o: KubeObject) =>
    !def.namespaced ||
    !opts.namespace ||
    o.metadata.namespace === opts.namespace;

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  const write = (type: string, object: unknown) => {
    if (res.writableEnded || res.destroyed) return;
    let payload = object;
    if (
      opts.table &&
      (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')
    ) {
      payload = toTable(def, [object as KubeObject], {
        include: opts.table.include,
        resourceVersion: (object as KubeObject).metadata.resourceVersion,
        noHeaders: !first,
      });
      first = false;
    }
    res.write(`${JSON.stringify({ type, object: payload })}\n`);
    if (res.writableLength > MAX_BUFFERED) res.destroy();
  };

  const deliver = (type: WatchEventType, obj: KubeObject) => {
    if (!inScope(obj)) return;
    if (!selective) {
      write(type, obj);
      return;
    }
    const key = keyOf(obj);
    const was = visible.has(key);
    if (type === 'DELETED') {
      if (was) {
        visible.delete(key);
        write('DELETED', obj);
      }
      return;
    }
    const now = matches(obj);
    if (now && !was) {
      visible.add(key);
      write('ADDED', obj);
    } else if (now && was) {
      write('MODIFIED', obj);
    } else if (!now && was) {
      // An object leaving the selection looks deleted to this watcher.
      visible.delete(key);
      write('DELETED', obj);
    }
  };

  const bookmark = (annotations?: Record<string, string>) => {
    const metadata: Record<string, unknown> = {
      resourceVersion: String(store.resourceVersion),
    };
    if (annotations) metadata.annotations = annotations;
    write('BOOKMARK', {
      kind: def.kind,
      apiVersion: apiVersionOf(def),
      metadata,
    });
  };

  const rv = opts.resourceVersion;
  const initial = opts.sendInitialEvents || !rv || rv === '0';
  if (initial) {
    for (const o of store.list(
      def,
      def.namespaced ? opts.namespace : undefined,
    )) {
      if (!matches(o)) continue;
      if (selective) visible.add(keyOf(o));
      write('ADDED', o);
    }
    if (opts.sendInitialEvents && opts.allowBookmarks) {
      bookmark({ 'k8s.io/initial-events-end': 'true' });
    }
  } else {
    const since = Number(rv);
    const events = Number.isFinite(since)
      ? store.eventsSince(since)
      : undefined;
    if (!events) {
      const status = expired(
        `too old resource version: ${rv} (${store.oldestResumableRevision})`,
      ).toStatus();
      write('ERROR', status);
      res.end();
      return;
    }
    if (selective) {
      // The selection as it stood at rv is approximated by what matches now minus what the
      // replay is about to add.
      for (const o of store.list(
        def,
        def.namespaced ? opts.namespace : undefined,
      )) {
        if (matches(o)) visible.add(keyOf(o));
      }
      for (const e of events)
        if (e.type === 'ADDED') visible.delete(keyOf(e.object));
    }
    for (const e of events)
      if (gvrKey(e.def) === typeKey) deliver(e.type, e.object);
  }

  const unsubscribe = store.subscribe((e: StoreEvent) => {
    if (gvrKey(e.def) === typeKey) deliver(e.type, e.object);
  });
  const timers: NodeJS.Timeout[] = [];
  let done = false;
  let untrack: () => void = () => undefined;
  const finish = () => {
    if (done) return;
    done = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    untrack();
    if (!res.writableEnded && !res.destroyed) res.end();
  };
  untrack = onClose(() => {
    finish();
    res.destroy();
  });
  req.on('close', finish);
  res.on('close', finish);

  if (opts.allowBookmarks) {
    const t = setInterval(() => bookmark(), opts.bookmarkIntervalMs);
    t.unref();
    timers.push(t);
  }
  // The API server closes watches after timeoutSeconds, or a randomised 30-60 minutes.
  const timeoutMs =
    opts.timeoutSeconds !== undefined
      ? opts.timeoutSeconds * 1000
      : (1800 + Math.floor(Math.random() * 1800)) * 1000;
  const end = setTimeout(finish, Math.min(timeoutMs, 2 ** 31 - 1));
  end.unref();
  timers.push(end);
}
