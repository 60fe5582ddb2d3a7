/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import http from 'node:http';
import https from 'node:https';

/** How to reach one cluster's API server. Holds a credential: never log it. @public */
export interface KubeConnection {
  /** Inventory id. */
  id: string;
  /** Cluster name, for messages. */
  name: string;
  /** The API server's URL. */
  url: string;
  /** PEM CA bundle; absent means the system trust store. */
  caData?: string;
  /** Skips verifying the server's certificate (emulated and test clusters only). */
  skipTLSVerify: boolean;
  /** Bearer token; absent means anonymous (or the client certificate below). */
  token?: string;
  /** PEM client certificate and key, for clusters that authenticate by certificate. */
  clientCertificate?: { certData: string; keyData: string };
}

/** Why a request got no usable answer. @public */
export type TransportFailure =
  | 'timeout'
  | 'refused'
  | 'tls'
  | 'network'
  | 'aborted';

/**
 * A failed API call. `status` is set when the server answered; `transport`
 * when it did not. Messages carry the API server's Status message, never a
 * request header or body.
 * @public
 */
export class KubeApiError extends Error {
  /** The HTTP status, when the server answered. */
  readonly status?: number;
  /** The Status reason, e.g. `NotFound`. */
  readonly reason?: string;
  /** How the request failed, when the server did not answer. */
  readonly transport?: TransportFailure;

  constructor(
    message: string,
    details: {
      status?: number;
      reason?: string;
      transport?: TransportFailure;
    } = {},
  ) {
    super(message);
    this.name = 'KubeApiError';
    this.status = details.status;
    this.reason = details.reason;
    this.transport = details.transport;
  }

  /** The cluster could not be reached or refused our credentials: nothing was done there. */
  get unreachable(): boolean {
    return (
      (this.transport !== undefined && this.transport !== 'aborted') ||
      this.status === 401
    );
  }
}

/** Where a kind lives on one cluster, from API discovery. @public */
export interface ResourceInfo {
  /** e.g. `/apis/apps/v1` or `/api/v1`. */
  base: string;
  /** Plural resource name, e.g. `deployments`. */
  plural: string;
  /** Whether objects of the kind live in a namespace. */
  namespaced: boolean;
}

/** Options of one request. @public */
export interface KubeRequestOptions {
  /** Query parameters. */
  query?: Record<string, string>;
  /** JSON request body. */
  body?: unknown;
  /** Content type of the body (default JSON; apply patches set theirs). */
  contentType?: string;
  /** Overrides the client's request timeout. */
  timeoutMs?: number;
  /** Cancels the request. */
  signal?: AbortSignal;
}

/** Options of {@link KubeClient}. @public */
export interface KubeClientOptions {
  /** Bound of every request, from connect to the last byte (default 15 s). */
  requestTimeoutMs?: number;
  /** Sockets kept per cluster (default 4). */
  maxSockets?: number;
  /** The User-Agent header sent. */
  userAgent?: string;
}

/** Largest response read; anything above is refused rather than buffered. */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

const TRANSPORT_CODES: Record<string, TransportFailure> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'network',
  EPIPE: 'network',
  EHOSTUNREACH: 'network',
  ENETUNREACH: 'network',
  ENOTFOUND: 'network',
  EAI_AGAIN: 'network',
  ETIMEDOUT: 'timeout',
};

function transportOf(error: NodeJS.ErrnoException): TransportFailure {
  const code = error.code ?? '';
  if (TRANSPORT_CODES[code]) return TRANSPORT_CODES[code];
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(code))
    return 'tls';
  return 'network';
}

/**
 * A minimal Kubernetes REST client over node:https: one keep-alive agent per
 * cluster carrying its CA, a hard timeout on every call, JSON in and out, and
 * API discovery to find where a kind lives (CRDs included). Kept this small on
 * purpose: the deploy action and the workloads reconciler need GET,
 * server-side apply, PUT, POST and DELETE.
 * @public
 */
export class KubeClient {
  /** The cluster it talks to. */
  readonly connection: KubeConnection;
  private readonly agent: https.Agent;
  private readonly base: URL;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly discovery = new Map<
    string,
    Promise<Map<string, ResourceInfo>>
  >();

