/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ClusterCredentials } from '@archipelago/multicluster-node';
import { createHash } from 'node:crypto';
import https from 'node:https';
import http from 'node:http';
import tls from 'node:tls';
import type { HttpOutcome, TransportError } from './classify';

/** How to reach one API server. */
export interface HttpTarget {
  /** Cache key for the connection pool (the cluster id). */
  key: string;
  url: string;
  caData?: string;
  skipTLSVerify: boolean;
}

/**
 * TLS contexts kept at once. A fleet usually shares few CAs (one per cloud
 * account or emulator worker), so 10,000 clusters need a handful; each
 * context holds a parsed CA store (tens of KB), so one per cluster would cost
 * hundreds of MB and a CA parse per cluster on the event loop.
 */
const MAX_SECURE_CONTEXTS = 256;

const TLS_CODES =
  /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|ERR_OSSL_)/;

/** Maps a Node socket/TLS error to a transport error kind with a credential-free message. */
export function classifyTransportError(
  error: unknown,
  timedOut: boolean,
  timeoutMs: number,
): TransportError {
  const e = error as NodeJS.ErrnoException & { reason?: string };
  const code = e?.code ?? '';
  if (timedOut)
    return { kind: 'timeout', message: `no answer within ${timeoutMs} ms` };
  if (code === 'ECONNREFUSED')
    return { kind: 'connection-refused', message: `ECONNREFUSED` };
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') {
    return { kind: 'timeout', message: 'connect timed out' };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return { kind: 'dns', message: `${code} (host not resolved)` };
  if (TLS_CODES.test(code)) {
    const text = String(e.reason ?? e.message ?? code)
      .replace(/\s+/g, ' ')
      .slice(0, 160);
    return { kind: 'tls', message: `${code}: ${text}` };
  }
  if (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    /socket hang up/i.test(String(e?.message))
  ) {
    return { kind: 'connection-reset', message: code || 'socket hang up' };
  }
  if (
    code === 'EHOSTUNREACH' ||
    code === 'ENETUNREACH' ||
    code === 'EHOSTDOWN'
  ) {
    return { kind: 'network', message: code };
  }
  if (e?.name === 'AbortError') return { kind: 'timeout', message: 'aborted' };
  return {
    kind: 'network',
    message: code || String(e?.message ?? 'unknown error').slice(0, 160),
  };
}

/**
 * A tiny HTTPS GET client for API servers: one keep-alive agent per cluster,
 * built with its CA and client certificate, TLS verification on unless the
 * cluster opted out. Every call has a timeout. Responses above `maxBytes` are
 * cut off (the prober pages node lists, so that only guards against abuse).
 */
export class KubeHttpClient {
  private readonly agents = new Map<
    string,
    { fingerprint: string; agent: https.Agent | http.Agent }
  >();
  /** TLS connections made, and how many resumed a cached session (no certificate exchange). */
  private readonly counters = { connections: 0, resumed: 0 };
  /** Shared TLS contexts by CA and client certificate; the oldest goes first. */
  private readonly contexts = new Map<string, tls.SecureContext>();

  constructor(
    private readonly options: {
      maxSocketsPerCluster?: number;
      maxBytes?: number;
      /**
       * Idle sockets close after this long (default 15 s). Probe rounds are a minute
       * apart: keeping thousands of idle TLS sockets costs more memory than the next
       * round's handshakes, which resume cached TLS sessions anyway.
       */
      idleSocketTimeoutMs?: number;
    } = {},
  ) {}

  private agentFor(
    target: HttpTarget,
    creds: ClusterCredentials,
  ): https.Agent | http.Agent {
    const isHttp = target.url.startsWith('http:');
    const certHash =
      creds.type === 'clientCertificate'
        ? createHash('sha256')
            .update(creds.certData)
            .update(creds.keyData)
            .digest('hex')
        : '';
    const fingerprint = createHash('sha256')
      .update(
        [
          target.url,
          target.caData ?? '',
          String(target.skipTLSVerify),
          certHash,
        ].join('\u0000'),
      )
      .digest('hex');
    const cached = this.agents.get(target.key);
    if (cached && cached.fingerprint === fingerprint) return cached.agent;
    const contextKey = createHash('sha256')
      .update([target.caData ?? '', certHash].join('\u0000'))
      .digest('hex');
    cached?.agent.destroy();
    const common = {
      keepAlive: true,
      // One by default: the probe asks readyz, then /version and the node list on the same
      // socket, so a round costs one handshake per cluster (resumed after the first round).
      // Measured at 10,000 clusters: two sockets made 20,000 handshakes in the first round,
      // and handshakes are where a round's CPU goes; the extra round trip is cheaper.
      maxSockets: this.options.maxSocketsPerCluster ?? 1,
      maxFreeSockets: 1,
      timeout: this.options.idleSocketTimeoutMs ?? 15_000,
    };
    const agent = isHttp
      ? new http.Agent(common)
      : new https.Agent({
          ...common,
          // One TLS context per CA and client certificate, shared by every cluster
          // and connection using them: passing `ca` per request would build (and
          // hold) a new OpenSSL context for every socket.
          secureContext: this.secureContextFor(contextKey, target, creds),
          rejectUnauthorized: !target.skipTLSVerify,
        });
    this.agents.set(target.key, { fingerprint, agent });
    return agent;
  }

