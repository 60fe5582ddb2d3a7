/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ClusterCredentials } from '@archipelago/multicluster-node';
import https from 'node:https';

/** Where and as whom to write. */
export interface KubeTarget {
  url: string;
  caData?: string;
  skipTLSVerify?: boolean;
  credentials: ClusterCredentials;
  timeoutMs: number;
}

/** A failed Kubernetes API call, with the API server's status and message. */
export class KubeApiError extends Error {
  name = 'KubeApiError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

/** One JSON request to the API server; bounded in time and size. */
function call(
  target: KubeTarget,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const url = new URL(target.url.replace(/\/+$/, '') + path);
  const creds = target.credentials;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: target.caData || undefined,
        rejectUnauthorized: !target.skipTLSVerify,
        ...(creds.type === 'clientCertificate'
          ? { cert: creds.certData, key: creds.keyData }
          : {}),
        headers: {
          accept: 'application/json',
          'user-agent': 'archipelago-multicluster-environments',
          ...(creds.type === 'bearer'
            ? { authorization: `Bearer ${creds.token}` }
            : {}),
          ...(payload
            ? {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(payload),
              }
            : {}),
        },
        timeout: target.timeoutMs,
      },
      res => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', chunk => {
          text += chunk;
          if (text.length > 1024 * 1024)
            req.destroy(new Error('answer too large'));
        });
        res.on('end', () => {
          let parsed: any;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no answer within ${target.timeoutMs} ms`)),
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

const failed = (what: string, r: { status: number; body: any }) =>
  new KubeApiError(
    r.status,
    `${what}: ${r.status} ${String(r.body?.reason ?? '')} ${String(
      r.body?.message ?? '',
    )}`.trim(),
  );

const pathOf = (
  o: { apiVersion: string; kind: string },
  ns?: string,
  name?: string,
) => {
  const plural = `${o.kind.toLowerCase()}s`;
  const base = o.apiVersion.includes('/')
    ? `/apis/${o.apiVersion}`
    : `/api/${o.apiVersion}`;
  return `${base}${ns ? `/namespaces/${ns}` : ''}/${plural}${
    name ? `/${name}` : ''
  }`;
};

/** Creates the object, or replaces the one of that name (kept resourceVersion). */
export async function upsert(
  target: KubeTarget,
  object: KubeObject,
): Promise<void> {
  const { name, namespace } = object.metadata;
  const what = `${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
  const current = await call(target, 'GET', pathOf(object, namespace, name));
  if (current.status === 404) {
    const created = await call(
      target,
      'POST',
      pathOf(object, namespace),
      object,
    );
    if (created.status === 409) {
      await upsert(target, object);
      return;
    }
    if (created.status >= 300) throw failed(`create ${what}`, created);
    return;
  }
  if (current.status >= 300) throw failed(`read ${what}`, current);
  const replaced = await call(target, 'PUT', pathOf(object, namespace, name), {
    ...object,
    metadata: {
      ...object.metadata,
      resourceVersion: current.body?.metadata?.resourceVersion,
    },
  });
  if (replaced.status >= 300) throw failed(`replace ${what}`, replaced);
}

/** Creates the namespace unless it exists. */
export async function ensureNamespace(
  target: KubeTarget,
  name: string,
): Promise<void> {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
  const current = await call(target, 'GET', pathOf(ns, undefined, name));
  if (current.status === 200) return;
  if (current.status !== 404) throw failed(`read Namespace ${name}`, current);
  const created = await call(target, 'POST', pathOf(ns), ns);
  if (created.status >= 300 && created.status !== 409)
    throw failed(`create Namespace ${name}`, created);
}

/** Deletes the object; one that is gone already is fine. */
export async function remove(
  target: KubeTarget,
  object: {
    apiVersion: string;
    kind: string;
    name: string;
    namespace?: string;
  },
): Promise<void> {
  const r = await call(
    target,
    'DELETE',
    pathOf(object, object.namespace, object.name),
  );
  if (r.status >= 300 && r.status !== 404)
    throw failed(`delete ${object.kind} ${object.namespace}/${object.name}`, r);
}