  constructor(connection: KubeConnection, options: KubeClientOptions = {}) {
    this.connection = connection;
    this.base = new URL(connection.url);
    if (this.base.protocol !== 'https:' && this.base.protocol !== 'http:') {
      throw new KubeApiError(
        `Cluster ${connection.name}: unsupported URL scheme ${this.base.protocol}`,
      );
    }
    this.timeoutMs = options.requestTimeoutMs ?? 15_000;
    this.userAgent = options.userAgent ?? 'backstage-multicluster-deploy';
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: options.maxSockets ?? 4,
      ...(connection.caData ? { ca: connection.caData } : {}),
      ...(connection.clientCertificate
        ? {
            cert: connection.clientCertificate.certData,
            key: connection.clientCertificate.keyData,
          }
        : {}),
      rejectUnauthorized: !connection.skipTLSVerify,
    });
  }

  /** Releases the sockets. */
  close(): void {
    this.agent.destroy();
  }

  /** One API call; the parsed JSON answer, or KubeApiError. */
  request<T = any>(
    method: string,
    path: string,
    options: KubeRequestOptions = {},
  ): Promise<T> {
    const url = new URL(this.base.href);
    // Keep a path prefix of the server URL (e.g. a proxy's /k8s/clusters/x).
    url.pathname = `${this.base.pathname.replace(/\/+$/, '')}${path}`;
    for (const [k, v] of Object.entries(options.query ?? {}))
      url.searchParams.set(k, v);
    const body =
      options.body === undefined
        ? undefined
        : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string | number> = {
      Accept: 'application/json',
      'User-Agent': this.userAgent,
    };
    if (this.connection.token)
      headers.Authorization = `Bearer ${this.connection.token}`;
    if (body) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = body.length;
    }
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const what = `${method} ${url.pathname}`;
    // One signal ends the request on our timeout or on the caller's abort; which one is told apart below.
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal
      ? AbortSignal.any([options.signal, timeout])
      : timeout;

    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (error?: KubeApiError, value?: T) => {
        if (settled) return;
        settled = true;
        if (error) reject(error);
        else resolve(value as T);
      };
      const fail = (error: NodeJS.ErrnoException) => {
        if (timeout.aborted) {
          finish(
            new KubeApiError(`${what}: no answer within ${timeoutMs} ms`, {
              transport: 'timeout',
            }),
          );
        } else if (options.signal?.aborted) {
          finish(
            new KubeApiError(`${what}: aborted`, { transport: 'aborted' }),
          );
        } else {
          const transport = transportOf(error);
          finish(
            new KubeApiError(
              `${what}: ${
                transport === 'refused' ? 'connection refused' : error.message
              }`,
              { transport },
            ),
          );
        }
      };
      // Plain http only ever serves a local proxy (kubectl proxy); TLS is the norm.
      const protocol = url.protocol === 'https:' ? https : http;
      const req = protocol.request(
        url,
        {
          method,
          headers,
          signal,
          ...(url.protocol === 'https:' ? { agent: this.agent } : {}),
        },
        res => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) {
              req.destroy();
              finish(
                new KubeApiError(
                  `${what}: response larger than ${MAX_RESPONSE_BYTES} bytes`,
                  { transport: 'network' },
                ),
              );
              return;
            }
            chunks.push(chunk);
          });
          res.on('error', fail);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            let parsed: any;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = undefined;
            }
            if (status >= 200 && status < 300) {
              finish(undefined, parsed as T);
              return;
            }
            const statusMessage =
              parsed && typeof parsed.message === 'string'
                ? parsed.message
                : `HTTP ${status}${
                    res.statusMessage ? ` ${res.statusMessage}` : ''
                  }`;
            finish(
              new KubeApiError(`${what}: ${statusMessage}`, {
                status,
                reason:
                  parsed && typeof parsed.reason === 'string'
                    ? parsed.reason
                    : undefined,
              }),
            );
          });
        },
      );
      req.on('error', fail);
      req.end(body);
    });
  }

  /** GET that answers undefined for 404. */
  async get<T = any>(
    path: string,
    options: KubeRequestOptions = {},
  ): Promise<T | undefined> {
    try {
      return await this.request<T>('GET', path, options);
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404)
        return undefined;
      throw error;
    }
  }

  /** Where `kind` of `apiVersion` lives, from the server's discovery (cached per group version). */
  async resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    let kinds = this.discovery.get(apiVersion);
    if (!kinds) {
      const base = apiVersion.includes('/')
        ? `/apis/${apiVersion}`
        : `/api/${apiVersion}`;
      kinds = this.request<{
        resources?: Array<{ name: string; kind: string; namespaced: boolean }>;
      }>('GET', base).then(list => {
        const map = new Map<string, ResourceInfo>();
        for (const r of list?.resources ?? []) {
          // Subresources (deployments/scale) share the kind; the main resource has no slash.
          if (!r.name.includes('/') && !map.has(r.kind)) {
            map.set(r.kind, { base, plural: r.name, namespaced: r.namespaced });
          }
        }
        return map;
      });
      this.discovery.set(apiVersion, kinds);
      // A failed discovery (timeout) must not stick for the rest of the run.
      kinds.catch(() => this.discovery.delete(apiVersion));
    }
    let info: ResourceInfo | undefined;
    try {
      info = (await kinds).get(kind);
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) {
        throw new KubeApiError(`the cluster does not serve ${apiVersion}`, {
          status: 404,
        });
      }
      throw error;
    }
    if (!info)
      throw new KubeApiError(
        `the cluster has no kind ${kind} in ${apiVersion}`,
        { status: 404 },
      );
    return info;
  }

  /** The REST path of one object (or of its collection when `name` is omitted). */
  async path(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name?: string,
  ): Promise<{ path: string; namespaced: boolean }> {
    const info = await this.resource(apiVersion, kind);
    const ns = info.namespaced
      ? `/namespaces/${encodeURIComponent(namespace ?? 'default')}`
      : '';
    const tail = name === undefined ? '' : `/${encodeURIComponent(name)}`;
    return {
      path: `${info.base}${ns}/${info.plural}${tail}`,
      namespaced: info.namespaced,
    };
  }
}
