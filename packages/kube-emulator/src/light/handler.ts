/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Faults } from '../options';
import { KubeObject } from '../store/store';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from '../store/selectors';
import { answerHealth, HealthEndpoint } from '../api/health';
import { aggregatedVersion, apiVersions, DISCOVERY } from '../api/discovery';
import { resolveResource } from '../api/resources';
import {
  ApiError,
  badRequest,
  forbidden,
  internalError,
  methodNotAllowed,
  notFound,
  pathNotFound,
  unauthorized,
} from '../api/status';
import { sendBody, sendCached } from '../api/http';
import { toTable } from '../api/tables';
import { answerReview, reviewOf } from '../api/reviews';
import { authorize, Role, usernameOf } from '../auth/roles';

const NODES = resolveResource('v1/nodes');
const PUBLIC_PATHS = /^\/(healthz|livez|readyz|version)(\/.*)?$/;

/** What a light cluster gives its request handler. */
export interface LightContext {
  readonly name: string;
  versionInfo(): Record<string, string>;
  hostPort(): string;
  currentFaults(): Faults;
  /** The role of a token, or undefined when it is unknown or revoked. */
  authenticate(token: string): Role | undefined;
  /** The cluster's nodes, built for this request. */
  nodes(): KubeObject[];
  /** Registers a response that stop() must end; returns an untrack function. */
  track(close: () => void): () => void;
}

