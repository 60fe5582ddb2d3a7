/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Faults } from '../options';
import { KubeObject, ObjectStore } from '../store/store';
import { parseLabelSelector } from '../store/selectors';
import { answerHealth, HealthEndpoint } from './health';
import { aggregatedVersion, apiVersions, DISCOVERY } from './discovery';
import { openApiDocuments } from './openapi';
import { ResourceService } from './service';
import {
  ApiError,
  forbidden,
  internalError,
  methodNotAllowed,
  notAcceptable,
  pathNotFound,
  unauthorized,
} from './status';
import { readMetrics } from './metrics';
import { answerReview, reviewOf } from './reviews';
import { authorize, RequestAttributes, Role } from '../auth/roles';
import {
  sendBody,
  sendJson,
  sendCached,
  sendStatus,
  readBody,
  parseBody,
} from './http';
import {
  parseResourcePath,
  verbOf,
  forbiddenFor,
  queryFlag,
} from './requestParams';
import { serveResource } from './serveResource';

/** Who a request runs as. */
export interface UserInfo {
  username: string;
  groups: string[];
  /** What the user may do (see auth/roles.ts). */
  role: Role;
}

/** What the HTTP layer needs from its cluster. */
export interface ApiServerContext {
  readonly name: string;
  readonly gitVersion: string;
  versionInfo(): Record<string, string>;
  hostPort(): string;
  currentFaults(): Faults;
  /** undefined for an unknown or revoked token. */
  authenticate(token: string): UserInfo | undefined;
  /** The cluster's state, created on first use. */
  state(): { store: ObjectStore; service: ResourceService };
  bookmarkIntervalMs: number;
  /** Registers an open long-running response so stop() can end it; returns an untrack function. */
  track(close: () => void): () => void;
  podLog(pod: KubeObject, container: string): string;
}

const PUBLIC_PATHS = /^\/(healthz|livez|readyz|version)(\/.*)?$/;

/**
 * The request pipeline of one emulated API server: faults, authentication, routing,
 * authorization, then discovery, OpenAPI, health or the resource handlers.
 */
export async function handleRequest(
  ctx: ApiServerContext,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const faults = ctx.currentFaults();
  if (faults.hang) {
    // Accept the request and never answer; stop() or the client's timeout ends it.
    const untrack = ctx.track(() => res.destroy());
    res.on('close', untrack);
    return;
  }
  const delay =
    faults.latencyMs + (faults.jitterMs ? Math.random() * faults.jitterMs : 0);
  if (delay > 0) await sleep(delay);
  if (res.destroyed) return;
  try {
    if (faults.errorRate > 0 && Math.random() < faults.errorRate) {
      throw internalError(
        'the emulated server failed this request (errorRate fault)',
      );
    }
    await route(ctx, req, res);
  } catch (e) {
    if (e instanceof ApiError) sendStatus(req, res, e);
    else
      sendStatus(req, res, internalError((e as Error)?.message ?? String(e)));
  }
}

