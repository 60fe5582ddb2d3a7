/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ComponentKind } from '@archipelago/multicluster-common';
import type {
  ComponentContext,
  ComponentCreateResult,
  ComponentDriver,
  ComponentDriverContracts,
  ComponentStatus,
  ExistingComponentContext,
} from '@archipelago/multicluster-node';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { LoggerService } from '@backstage/backend-plugin-api';
import knexFactory, { type Knex } from 'knex';

/** A fresh SQLite database with the plugin's migrations applied. */
export async function migratedDatabase(file = ':memory:'): Promise<Knex> {
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
  });
  await db.migrate.latest({
    directory: resolvePackagePath(
      '@archipelago/multicluster-backend',
      'migrations',
    ),
  });
  return db;
}

/** A logger that keeps every line (message and fields), for secret scans. */
export function capturingLogger(
  lines: string[] = [],
): LoggerService & { lines: string[] } {
  const make = (fields: Record<string, unknown>): LoggerService => {
    const write =
      (level: string) =>
      (message: string, meta?: Error | Record<string, unknown>) => {
        lines.push(
          `${level} ${message} ${JSON.stringify({
            ...fields,
            ...(meta instanceof Error ? { error: meta.message } : meta),
          })}`,
        );
      };
    return {
      error: write('error'),
      warn: write('warn'),
      info: write('info'),
      debug: write('debug'),
      child: (more: Record<string, unknown>) => make({ ...fields, ...more }),
    };
  };
  return Object.assign(make({}), { lines });
}

/**
 * A driver whose "cloud" is a Set of resource names: tests can see exactly
 * what exists, inject failures and delays, and count calls.
 */
export class FakeDriver implements ComponentDriver {
  readonly resources = new Map<
    string,
    { inputs: Record<string, unknown>; createdAt: number }
  >();
  readonly calls: Array<{
    op: 'create' | 'delete';
    resourceName: string;
    at: number;
  }> = [];
  /** Fail the next create calls with this message (decremented per call). */
  failCreates: Array<string> = [];
  failDeletes: Array<string> = [];
  /** ms each create takes. */
  createDelayMs = 0;
  /** Called inside create before it finishes; lets tests stop the world mid-create. */
  onCreate?: (ctx: ComponentContext) => Promise<void> | void;
  readonly description: string;

  constructor(
    readonly id: string,
    readonly kind: ComponentKind,
    readonly cloud = 'local',
    readonly contracts?: ComponentDriverContracts,
    private readonly capabilitiesFor: (
      ctx: ComponentContext,
    ) => Record<string, unknown> = defaultCapabilities(kind),
  ) {
    this.description = `fake ${kind}`;
  }

  validateInputs(inputs: Record<string, unknown>): void {
    if ('size' in inputs && !['s', 'm', 'l'].includes(String(inputs.size))) {
      throw new Error(
        `size must be one of s, m, l (got "${String(inputs.size)}")`,
      );
    }
  }

  async create(ctx: ComponentContext): Promise<ComponentCreateResult> {
    this.calls.push({
      op: 'create',
      resourceName: ctx.resourceName,
      at: Date.now(),
    });
    if (this.createDelayMs) await sleep(this.createDelayMs, ctx.signal);
    await this.onCreate?.(ctx);
    const failure = this.failCreates.shift();
    if (failure) throw new Error(failure);
    if (!this.resources.has(ctx.resourceName)) {
      this.resources.set(ctx.resourceName, {
        inputs: ctx.inputs,
        createdAt: Date.now(),
      });
    }
    return {
      capabilities: this.capabilitiesFor(ctx),
      state: { id: `fake-${ctx.resourceName}` },
    };
  }

  async delete(
    ctx: ComponentContext & { state?: Record<string, unknown> },
  ): Promise<void> {
    this.calls.push({
      op: 'delete',
      resourceName: ctx.resourceName,
      at: Date.now(),
    });
    const failure = this.failDeletes.shift();
    if (failure) throw new Error(failure);
    this.resources.delete(ctx.resourceName);
  }

  async status(ctx: ComponentContext): Promise<ComponentStatus> {
    return this.resources.has(ctx.resourceName)
      ? { state: 'active' }
      : { state: 'missing', message: 'gone' };
  }

  async checkDrift(ctx: ExistingComponentContext): Promise<string | undefined> {
    return this.resources.has(ctx.resourceName)
      ? undefined
      : `${ctx.resourceName} no longer exists`;
  }
}

export function defaultCapabilities(
  kind: ComponentKind,
): (ctx: ComponentContext) => Record<string, unknown> {
  return ctx => {
    switch (kind) {
      case 'network':
        return {
          network_id: `net-${ctx.resourceName}`,
          subnet_ids: [`${ctx.resourceName}-a`, `${ctx.resourceName}-b`],
          region: 'local',
        };
      case 'kubernetes':
        return {
          endpoint: `https://${ctx.resourceName}.example.test:6443`,
          cluster_id: ctx.resourceName,
          version: 'v1.31.4',
        };
      case 'database':
        return {
          host: 'db.example.test',
          port: 5432,
          database: ctx.resourceName.replace(/-/g, '_'),
          master_username: 'app',
          master_password: `pw-${ctx.resourceName}-s3cr3t-value`,
        };
      default:
        return {
          bucket_url: `https://s3.example.test/${ctx.resourceName}`,
          bucket: ctx.resourceName,
          region: 'local',
        };
    }
  };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
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
}

/** Polls until the predicate holds; throws after the timeout. */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 20_000, intervalMs = 25, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export const TEST_SECRET_KEY = 'test-only-key-0123456789abcdef0123456789abcdef';

/** Config with fake-driver templates, for engine tests. */
export function fakeEnvironmentsConfig(extra: Record<string, unknown> = {}) {
  return {
    multicluster: {
      environments: {
        defaults: false,
        secretKey: TEST_SECRET_KEY,
        leaseSeconds: 2,
        templates: {
          net: { kind: 'network', driver: 'fake-network' },
          cluster: {
            kind: 'kubernetes',
            driver: 'fake-kubernetes',
            inputs: {
              subnets: '${{ components.network.subnet_ids }}',
              size: 's',
            },
          },
          db: {
            kind: 'database',
            driver: 'fake-database',
            inputs: { subnets: '${{ components.network.subnet_ids }}' },
          },
          bucket: { kind: 'objectStore', driver: 'fake-objectStore' },
        },
        types: {
          small: {
            title: 'Small',
            clouds: {
              local: {
                network: { template: 'net' },
                kubernetes: { template: 'cluster' },
                database: { template: 'db' },
                objectStore: { template: 'bucket' },
              },
            },
          },
        },
        ...extra,
      },
    },
  };
}

export function fakeDrivers() {
  return {
    network: new FakeDriver('fake-network', 'network'),
    kubernetes: new FakeDriver('fake-kubernetes', 'kubernetes'),
    database: new FakeDriver('fake-database', 'database'),
    objectStore: new FakeDriver('fake-objectStore', 'objectStore'),
  };
}