const json = (res: ServerResponse, status: number, value: unknown) =>
  sendBody(res, status, JSON.stringify(value), 'application/json');

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 64 * 1024) {
        reject(badRequest('request body too large for a light cluster'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function wantsTable(accept: string | undefined) {
  return /as=Table/.test(accept ?? '') && /g=meta\.k8s\.io/.test(accept ?? '');
}

function forbiddenResource(
  username: string,
  verb: string,
  group: string,
  resource: string,
  namespace: string | undefined,
  name: string | undefined,
) {
  const qualified = group ? `${resource}.${group}` : resource;
  return forbidden(
    `${
      name ? `${qualified} "${name}"` : qualified
    } is forbidden: User "${username}" cannot ${verb} resource "${resource}" in API group "${group}" ${
      namespace ? `in the namespace "${namespace}"` : 'at the cluster scope'
    }`,
    { name, group: group || undefined, kind: resource },
  );
}

/** A resource path's parts: /api/v1/nodes/x, /apis/apps/v1/namespaces/ns/deployments/y. */
function resourceOf(segments: string[]) {
  let group: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1];
    rest = segments.slice(3);
  } else return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest;
  return { group, resource, name, subresource, namespace };
}

function verbOf(method: string, named: boolean, watch: boolean) {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (named) return 'get';
      return watch ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

function listNodes(ctx: LightContext, q: URLSearchParams, accept?: string) {
  const labels = parseLabelSelector(q.get('labelSelector'));
  const fields = parseFieldSelector(q.get('fieldSelector'), [
    'metadata.name',
    ...NODES.fieldLabels,
  ]);
  const all = ctx
    .nodes()
    .filter(
      n => matchesLabels(labels, n.metadata.labels) && matchesFields(fields, n),
    );
  const start = Number(q.get('continue') ?? 0);
  if (!Number.isInteger(start) || start < 0 || start > all.length)
    throw badRequest('continue key is not valid');
  const limit = Number(q.get('limit') ?? 0);
  const end = limit > 0 ? Math.min(all.length, start + limit) : all.length;
  const items = all.slice(start, end);
  const resourceVersion = items[0]?.metadata.resourceVersion ?? '1';
  const more = end < all.length;
  if (wantsTable(accept)) {
    return toTable(NODES, items, {
      include: 'Metadata',
      resourceVersion,
      continueToken: more ? String(end) : undefined,
      remainingItemCount: more ? all.length - end : undefined,
    });
  }
  const metadata: Record<string, unknown> = { resourceVersion };
  if (more) {
    metadata.continue = String(end);
    metadata.remainingItemCount = all.length - end;
  }
  return { kind: 'NodeList', apiVersion: 'v1', metadata, items };
}

async function route(
  ctx: LightContext,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const url = new URL(req.url ?? '/', 'https://light');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const q = url.searchParams;
  const method = req.method ?? 'GET';
  const segments = path.split('/').filter(Boolean);
  const resource = reviewOf(path) ? undefined : resourceOf(segments);

  let role: Role | undefined;
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    role = m ? ctx.authenticate(m[1].trim()) : undefined;
    if (!role) throw unauthorized();
  }
  const username = role ? usernameOf(role) : 'system:anonymous';
  const watch = ['true', '1', ''].includes(q.get('watch') ?? 'false');
  if (resource) {
    const verb = verbOf(method, !!resource.name, watch);
    if (
      !role ||
      !authorize(role, {
        verb,
        group: resource.group,
        resource: resource.resource,
        subresource: resource.subresource,
        namespace: resource.namespace,
        name: resource.name,
      })
    ) {
      throw forbiddenResource(
        username,
        verb,
        resource.group,
        resource.resource,
        resource.namespace,
        resource.name,
      );
    }
    if (
      resource.group !== '' ||
      resource.resource !== 'nodes' ||
      resource.namespace ||
      resource.subresource
    )
      throw pathNotFound(); // light clusters serve nodes only
    if (verb === 'watch') throw methodNotAllowed();
    if (verb === 'get') {
      const node = ctx.nodes().find(n => n.metadata.name === resource.name);
      if (!node) throw notFound(NODES, resource.name!);
      if (wantsTable(req.headers.accept))
        return json(res, 200, toTable(NODES, [node], { include: 'Metadata' }));
      return json(res, 200, node);
    }
    if (verb === 'list')
      return json(res, 200, listNodes(ctx, q, req.headers.accept));
    throw methodNotAllowed();
  }

  const verb = method === 'HEAD' ? 'get' : method.toLowerCase();
  if (!role) {
    if (!PUBLIC_PATHS.test(path))
      throw forbidden(
        `forbidden: User "system:anonymous" cannot ${verb} path "${path}"`,
        {},
      );
  } else {
    const review = reviewOf(path);
    if (review) {
      if (method !== 'POST') throw methodNotAllowed();
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req)) || '{}');
      } catch (e) {
        throw badRequest(
          `error decoding request body: ${(e as Error).message}`,
        );
      }
      return json(res, 201, answerReview(role, review, body));
    }
    if (!authorize(role, { verb, path }))
      throw forbidden(
        `forbidden: User "${username}" cannot ${verb} path "${path}"`,
        {},
      );
  }

  if (path === '/version') return json(res, 200, ctx.versionInfo());
  const health = /^\/(healthz|livez|readyz)(?:\/(.+))?$/.exec(path);
  if (health) {
    const answer = answerHealth(
      health[1] as HealthEndpoint,
      health[2],
      q,
      ctx.currentFaults().failingReadyzChecks,
    );
    if (!answer) throw pathNotFound();
    return sendBody(
      res,
      answer.status,
      answer.body,
      'text/plain; charset=utf-8',
    );
  }
  if (method === 'GET' || method === 'HEAD') {
    if (path === '/api') {
      const v = aggregatedVersion(req.headers.accept);
      if (v) return sendCached(res, DISCOVERY.aggregated[v].api);
      return json(res, 200, apiVersions(ctx.hostPort()));
    }
    if (path === '/apis') {
      const v = aggregatedVersion(req.headers.accept);
      if (v) return sendCached(res, DISCOVERY.aggregated[v].apis);
      return sendCached(res, DISCOVERY.apis);
    }
    if (path === '/api/v1')
      return sendCached(res, DISCOVERY.resourceLists.get('v1')!);
    const groupPath = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    if (groupPath) {
      const body = groupPath[2]
        ? DISCOVERY.resourceLists.get(`${groupPath[1]}/${groupPath[2]}`)
        : DISCOVERY.groups.get(groupPath[1]);
      if (body) return sendCached(res, body);
    }
  }
  throw pathNotFound();
}

/**
 * The request pipeline of a light cluster: faults, authentication, authorization by role, then
 * health, version, discovery, the review APIs and nodes. Everything else is 404.
 */
export async function handleLightRequest(
  ctx: LightContext,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const faults = ctx.currentFaults();
  if (faults.hang) {
    const untrack = ctx.track(() => res.destroy());
    res.on('close', untrack);
    return;
  }
  const delay =
    faults.latencyMs + (faults.jitterMs ? Math.random() * faults.jitterMs : 0);
  if (delay > 0) {
    // A stopped cluster must not answer a request that was waiting out its latency.
    let closed = false;
    const untrack = ctx.track(() => {
      closed = true;
      res.destroy();
    });
    await sleep(delay);
    untrack();
    if (closed) return;
  }
  if (res.destroyed) return;
  try {
    if (faults.errorRate > 0 && Math.random() < faults.errorRate)
      throw internalError(
        'the emulated server failed this request (errorRate fault)',
      );
    await route(ctx, req, res);
  } catch (e) {
    const err =
      e instanceof ApiError
        ? e
        : internalError((e as Error)?.message ?? String(e));
    json(res, err.code, err.toStatus());
  }
}
