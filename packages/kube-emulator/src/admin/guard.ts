/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** An error the admin endpoint answers as a Backstage-style error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

function digest(value: string) {
  return createHash('sha256').update(value).digest();
}

/** Compares a presented token with the expected one in constant time. */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * Refuses what a web page could make a browser send to the admin endpoint, then checks the
 * bearer token:
 *
 * - a `Host` other than this endpoint's loopback address (DNS rebinding);
 * - an `Origin` other than the endpoint's own;
 * - `Sec-Fetch-Site` other than `same-origin` or `none` (a user typing the URL);
 * - a POST, PUT or PATCH whose body is not `application/json` (HTML forms and "simple"
 *   cross-origin requests cannot send that type without a CORS preflight, which this endpoint
 *   never grants).
 *
 * Throws an HttpError (403, 401 or 415) when the request is refused.
 */
export function checkAdminRequest(
  req: IncomingMessage,
  options: { token: string; port: number },
): void {
  const own = LOOPBACK_HOSTS.map(h => `${h}:${options.port}`);
  const host = (req.headers.host ?? '').toLowerCase();
  if (!own.includes(host)) {
    throw new HttpError(
      403,
      'NotAllowedError',
      `the admin endpoint answers only requests for ${own[0]} (Host was ${
        host ? JSON.stringify(host.slice(0, 100)) : 'missing'
      })`,
    );
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !own.some(o => origin === `http://${o}`)) {
    throw new HttpError(
      403,
      'NotAllowedError',
      'cross-origin requests to the admin endpoint are refused',
    );
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new HttpError(
      403,
      'NotAllowedError',
      `cross-site requests to the admin endpoint are refused (Sec-Fetch-Site: ${String(
        site,
      ).slice(0, 40)})`,
    );
  }
  const auth = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  if (!m || !tokenMatches(m[1], options.token)) {
    throw new HttpError(
      401,
      'AuthenticationError',
      m
        ? 'the admin token is not valid'
        : 'the admin endpoint requires Authorization: Bearer <admin token>',
    );
  }
  const method = req.method ?? 'GET';
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    const type = (req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    if (type !== 'application/json') {
      throw new HttpError(
        415,
        'UnsupportedMediaTypeError',
        `${method} requests to the admin endpoint must have Content-Type: application/json`,
      );
    }
  }
}
