/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  limitKey,
  type MulticlusterLimits,
} from '@archipelago/multicluster-common';
import { CustomErrorBase, InputError } from '@backstage/errors';
import express from 'express';

/** A body over `multicluster.limits.requestBodyBytes`: HTTP 413. @internal */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  readonly statusCode = 413;
}

/**
 * How deeply a JSON text nests objects and arrays, stopping as soon as it
 * exceeds `max`. Linear and iterative: a body nested 5,000 deep is refused
 * here, before any recursive parser or validator sees it.
 * @internal
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      if (depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}

/**
 * Reads and parses a JSON body within the limits, before any handler or the
 * OpenAPI validator runs: over the size limit is a 413 naming it; too deep,
 * malformed or not UTF-8 is a 400 saying so. Bodies of other media types are
 * left for the validator, which refuses them against the spec.
 * @internal
 */
export function jsonBody(
  limits: Pick<MulticlusterLimits, 'requestBodyBytes' | 'requestBodyDepth'>,
): express.RequestHandler[] {
  const raw = express.raw({
    type: req =>
      /^application\/([\w.+-]+\+)?json\b/i.test(
        String(req.headers['content-type'] ?? ''),
      ),
    limit: limits.requestBodyBytes,
  });
  const read: express.RequestHandler = (req, res, next) =>
    raw(req, res, error => {
      if (!error) {
        next();
        return;
      }
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') {
        const length = Number(req.headers['content-length']);
        next(
          new PayloadTooLargeError(
            `request body${
              Number.isFinite(length) ? ` of ${length} bytes` : ''
            } is over the limit of ${limits.requestBodyBytes} bytes (${limitKey(
              'requestBodyBytes',
            )})`,
          ),
        );
        return;
      }
      next(
        new InputError(
          type === 'encoding.unsupported' || type === 'charset.unsupported'
            ? 'request body: only identity, gzip or deflate encoded UTF-8 JSON is accepted'
            : 'request body could not be read',
        ),
      );
    });
  const parse: express.RequestHandler = (req, _res, next) => {
    if (!Buffer.isBuffer(req.body)) {
      next();
      return;
    }
    const text = req.body.toString('utf8');
    if (text.trim() === '') {
      req.body = undefined;
      next();
      return;
    }
    if (jsonDepthExceeds(text, limits.requestBodyDepth)) {
      next(
        new InputError(
          `request body nests objects and arrays deeper than ${
            limits.requestBodyDepth
          } levels (${limitKey('requestBodyDepth')})`,
        ),
      );
      return;
    }
    try {
      req.body = JSON.parse(text);
    } catch (error) {
      next(
        new InputError(
          `request body is not valid JSON: ${String(
            (error as Error).message,
          ).slice(0, 200)}`,
        ),
      );
      return;
    }
    next();
  };
  return [read, parse];
}

/** In place of the OpenAPI router's own body parser: jsonBody ran before it. @internal */
export const bodyAlreadyRead: express.RequestHandler = (_req, _res, next) =>
  next();