async function route(
  ctx: ApiServerContext,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const url = new URL(req.url ?? '/', 'https://emulator');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const q = url.searchParams;
  const method = req.method ?? 'GET';

  const auth = req.headers.authorization;
  let user: UserInfo | undefined;
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    user = m ? ctx.authenticate(m[1].trim()) : undefined;
    if (!user) throw unauthorized();
  }
  const segments = path.split('/').filter(Boolean);
  const parsed = parseResourcePath(segments);
  if (!user) {
    if (!PUBLIC_PATHS.test(path)) {
      if (parsed) {
        throw forbiddenFor(
          { username: 'system:anonymous' },
          verbOf(method, parsed, q.get('watch') === 'true'),
          parsed,
        );
      }
      throw forbidden(
        `forbidden: User "system:anonymous" cannot ${method.toLowerCase()} path "${path}"`,
        {},
      );
    }
  }
  const review = user ? reviewOf(path) : undefined;
  if (review) {
    if (method !== 'POST') throw methodNotAllowed();
    const attrs = {
      verb: 'create',
      group: review.group,
      resource: review.resource,
    };
    if (!authorize(user!.role, attrs)) {
      throw forbidden(
        `${review.resource}.${review.group} is forbidden: User "${
          user!.username
        }" cannot create resource "${review.resource}" in API group "${
          review.group
        }" at the cluster scope`,
        { group: review.group, kind: review.resource },
      );
    }
    const body = parseBody(await readBody(req), req.headers['content-type']);
    return sendJson(req, res, 201, answerReview(user!.role, review, body));
  }
  if (user && parsed === undefined && !isMetricsPath(segments)) {
    // A non-resource path: health, version, discovery, OpenAPI.
    const verb = method === 'HEAD' ? 'get' : method.toLowerCase();
    if (!authorize(user.role, { verb, path })) {
      throw forbidden(
        `forbidden: User "${user.username}" cannot ${verb} path "${path}"`,
        {},
      );
    }
  }

  // Non-resource endpoints.
  if (path === '/version') {
    return sendJson(req, res, 200, ctx.versionInfo());
  }
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
      { 'X-Content-Type-Options': 'nosniff' },
    );
  }
  if (method === 'GET' || method === 'HEAD') {
    if (path === '/api') {
      const v = aggregatedVersion(req.headers.accept);
      if (v) return sendCached(res, DISCOVERY.aggregated[v].api);
      return sendJson(req, res, 200, apiVersions(ctx.hostPort()));
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
      const cached = groupPath[2]
        ? DISCOVERY.resourceLists.get(`${groupPath[1]}/${groupPath[2]}`)
        : DISCOVERY.groups.get(groupPath[1]);
      if (!cached) throw pathNotFound();
      return sendCached(res, cached);
    }
    if (path === '/openapi/v3')
      return sendCached(res, openApiDocuments(ctx.gitVersion).v3Root);
    if (path.startsWith('/openapi/v3/')) {
      const doc = openApiDocuments(ctx.gitVersion).v3.get(
        path.slice('/openapi/v3/'.length),
      );
      if (!doc) throw pathNotFound();
      const hash = q.get('hash');
      return sendCached(
        res,
        doc,
        hash === doc.hash
          ? { 'Cache-Control': 'public, immutable', ETag: `"${doc.hash}"` }
          : { ETag: `"${doc.hash}"` },
      );
    }
    if (path === '/openapi/v2') {
      // kubectl asks for protobuf only; a server without it answers 406 and clients move on.
      const accept = req.headers.accept ?? '*/*';
      if (!/application\/json|\*\/\*/.test(accept)) {
        throw notAcceptable(
          'only the following media types are accepted: application/json',
        );
      }
      return sendCached(res, openApiDocuments(ctx.gitVersion).v2());
    }
  }

  if (isMetricsPath(segments)) {
    return serveMetrics(ctx, req, res, segments.slice(3), method, q, user!);
  }
  const r = parsed;
  if (!r) throw pathNotFound();
  const watch = r.legacyWatch || queryFlag(q, 'watch');
  const verb = verbOf(method, r, watch);
  if (
    ![
      'get',
      'list',
      'watch',
      'create',
      'update',
      'patch',
      'delete',
      'deletecollection',
    ].includes(verb)
  ) {
    throw methodNotAllowed();
  }
  const subDef = r.subresource
    ? r.def.subresources.find(s => s.name === r.subresource)
    : undefined;
  const allowedVerbs = subDef ? subDef.verbs : r.def.verbs;
  if (
    !allowedVerbs.includes(verb) &&
    !(r.def.resource === 'namespaces' && verb === 'deletecollection')
  ) {
    throw methodNotAllowed();
  }
  if (
    r.def.namespaced &&
    !r.namespace &&
    (r.name || verb === 'create' || verb === 'deletecollection')
  ) {
    throw pathNotFound();
  }
  const attrs: RequestAttributes = {
    verb,
    group: r.def.group,
    resource: r.def.resource,
    subresource: r.subresource,
    namespace: r.namespace,
    name: r.name,
  };
  if (!authorize(user!.role, attrs)) throw forbiddenFor(user!, verb, r);
  return await serveResource(ctx, req, res, r, verb, q);
}

function isMetricsPath(segments: string[]) {
  return (
    segments[0] === 'apis' &&
    segments[1] === 'metrics.k8s.io' &&
    segments[2] === 'v1beta1' &&
    segments.length > 3
  );
}

function serveMetrics(
  ctx: ApiServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  rest: string[],
  method: string,
  q: URLSearchParams,
  user: UserInfo,
) {
  let namespace: string | undefined;
  let parts = rest;
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    namespace = parts[1];
    parts = parts.slice(2);
  }
  const [resource, name, ...extra] = parts;
  if (
    (resource !== 'pods' && resource !== 'nodes') ||
    extra.length ||
    (resource === 'nodes' && namespace)
  ) {
    throw pathNotFound();
  }
  if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed();
  const verb = name ? 'get' : 'list';
  if (
    !authorize(user.role, {
      verb,
      group: 'metrics.k8s.io',
      resource,
      namespace,
      name,
    })
  ) {
    throw forbidden(
      `${resource}.metrics.k8s.io${
        name ? ` "${name}"` : ''
      } is forbidden: User "${
        user.username
      }" cannot ${verb} resource "${resource}" in API group "metrics.k8s.io" ${
        namespace ? `in the namespace "${namespace}"` : 'at the cluster scope'
      }`,
      { name, group: 'metrics.k8s.io', kind: resource },
    );
  }
  const body = readMetrics(
    ctx.state().store,
    resource,
    namespace,
    name,
    parseLabelSelector(q.get('labelSelector')),
  );
  return sendJson(req, res, 200, body);
}
