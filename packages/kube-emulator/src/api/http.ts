/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml, stringify } from 'yaml';
import { CachedBody } from './discovery';
import {
  ApiError,
  badRequest,
  notAcceptable,
  unsupportedMediaType,
} from './status';
import { decodeProtobuf, isProtobuf } from './protobuf';

// The HTTP side of the API server: request bodies in, and JSON, YAML, Table
// or protobuf out, as the client's Accept header asks.

const MAX_BODY = 3 * 1024 * 1024;

export function sendBody(
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

export function sendJson(
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
      stringify(value, { aliasDuplicateObjects: false }),
      'application/yaml',
      extra,
    );
  } else {
    sendBody(res, status, JSON.stringify(value), 'application/json', extra);
  }
}

export function sendCached(
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
export function negotiate(accept: string | undefined): {
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

export function readBody(req: IncomingMessage): Promise<Buffer> {
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

export function parseBody(
  body: Buffer,
  contentType: string | undefined,
): unknown {
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
      return parseYaml(raw);
  } catch (e) {
    throw badRequest(`error decoding request body: ${(e as Error).message}`);
  }
  throw unsupportedMediaType(type);
}