  private secureContextFor(
    key: string,
    target: HttpTarget,
    creds: ClusterCredentials,
  ): tls.SecureContext {
    const cached = this.contexts.get(key);
    if (cached) return cached;
    const context = tls.createSecureContext({
      ca: target.caData || undefined,
      ...(creds.type === 'clientCertificate'
        ? { cert: creds.certData, key: creds.keyData }
        : {}),
    });
    if (this.contexts.size >= MAX_SECURE_CONTEXTS)
      this.contexts.delete(this.contexts.keys().next().value!);
    this.contexts.set(key, context);
    return context;
  }

  /** GET `path` on the cluster; never throws, always resolves to an outcome. */
  get(
    target: HttpTarget,
    creds: ClusterCredentials,
    path: string,
    options: { timeoutMs: number; signal?: AbortSignal; accept?: string },
  ): Promise<HttpOutcome> {
    const base = target.url.replace(/\/+$/, '');
    const url = new URL(base + path);
    const agent = this.agentFor(target, creds);
    const headers: Record<string, string> = {
      accept: options.accept ?? 'application/json, */*',
      'user-agent': 'archipelago-multicluster-prober',
    };
    if (creds.type === 'bearer')
      headers.authorization = `Bearer ${creds.token}`;
    const maxBytes = this.options.maxBytes ?? 32 * 1024 * 1024;
    const lib = url.protocol === 'http:' ? http : https;

    return new Promise<HttpOutcome>(resolve => {
      let timedOut = false;
      let settled = false;
      const req = lib.request(url, { method: 'GET', agent, headers });
      const onAbort = () => req.destroy(new Error('aborted'));
      const timer = setTimeout(() => {
        timedOut = true;
        req.destroy(new Error('timeout'));
      }, options.timeoutMs);
      const settle = (outcome: HttpOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      req.once('socket', socket => {
        if (!(socket instanceof tls.TLSSocket) || !socket.connecting) return;
        socket.once('secureConnect', () => {
          this.counters.connections += 1;
          if (socket.isSessionReused()) this.counters.resumed += 1;
        });
      });
      req.on('error', error =>
        settle({
          kind: 'error',
          error: classifyTransportError(error, timedOut, options.timeoutMs),
        }),
      );
      req.on('response', res => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy(new Error('response too large'));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          settle({
            kind: 'response',
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', error =>
          settle({
            kind: 'error',
            error: classifyTransportError(error, timedOut, options.timeoutMs),
          }),
        );
      });
      req.end();
    });
  }

  /**
   * TLS connections made so far, how many of them resumed a session, and how many
   * sockets are open now.
   */
  stats(): { connections: number; resumed: number; open: number } {
    let open = 0;
    const count = (sockets: NodeJS.ReadOnlyDict<unknown[]>) => {
      for (const list of Object.values(sockets)) open += list?.length ?? 0;
    };
    for (const { agent } of this.agents.values()) {
      count(agent.sockets);
      count(agent.freeSockets);
    }
    return { ...this.counters, open };
  }

  /**
   * Closes a cluster's connection once its probe is done, keeping its TLS session (the
   * agent's cache) for the next round to resume. Left open until the idle timeout, the
   * sockets of a 10,000-cluster round pile up by the thousand (a TLS socket holds tens of
   * KB of buffers), and the next round is a minute away.
   */
  release(key: string) {
    this.agents.get(key)?.agent.destroy();
  }

  /** Drops the pool of a cluster that left the inventory. */
  forget(key: string) {
    this.agents.get(key)?.agent.destroy();
    this.agents.delete(key);
  }

  /** Keys with a pool, so the caller can forget the ones no longer listed. */
  keys(): string[] {
    return [...this.agents.keys()];
  }

  close() {
    for (const { agent } of this.agents.values()) agent.destroy();
    this.agents.clear();
    this.contexts.clear();
  }
}
