/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): any;
}

/**
 * One HTTPS request to an emulated cluster, trusting only its CA, with a hard timeout:
 * rejects with the socket error (ECONNREFUSED, CERT_HAS_EXPIRED, …) or "timeout".
 */
export function call(
  target: { url: string; caData: string },
  path: string,
  options: {
    token?: string;
    method?: string;
    body?: unknown;
    timeoutMs?: number;
    contentType?: string;
    accept?: string;
  } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (options.accept) headers.Accept = options.accept;
    let payload: string | undefined;
    if (typeof options.body === 'string') payload = options.body;
    else if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined)
      headers['Content-Type'] = options.contentType ?? 'application/json';
    const req = httpsRequest(
      `${target.url}${path}`,
      {
        method: options.method ?? 'GET',
        ca: target.caData,
        headers,
        agent: false,
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text),
          });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 5000, () =>
      req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * A plain HTTP JSON request (the admin endpoint): with the bearer token when given, and
 * `Content-Type: application/json` on POST, PUT and PATCH unless the headers say otherwise.
 */
export function callAdmin(
  url: string,
  options: {
    method?: string;
    body?: unknown;
    token?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const method = options.method ?? 'GET';
    const payload =
      options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = {};
    if (payload !== undefined || ['POST', 'PUT', 'PATCH'].includes(method))
      headers['Content-Type'] = 'application/json';
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    Object.assign(headers, options.headers);
    const req = httpRequest(url, { method, headers, agent: false }, res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          json: () => JSON.parse(text),
        });
      });
    });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}
