/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CreateEnvironmentRequest,
  type Environment,
  type EnvironmentChangePlan,
  type EnvironmentEvent,
  type EnvironmentPlan,
  type UpdateEnvironmentRequest,
  isSecretReference,
} from '@archipelago/multicluster-common';
import type { MulticlusterService } from '@archipelago/multicluster-node';

const isNotFound = (error: unknown) =>
  (error as { statusCode?: number })?.statusCode === 404 ||
  (error as { name?: string })?.name === 'NotFoundError';

/**
 * The environment calls the actions make, through `multiclusterServiceRef`
 * with the task initiator's credentials (so the multicluster plugin's
 * permission policy applies to the user who ran the template); a missing
 * environment is `undefined` rather than an error.
 * @internal
 */
export class EnvironmentApi {
  constructor(
    private readonly multicluster: MulticlusterService,
    private readonly credentials: () => Promise<BackstageCredentials>,
  ) {}

  private async options(signal?: AbortSignal) {
    return { credentials: await this.credentials(), signal };
  }

  async plan(
    request: CreateEnvironmentRequest,
    signal?: AbortSignal,
  ): Promise<EnvironmentPlan> {
    return this.multicluster.planEnvironment(
      request,
      await this.options(signal),
    );
  }

  /** Creates, or returns the existing environment of the same request; `created` tells which. */
  async create(
    request: CreateEnvironmentRequest,
    signal?: AbortSignal,
  ): Promise<{ environment: Environment; created: boolean }> {
    const { environment, outcome } = await this.multicluster.createEnvironment(
      request,
      await this.options(signal),
    );
    return { environment, created: outcome !== 'existing' };
  }

  /** The environment, or undefined when there is none (or the caller may not see it). */
  async get(
    name: string,
    signal?: AbortSignal,
  ): Promise<Environment | undefined> {
    try {
      return await this.multicluster.getEnvironment(
        name,
        await this.options(signal),
      );
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Starts destroying; undefined when there is no such environment. */
  async destroy(
    name: string,
    signal?: AbortSignal,
  ): Promise<Environment | undefined> {
    try {
      return await this.multicluster.destroyEnvironment(
        name,
        await this.options(signal),
      );
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async planUpdate(
    name: string,
    request: UpdateEnvironmentRequest,
    signal?: AbortSignal,
  ): Promise<EnvironmentChangePlan> {
    return this.multicluster.planEnvironmentUpdate(
      name,
      request,
      await this.options(signal),
    );
  }

  /** Starts the change; answers the environment (`updating`, or as it was when nothing changes). */
  async update(
    name: string,
    request: UpdateEnvironmentRequest,
    signal?: AbortSignal,
  ): Promise<Environment> {
    return this.multicluster.updateEnvironment(
      name,
      request,
      await this.options(signal),
    );
  }

  async events(
    name: string,
    after: number | undefined,
    signal?: AbortSignal,
  ): Promise<EnvironmentEvent[]> {
    try {
      return await this.multicluster.listEnvironmentEvents(
        name,
        after === undefined ? {} : { after },
        await this.options(signal),
      );
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
  }
}

/**
 * Capabilities by component, as an action outputs them: secret capabilities
 * stay references (`{ secretRef }`), which is all the API ever returns; any
 * other object-valued capability is dropped, so nothing unexpected leaks.
 * @internal
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

/** @internal */
export const TERMINAL = new Set(['ready', 'failed', 'destroyed']);

const LOG_LEVEL: Record<string, 'info' | 'warn' | 'error'> = {
  info: 'info',
  warning: 'warn',
  error: 'error',
};

/**
 * Follows an environment until it reaches one of `until`, writing each new
 * engine event to the task log (per-component progress). Bounded by the
 * timeout; honours the task's abort signal.
 * @internal
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
    const events = await api.events(name, after, options.signal);
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
    await sleep(options.pollMs ?? 1000, undefined, { signal: options.signal });
  }
}
