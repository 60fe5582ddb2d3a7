/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from './waitFor';

/**
 * An answer of the REST API: status, parsed body and raw text.
 * @public
 */
export interface ApiResponse {
  /** HTTP status code. */
  status: number;
  /** The body parsed as JSON; undefined when it is not JSON. */
  body: any;
  /** The raw body. */
  text: string;
}

const FINAL = ['ready', 'failed', 'destroyed'];

/**
 * A driver test harness over the real plugin's REST API
 * (`/api/multicluster`): create an environment, wait for it to settle, read
 * its events, destroy it. Point it at `startTestBackend(...).server`.
 * @public
 */
export function multiclusterApi(
  server: Server,
  options: { headers?: Record<string, string> } = {},
) {
  const base = () =>
    `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/multicluster`;
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse> => {
    const res = await fetch(`${base()}${path}`, {
      method,
      headers: {
        ...options.headers,
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, text };
  };
  const api = {
    call,
    get: (path: string, headers?: Record<string, string>) =>
      call('GET', path, undefined, headers),
    createEnvironment: (body: Record<string, unknown>) =>
      call('POST', '/environments', body),
    environment: (name: string) => call('GET', `/environments/${name}`),
    destroyEnvironment: (name: string) =>
      call('DELETE', `/environments/${name}`),
    events: (name: string) => call('GET', `/environments/${name}/events`),
    /** Polls until the environment is ready, failed or destroyed; returns it. */
    settled: (name: string, { timeoutMs = 90_000 } = {}) =>
      waitFor(
        async () => {
          const res = await call('GET', `/environments/${name}`);
          return FINAL.includes(res.body?.status) ? res.body : undefined;
        },
        { timeoutMs, intervalMs: 50, what: `environment ${name} to settle` },
      ),
  };
  return api;
}
