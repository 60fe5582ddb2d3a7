/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  type CreateEnvironmentRequest,
  type Environment,
  type EnvironmentEvent,
  MULTICLUSTER_PLUGIN_ID,
  isSecretReference,
} from '@archipelago/multicluster-common';

/** The plan `POST /environments?dryRun=true` answers. */
export interface EnvironmentPlanResponse {
  dryRun: true;
  plan: {
    type: string;
    cloud: string;
    components: Array<{
      key: string;
      kind: string;
      template: string;
      driver: string;
      dependsOn: string[];
    }>;
    stages: string[][];
  };
}

export type EnvironmentEventWithId = EnvironmentEvent & { id: number };

/**
 * The slice of the multicluster REST API the actions use. Actions talk to the
 * plugin over HTTP with a token from the auth service, as Backstage plugins
 * talk to each other; they never reach into the engine.
 */
export class EnvironmentApi {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
    private readonly credentials: () => Promise<BackstageCredentials>,
  ) {}

  private async call(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<Response> {
    const baseUrl = await this.discovery.getBaseUrl(MULTICLUSTER_PLUGIN_ID);
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.credentials(),
      targetPluginId: MULTICLUSTER_PLUGIN_ID,
    });
    return fetch(`${baseUrl.replace(/\/+$/, '')}${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  }

  private async json<T>(response: Response): Promise<T> {
    if (!response.ok) throw await ResponseError.fromResponse(response);
    // Parsed here rather than with response.json(): the objects then belong to this
    // realm, which the scaffolder's template engine insists on for step outputs.
    return JSON.parse(await response.text()) as T;
  }

  async plan(
    request: CreateEnvironmentRequest,
    signal?: AbortSignal,
  ): Promise<EnvironmentPlanResponse> {
    return this.json(
      await this.call('POST', '/environments?dryRun=true', request, signal),
    );
  }

  /** Creates, or returns the existing environment of the same request; `created` tells which. */
  async create(
    request: CreateEnvironmentRequest,
    signal?: AbortSignal,
  ): Promise<{ environment: Environment; created: boolean }> {
    const response = await this.call('POST', '/environments', request, signal);
    const environment = await this.json<Environment>(response);
    return {
      environment,
      created: response.status === 201 || response.status === 202,
    };
  }

  /** The environment, or undefined when there is none (or the caller may not see it). */
  async get(
    name: string,
    signal?: AbortSignal,
  ): Promise<Environment | undefined> {
    const response = await this.call(
      'GET',
      `/environments/${encodeURIComponent(name)}`,
      undefined,
      signal,
    );
    if (response.status === 404) return undefined;
    return this.json(response);
  }

  /** Starts destroying; undefined when there is no such environment. */
  async destroy(
    name: string,
    signal?: AbortSignal,
  ): Promise<Environment | undefined> {
    const response = await this.call(
      'DELETE',
      `/environments/${encodeURIComponent(name)}`,
      undefined,
      signal,
    );
    if (response.status === 404) return undefined;
    return this.json(response);
  }

  async events(
    name: string,
    after: number | undefined,
    signal?: AbortSignal,
  ): Promise<EnvironmentEventWithId[]> {
    const query = after === undefined ? '' : `?after=${after}`;
    const body = await this.json<{ items: EnvironmentEventWithId[] }>(
      await this.call(
        'GET',
        `/environments/${encodeURIComponent(name)}/events${query}`,
        undefined,
        signal,
      ),
    );
    return body.items;
  }
}

/**
 * Capabilities by component, as an action outputs them: secret capabilities
 * stay references (`{ secretRef }`), which is all the API ever returns; any
 * other object-valued capability is dropped, so nothing unexpected leaks.
 */
export function publicCapabilities(
  env: Environment,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const c of env.components) {
    const caps: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c.capabilities)) {
      if (isSecretReference(v)) caps[k] = { secretRef: v.secretRef };
      else if (v === null || typeof v !== 'object' || Array.isArray(v))
        caps[k] = v;
    }
    out[c.key] = caps;
  }
  return out;
}

export const TERMINAL = new Set(['ready', 'failed', 'destroyed']);

const LOG_LEVEL: Record<string, 'info' | 'warn' | 'error'> = {
  info: 'info',
  warning: 'warn',
  error: 'error',
};

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/**
 * Follows an environment until it reaches one of `until`, writing each new
 * engine event to the task log (per-component progress). Bounded by the
 * timeout; honours the task's abort signal.
 */
export async function follow(options: {
  api: EnvironmentApi;
  name: string;
  until: (env: Environment) => boolean;
  log: (line: string, level: 'info' | 'warn' | 'error') => void;
  timeoutMs: number;
  pollMs?: number;
  signal?: AbortSignal;
  afterEvent?: number;
}): Promise<Environment | undefined> {
  const { api, name, log } = options;
  const deadline = Date.now() + options.timeoutMs;
  let after = options.afterEvent;
  for (;;) {
    // The state first, then the events: every event up to that state gets logged.
    const env = await api.get(name, options.signal);
    const events = await api
      .events(name, after, options.signal)
      .catch(error => {
        if (
          (error as { response?: { status?: number } }).response?.status === 404
        )
          return [];
        throw error;
      });
    for (const e of events) {
      after = e.id;
      const line = `${e.component ? `[${e.component}] ` : ''}${e.message}`;
      log(line, LOG_LEVEL[e.level] ?? 'info');
    }
    if (!env || options.until(env)) return env;
    if (Date.now() > deadline) {
      throw new Error(
        `Environment ${name} is still ${env.status} after ${Math.round(
          options.timeoutMs / 60000,
        )} minutes; ` +
          `it keeps going in the background (GET /api/multicluster/environments/${name})`,
      );
    }
    await sleep(options.pollMs ?? 1000, options.signal);
  }
}
