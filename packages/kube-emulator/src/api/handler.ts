/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import yaml from 'js-yaml';
import { Faults } from '../options';
import { KubeObject, ObjectStore } from '../store/store';
import { parseFieldSelector, parseLabelSelector } from '../store/selectors';
import { answerHealth, HealthEndpoint } from './health';
import {
  aggregatedVersion,
  apiVersions,
  CachedBody,
  DISCOVERY,
} from './discovery';
import { openApiDocuments } from './openapi';
import { apiVersionOf, findResource, ResourceDef } from './resources';
import {
  DeleteOptions,
  FieldValidation,
  ResourceService,
  WriteContext,
} from './service';
import {
  ApiError,
  badRequest,
  forbidden,
  internalError,
  methodNotAllowed,
  notAcceptable,
  pathNotFound,
  unauthorized,
  unsupportedMediaType,
} from './status';
import { IncludeObject, toTable } from './tables';
import { serveWatch } from './watch';
import { decodeProtobuf, isProtobuf } from './protobuf';
import { readMetrics } from './metrics';
import { answerReview, reviewOf } from './reviews';
import { authorize, RequestAttributes, Role } from '../auth/roles';

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

const MAX_BODY = 3 * 1024 * 1024;
const PUBLIC_PATHS = /^\/(healthz|livez|readyz|version)(\/.*)?$/;

function sendBody(
  res: ServerResponse,
  status: number,
  body: Buffer | string,
  contentType: string,
  extra?: Record<string, string | string[]>,
) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-cache, private',
    'Audit-Id': randomUUID(),
    ...extra,
  });
  res.end(body);
}

function wantsYaml(req: IncomingMessage) {
  const accept = req.headers.accept ?? '';
  return /application\/yaml/.test(accept) && !/application\/json/.test(accept);
}

function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  value: unknown,
  warnings?: string[],
) {
  const extra: Record<string, string | string[]> = {};
  if (warnings?.length) {
    extra.Warning = warnings.map(w => `299 - ${JSON.stringify(w)}`);
  }
  if (wantsYaml(req)) {
    sendBody(
      res,
      status,
      yaml.dump(value, { noRefs: true }),
      'application/yaml',
      extra,
    );
  } else {
    sendBody(res, status, JSON.stringify(value), 'application/json', extra);
  }
}

function sendCached(
  res: ServerResponse,
  cached: CachedBody,
  extra?: Record<string, string>,
) {
  sendBody(res, 200, cached.body, cached.contentType, extra);
}

export function sendStatus(
  req: IncomingMessage,
  res: ServerResponse,
  error: ApiError,
) {
  sendJson(req, res, error.code, error.toStatus());
}

/** Content negotiation for objects: a Table, PartialObjectMetadata, or the object itself. */
function negotiate(accept: string | undefined): {
  as: 'Table' | 'Metadata' | 'Object';
} {
  if (!accept) return { as: 'Object' };
  for (const part of accept.split(',')) {
    const params = part.split(';').map(p => p.trim());
    const type = params[0];
    if (
      type === 'application/json' ||
      type === '*/*' ||
      type === 'application/yaml'
    ) {
      if (params.includes('as=Table') && params.includes('g=meta.k8s.io'))
        return { as: 'Table' };
      if (
        (params.includes('as=PartialObjectMetadata') ||
          params.includes('as=PartialObjectMetadataList')) &&
        params.includes('g=meta.k8s.io')
      ) {
        return { as: 'Metadata' };
      }
      if (!params.some(p => p.startsWith('as='))) return { as: 'Object' };
    }
  }
  if (/application\/(json|yaml)|\*\/\*/.test(accept)) return { as: 'Object' };
  throw notAcceptable(
    'only the following media types are accepted: application/json, application/yaml',
  );
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(
          new ApiError(
            413,
            'RequestEntityTooLarge',
            `Request entity too large: limit is ${MAX_BODY}`,
          ),
        );
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseBody(body: Buffer, contentType: string | undefined): unknown {
  const type = (contentType ?? 'application/json')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (isProtobuf(type)) return body.length ? decodeProtobuf(body) : undefined;
  const raw = body.toString('utf8');
  if (!raw.trim()) return undefined;
  try {
    if (type === 'application/json' || type === '' || type === '*/*')
      return JSON.parse(raw);
    if (
      type === 'application/yaml' ||
      type === 'application/x-yaml' ||
      type === 'text/yaml'
    )
      return yaml.load(raw);
  } catch (e) {
    throw badRequest(`error decoding request body: ${(e as Error).message}`);
  }
  throw unsupportedMediaType(type);
}

interface ResourceRequest {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
  legacyWatch: boolean;
}

/** Splits /api/v1/namespaces/x/pods/y/status and friends; undefined when not a resource path. */
function parseResourcePath(
  segments: string[],
): ResourceRequest | null | undefined {
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1];
    version = segments[2];
    rest = segments.slice(3);
  } else {
    return undefined;
  }
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const candidate = findResource(group, version, rest[2]);
    if (candidate && candidate.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const def = findResource(group, version, rest[0] ?? '');
  if (!def || rest.length > 3) return null;
  if (namespace && !def.namespaced) return null;
  const [, name, subresource] = rest;
  if (subresource && !def.subresources.some(s => s.name === subresource))
    return null;
  return { def, namespace, name, subresource, legacyWatch };
}

