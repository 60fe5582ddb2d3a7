/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { IncomingMessage, ServerResponse } from 'node:http';
import { KubeObject } from '../store/store';
import { parseFieldSelector, parseLabelSelector } from '../store/selectors';
import { apiVersionOf } from './resources';
import { DeleteOptions, WriteContext } from './service';
import { badRequest } from './status';
import { toTable } from './tables';
import { serveWatch } from './watch';
import { sendBody, sendJson, negotiate, readBody, parseBody } from './http';
import {
  ResourceRequest,
  queryFlag,
  managerFor,
  fieldValidationOf,
  dryRunOf,
  numberParam,
  includeObjectOf,
  toMetadataOnly,
} from './requestParams';
import type { ApiServerContext } from './handler';

export async function serveResource(
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
