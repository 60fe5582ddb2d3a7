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
import { EmulatedCluster } from './cluster';
import { NO_FAULTS } from './options';

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/json',
) {
  const text =
    contentType === 'application/json' ? JSON.stringify(body) : String(body);
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 1024 * 1024) {
        reject(new HttpError(413, 'InputError', 'request body too large'));
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
            `request body is not JSON: ${(e as Error).message}`,
          ),
        );
      }
    });
    req.on('error', reject);
  });
}

/** The description of a cluster the admin endpoint returns. */
export function describeCluster(c: EmulatedCluster) {
  return {
    name: c.name,
    url: c.url,
    port: c.port,
    running: c.running,
    version: c.options.version.gitVersion,
    nodes: c.options.nodes,
    faults: c.faults.get(),
    caData: c.caData,
    adminToken: c.adminToken,
    readOnlyToken: c.readOnlyToken,
  };
}

/**
 * The fleet's admin endpoint (plain HTTP on 127.0.0.1): inspect clusters, get/put/patch/delete
 * their faults, stop and start them, and fetch the fleet kubeconfig.
 */
export function createAdminServer(
  clusters: () => EmulatedCluster[],
  kubeconfigYaml: () => string,
): Server {
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

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://admin');
    const parts = url.pathname
      .split('/')
      .filter(Boolean)
      .map(decodeURIComponent);
    const method = req.method ?? 'GET';
    if (parts[0] === 'healthz' && parts.length === 1)
      return send(res, 200, 'ok', 'text/plain');
    if (parts[0] === 'kubeconfig' && parts.length === 1 && method === 'GET') {
      return send(res, 200, kubeconfigYaml(), 'application/yaml');
    }
    if (parts[0] === 'faults' && parts.length === 1) {
      if (method === 'PUT' || method === 'PATCH') {
        const body = (await readJson(req)) as Record<string, unknown>;
        try {
          await Promise.all(
            clusters().map(c =>
              c.setFaults(method === 'PUT' ? { ...NO_FAULTS, ...body } : body),
            ),
          );
        } catch (e) {
          throw asInput(e);
        }
        return send(res, 200, {
          items: clusters().map(c => ({
            name: c.name,
            faults: c.faults.get(),
          })),
        });
      }
      if (method === 'DELETE') {
        await Promise.all(clusters().map(c => c.clearFaults()));
        return send(res, 200, {
          items: clusters().map(c => ({
            name: c.name,
            faults: c.faults.get(),
          })),
        });
      }
      throw new HttpError(
        405,
        'MethodNotAllowed',
        `${method} is not allowed on /faults`,
      );
    }
    if (parts[0] !== 'clusters')
      throw new HttpError(404, 'NotFoundError', `no route for ${url.pathname}`);
    if (parts.length === 1) {
      if (method !== 'GET')
        throw new HttpError(
          405,
          'MethodNotAllowed',
          `${method} is not allowed on /clusters`,
        );
      return send(res, 200, { items: clusters().map(describeCluster) });
    }
    const cluster = find(parts[1]);
    if (parts.length === 2) {
      if (method !== 'GET')
        throw new HttpError(
          405,
          'MethodNotAllowed',
          `${method} is not allowed here`,
        );
      return send(res, 200, describeCluster(cluster));
    }
    if (parts.length === 3 && parts[2] === 'faults') {
      switch (method) {
        case 'GET':
          return send(res, 200, cluster.faults.get());
        case 'PUT':
        case 'PATCH': {
          const body = (await readJson(req)) as Record<string, unknown>;
          if (
            typeof body !== 'object' ||
            body === null ||
            Array.isArray(body)
          ) {
            throw new HttpError(
              400,
              'InputError',
              'faults must be a JSON object',
            );
          }
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
          throw new HttpError(
            405,
            'MethodNotAllowed',
            `${method} is not allowed on faults`,
          );
      }
    }
    if (parts.length === 3 && (parts[2] === 'stop' || parts[2] === 'start')) {
      if (method !== 'POST')
        throw new HttpError(
          405,
          'MethodNotAllowed',
          `use POST to ${parts[2]} a cluster`,
        );
      if (parts[2] === 'stop') await cluster.stop();
      else await cluster.start();
      return send(res, 200, describeCluster(cluster));
    }
    throw new HttpError(404, 'NotFoundError', `no route for ${url.pathname}`);
  };

  return createServer((req, res) => {
    route(req, res).catch(e => {
      const err =
        e instanceof HttpError
          ? e
          : new HttpError(500, 'Error', (e as Error)?.message ?? String(e));
      send(res, err.status, {
        error: { name: err.errorName, message: err.message },
        response: { statusCode: err.status },
      });
    });
  });
}