function verbOf(method: string, r: ResourceRequest, watch: boolean): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (r.name) return 'get';
      return watch ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return r.name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

function forbiddenFor(
  user: { username: string },
  verb: string,
  r: Pick<ResourceRequest, 'def' | 'namespace' | 'name' | 'subresource'>,
): ApiError {
  const resource = r.subresource
    ? `${r.def.resource}/${r.subresource}`
    : r.def.resource;
  const qualified = r.def.group
    ? `${r.def.resource}.${r.def.group}`
    : r.def.resource;
  const subject = r.name ? `${qualified} "${r.name}"` : qualified;
  const scope = r.namespace
    ? `in the namespace "${r.namespace}"`
    : 'at the cluster scope';
  return forbidden(
    `${subject} is forbidden: User "${user.username}" cannot ${verb} resource "${resource}" in API group "${r.def.group}" ${scope}`,
    { name: r.name, group: r.def.group || undefined, kind: r.def.resource },
  );
}

function queryFlag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === 'true' || v === '1' || v === '';
}

function managerFor(
  req: IncomingMessage,
  q: URLSearchParams,
): { manager: string; given: boolean } {
  const given = q.get('fieldManager');
  if (given) {
    if (given.length > 128)
      throw badRequest('fieldManager: Too long: may not be longer than 128');
    return { manager: given, given: true };
  }
  const ua = req.headers['user-agent'] ?? 'unknown';
  return { manager: ua.split('/')[0] || 'unknown', given: false };
}

function fieldValidationOf(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(
    `invalid fieldValidation directive: "${v}"; accepted values: Ignore, Warn, Strict`,
  );
}

function dryRunOf(q: URLSearchParams): boolean {
  const values = q.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All')
      throw badRequest(
        `dryRun: Unsupported value: "${v}": supported values: "All"`,
      );
  }
  return values.length > 0;
}

function numberParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0)
    throw badRequest(`${name}: Invalid value: "${v}"`);
  return n;
}

function includeObjectOf(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  if (v === 'None' || v === 'Object' || v === 'Metadata') return v;
  return 'Metadata';
}

function toMetadataOnly(obj: KubeObject) {
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: obj.metadata,
  };
}

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
  if (delay > 0) await new Promise(r => setTimeout(r, delay));
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

