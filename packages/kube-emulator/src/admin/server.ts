/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import type { Role } from '../auth/roles';
import { Faults, FaultsInput, NO_FAULTS } from '../options';
import { checkAdminRequest, HttpError } from './guard';

/** What the admin endpoint needs to know about, and do to, one cluster. */
export interface AdminTarget {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly running: boolean;
  /** The server's gitVersion. */
  readonly version: string;
  readonly nodes: number;
  /** Light clusters (worker fleets) serve only health, version, discovery and nodes. */
  readonly mode: 'full' | 'light';
  readonly tokens: Partial<Record<Role, string>>;
  readonly caData: string;
  readonly faults: { get(): Faults };
  setFaults(faults: FaultsInput): Promise<void>;
  clearFaults(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/json',
  extra: Record<string, string> = {},
) {
  const text =
    contentType === 'application/json' ? JSON.stringify(body) : String(body);
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...extra,
  });
  res.end(text);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 64 * 1024) {
        reject(
          new HttpError(
            413,
            'PayloadTooLargeError',
            'request body too large: the limit is 65536 bytes',
          ),
        );
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (!text) return resolve({});
      try {
        return resolve(JSON.parse(text));
      } catch (e) {
        return reject(
          new HttpError(
            400,
            'InputError',
            `request body is not valid JSON: ${(e as Error).message}`,
          ),
        );
      }
    });
    req.on('error', reject);
  });
}

async function readFaults(req: IncomingMessage): Promise<FaultsInput> {
  const body = await readJson(req);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new HttpError(400, 'InputError', 'faults must be a JSON object');
  return body as FaultsInput;
}

/** The description of a cluster the admin endpoint returns (to callers holding the admin token). */
export function describeCluster(c: AdminTarget) {
  return {
    name: c.name,
    url: c.url,
    port: c.port,
    running: c.running,
    mode: c.mode,
    version: c.version,
    nodes: c.nodes,
    faults: c.faults.get(),
    caData: c.caData,
    tokens: c.tokens,
    // The names earlier versions used.
    adminToken: c.tokens.admin,
    readOnlyToken: c.tokens.view,
  };
}

function notAllowed(method: string, where: string): HttpError {
  return new HttpError(
    405,
    'MethodNotAllowedError',
    `${method} is not allowed on ${where}`,
  );
}

/**
 * The fleet's admin endpoint (plain HTTP on 127.0.0.1): inspect clusters, get/put/patch/delete
 * their faults, stop and start them, and fetch the fleet kubeconfig. Every request needs the
 * admin token; cross-site requests are refused (see guard.ts).
 */
export function createAdminServer(options: {
  clusters: () => AdminTarget[];
  kubeconfigYaml: () => string;
  token: string;
}): Server {
  const { clusters, kubeconfigYaml, token } = options;
  const find = (name: string) => {
    const c = clusters().find(x => x.name === name);
    if (!c)
      throw new HttpError(404, 'NotFoundError', `no cluster named ${name}`);
    return c;
  };
  const asInput = (e: unknown) =>
    e instanceof Error && e.message.startsWith('Invalid faults')
      ? new HttpError(400, 'InputError', e.message)
      : e;
  const setAll = async (f: (c: AdminTarget) => Promise<void>) => {
    try {
      await Promise.all(clusters().map(f));
    } catch (e) {
      throw asInput(e);
    }
    return {
      items: clusters().map(c => ({ name: c.name, faults: c.faults.get() })),
    };
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://admin');
    const parts = url.pathname
      .split('/')
      .filter(Boolean)
      .map(decodeURIComponent);
    const method = req.method ?? 'GET';
    if (parts[0] === 'healthz' && parts.length === 1)
      return send(res, 200, 'ok', 'text/plain');
    if (parts[0] === 'kubeconfig' && parts.length === 1) {
      if (method !== 'GET') throw notAllowed(method, '/kubeconfig');
      return send(res, 200, kubeconfigYaml(), 'application/yaml');
    }
    if (parts[0] === 'faults' && parts.length === 1) {
      if (method === 'PUT' || method === 'PATCH') {
        const body = await readFaults(req);
        return send(
          res,
          200,
          await setAll(c =>
            c.setFaults(method === 'PUT' ? { ...NO_FAULTS, ...body } : body),
          ),
        );
      }
      if (method === 'DELETE')
        return send(res, 200, await setAll(c => c.clearFaults()));
      throw notAllowed(method, '/faults');
    }
    if (parts[0] !== 'clusters')
      throw new HttpError(404, 'NotFoundError', `no route for ${url.pathname}`);
    if (parts.length === 1) {
      if (method !== 'GET') throw notAllowed(method, '/clusters');
      return send(res, 200, { items: clusters().map(describeCluster) });
    }
    const cluster = find(parts[1]);
    if (parts.length === 2) {
      if (method !== 'GET') throw notAllowed(method, url.pathname);
      return send(res, 200, describeCluster(cluster));
    }
    if (parts.length === 3 && parts[2] === 'faults') {
      switch (method) {
        case 'GET':
          return send(res, 200, cluster.faults.get());
        case 'PUT':
        case 'PATCH': {
          const body = await readFaults(req);
          try {
            await cluster.setFaults(
              method === 'PUT' ? { ...NO_FAULTS, ...body } : body,
            );
          } catch (e) {
            throw asInput(e);
          }
          return send(res, 200, cluster.faults.get());
        }
        case 'DELETE':
          await cluster.clearFaults();
          return send(res, 200, cluster.faults.get());
        default:
          throw notAllowed(method, url.pathname);
      }
    }
    if (parts.length === 3 && (parts[2] === 'stop' || parts[2] === 'start')) {
      if (method !== 'POST')
        throw new HttpError(
          405,
          'MethodNotAllowedError',
          `use POST to ${parts[2]} a cluster`,
        );
      if (parts[2] === 'stop') await cluster.stop();
      else await cluster.start();
      return send(res, 200, describeCluster(cluster));
    }
    throw new HttpError(404, 'NotFoundError', `no route for ${url.pathname}`);
  };

  const server = createServer((req, res) => {
    Promise.resolve()
      .then(() => {
        const address = server.address();
        const port = address && typeof address === 'object' ? address.port : 0;
        checkAdminRequest(req, { token, port });
        return route(req, res);
      })
      .catch(e => {
        const err =
          e instanceof HttpError
            ? e
            : new HttpError(500, 'Error', (e as Error)?.message ?? String(e));
        if (res.headersSent) {
          res.destroy();
          return;
        }
        send(
          res,
          err.status,
          {
            error: { name: err.errorName, message: err.message },
            response: { statusCode: err.status },
          },
          'application/json',
          err.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {},
        );
      });
  });
  return server;
}