async function serveResource(
  ctx: ApiServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  r: ResourceRequest,
  verb: string,
  q: URLSearchParams,
) {
  const { store, service } = ctx.state();
  const { def, namespace, name, subresource } = r;
  const accept = negotiate(req.headers.accept);

  const renderOne = (obj: KubeObject) => {
    if (accept.as === 'Table' && !subresource) {
      return toTable(def, [obj], {
        include: includeObjectOf(q),
        resourceVersion: obj.metadata.resourceVersion,
      });
    }
    if (accept.as === 'Metadata') return toMetadataOnly(obj);
    return obj;
  };

  if (verb === 'get') {
    if (subresource === 'log') {
      const pod = service.get(def, namespace, name!);
      const names: string[] = (pod.spec?.containers ?? []).map(
        (c: any) => c.name,
      );
      const container =
        q.get('container') ?? (names.length === 1 ? names[0] : undefined);
      if (!container) {
        throw badRequest(
          `a container name must be specified for pod ${name}, choose one of: [${names.join(
            ' ',
          )}]`,
        );
      }
      if (!names.includes(container)) {
        throw badRequest(`container ${container} is not valid for pod ${name}`);
      }
      return sendBody(res, 200, ctx.podLog(pod, container), 'text/plain');
    }
    if (subresource === 'scale')
      return sendJson(req, res, 200, service.getScale(def, namespace, name!));
    return sendJson(
      req,
      res,
      200,
      renderOne(service.get(def, namespace, name!)),
    );
  }

  const labelSelector = parseLabelSelector(q.get('labelSelector'));
  const fieldSelector = parseFieldSelector(q.get('fieldSelector'), [
    'metadata.name',
    ...(def.namespaced ? ['metadata.namespace'] : []),
    ...def.fieldLabels,
  ]);

  if (verb === 'watch') {
    const timeoutSeconds = numberParam(q, 'timeoutSeconds');
    serveWatch(
      store,
      req,
      res,
      {
        def,
        namespace,
        labelSelector,
        fieldSelector,
        resourceVersion: q.get('resourceVersion') ?? undefined,
        timeoutSeconds,
        allowBookmarks: queryFlag(q, 'allowWatchBookmarks'),
        sendInitialEvents: queryFlag(q, 'sendInitialEvents'),
        bookmarkIntervalMs: ctx.bookmarkIntervalMs,
        table:
          accept.as === 'Table' ? { include: includeObjectOf(q) } : undefined,
      },
      close => ctx.track(close),
    );
    return undefined;
  }

  if (verb === 'list') {
    const limit = numberParam(q, 'limit');
    const result = service.list(def, {
      namespace,
      labelSelector,
      fieldSelector,
      limit,
      continueToken: q.get('continue') ?? undefined,
    });
    if (accept.as === 'Table') {
      return sendJson(
        req,
        res,
        200,
        toTable(def, result.items, {
          include: includeObjectOf(q),
          resourceVersion: result.resourceVersion,
          continueToken: result.continueToken,
          remainingItemCount: result.remainingItemCount,
        }),
      );
    }
    const metadata: Record<string, unknown> = {
      resourceVersion: result.resourceVersion,
    };
    if (result.continueToken) metadata.continue = result.continueToken;
    if (result.remainingItemCount !== undefined)
      metadata.remainingItemCount = result.remainingItemCount;
    if (accept.as === 'Metadata') {
      return sendJson(req, res, 200, {
        kind: 'PartialObjectMetadataList',
        apiVersion: 'meta.k8s.io/v1',
        metadata,
        items: result.items.map(toMetadataOnly),
      });
    }
    return sendJson(req, res, 200, {
      kind: `${def.kind}List`,
      apiVersion: apiVersionOf(def),
      metadata,
      items: result.items.map(o => ({
        ...o,
        apiVersion: apiVersionOf(def),
        kind: def.kind,
      })),
    });
  }

  const raw = await readBody(req);
  const { manager, given } = managerFor(req, q);
  const warnings: string[] = [];
  const wctx: WriteContext = {
    manager,
    dryRun: dryRunOf(q),
    fieldValidation: fieldValidationOf(q),
    warnings,
  };

  if (verb === 'create') {
    const body = parseBody(raw, req.headers['content-type']);
    const created = service.create(def, namespace, body, wctx);
    return sendJson(req, res, 201, renderOne(created), warnings);
  }
  if (verb === 'update') {
    const body = parseBody(raw, req.headers['content-type']);
    if (subresource === 'scale') {
      return sendJson(
        req,
        res,
        200,
        service.updateScale(def, namespace, name!, body, wctx),
        warnings,
      );
    }
    const updated = service.update(
      def,
      namespace,
      name!,
      body,
      wctx,
      subresource,
    );
    return sendJson(req, res, 200, renderOne(updated), warnings);
  }
  if (verb === 'patch') {
    const contentType = req.headers['content-type'] ?? '';
    if (subresource === 'scale') {
      return sendJson(
        req,
        res,
        200,
        service.patchScale(
          def,
          namespace,
          name!,
          contentType,
          raw.toString('utf8'),
          wctx,
        ),
        warnings,
      );
    }
    const force = queryFlag(q, 'force');
    const { object, created } = service.patch(
      def,
      namespace,
      name!,
      contentType,
      raw.toString('utf8'),
      { ...wctx, force, fieldManagerGiven: given },
      subresource,
    );
    return sendJson(req, res, created ? 201 : 200, renderOne(object), warnings);
  }

  // delete and deletecollection
  const body = (parseBody(raw, req.headers['content-type']) ?? {}) as Record<
    string,
    any
  >;
  const options: DeleteOptions = {
    propagationPolicy:
      q.get('propagationPolicy') ?? body.propagationPolicy ?? undefined,
    gracePeriodSeconds:
      numberParam(q, 'gracePeriodSeconds') ?? body.gracePeriodSeconds,
    preconditions: body.preconditions,
    dryRun:
      wctx.dryRun ||
      (Array.isArray(body.dryRun) && body.dryRun.includes('All')),
  };
  if (body.orphanDependents === true && !options.propagationPolicy)
    options.propagationPolicy = 'Orphan';
  if (
    options.propagationPolicy &&
    !['Orphan', 'Background', 'Foreground'].includes(options.propagationPolicy)
  ) {
    throw badRequest(
      `propagationPolicy: Unsupported value: "${options.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  if (verb === 'delete') {
    const result = service.delete(def, namespace, name!, options);
    return sendJson(req, res, 200, result.body);
  }
  const deleted = service.deleteCollection(
    def,
    { namespace, labelSelector, fieldSelector },
    options,
  );
  return sendJson(req, res, 200, {
    kind: `${def.kind}List`,
    apiVersion: apiVersionOf(def),
    metadata: { resourceVersion: String(store.resourceVersion) },
    items: deleted,
  });
}
