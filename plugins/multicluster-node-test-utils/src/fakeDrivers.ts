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
  ComponentDriverUpdates,
  ComponentStatus,
  ComponentUpdateContext,
  ExistingComponentContext,
} from '@archipelago/multicluster-node';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A driver whose "cloud" is a Set of resource names: tests can see exactly
 * what exists, inject failures and delays, and count calls.
 * @public
 */
export class FakeComponentDriver implements ComponentDriver {
  /** What exists in the fake cloud, by resource name. */
  readonly resources = new Map<
    string,
    { inputs: Record<string, unknown>; createdAt: number }
  >();
  /** Every create and delete, in order. */
  readonly calls: Array<{
    op: 'create' | 'delete' | 'update';
    resourceName: string;
    at: number;
    /** For updates: the inputs changed. */
    changed?: string[];
  }> = [];
  /** Fail the next create calls with this message (decremented per call). */
  failCreates: Array<string> = [];
  /** Fail the next delete calls with this message (decremented per call). */
  failDeletes: Array<string> = [];
  /** Fail the next update calls with this message (decremented per call). */
  failUpdates: Array<string> = [];
  /**
   * `size` and `subnets` change in place, `zone` never changes; any other
   * input replaces the component. Tests may reassign it.
   */
  updates: ComponentDriverUpdates = {
    inPlace: { size: [], subnets: [] },
    immutable: ['zone'],
  };
  /** ms each create takes. */
  createDelayMs = 0;
  /** Called inside create before it finishes; lets tests stop the world mid-create. */
  onCreate?: (ctx: ComponentContext) => Promise<void> | void;
  /** Shown in the driver list. */
  readonly description: string;

  constructor(
    /** The driver id templates name. */
    readonly id: string,
    /** The component kind it builds. */
    readonly kind: ComponentKind,
    /** The cloud it belongs to (default `local`). */
    readonly cloud = 'local',
    /** What it provides and requires, if anything. */
    readonly contracts?: ComponentDriverContracts,
    private readonly capabilitiesFor: (
      ctx: ComponentContext,
    ) => Record<string, unknown> = defaultCapabilities(kind),
  ) {
    this.description = `fake ${kind}`;
  }

  /** Accepts any inputs; a `size` must be s, m or l. */
  validateInputs(inputs: Record<string, unknown>): void {
    if ('size' in inputs && !['s', 'm', 'l'].includes(String(inputs.size))) {
      throw new Error(
        `size must be one of s, m, l (got "${String(inputs.size)}")`,
      );
    }
  }

  /** Records the resource (after `createDelayMs`), or fails as `failCreates` says. */
  async create(ctx: ComponentContext): Promise<ComponentCreateResult> {
    this.calls.push({
      op: 'create',
      resourceName: ctx.resourceName,
      at: Date.now(),
    });
    if (this.createDelayMs)
      await sleep(this.createDelayMs, undefined, { signal: ctx.signal });
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

  /** Records the call, then updates the resource's inputs, or fails as `failUpdates` says. */
  async update(ctx: ComponentUpdateContext): Promise<ComponentCreateResult> {
    this.calls.push({
      op: 'update',
      resourceName: ctx.resourceName,
      at: Date.now(),
      changed: ctx.changedInputs,
    });
    const failure = this.failUpdates.shift();
    if (failure) throw new Error(failure);
    const existing = this.resources.get(ctx.resourceName);
    if (!existing) throw new Error(`${ctx.resourceName} does not exist`);
    existing.inputs = ctx.inputs;
    return {
      capabilities: this.capabilitiesFor(ctx),
      state: { id: `fake-${ctx.resourceName}` },
    };
  }

  /** A database with `dedicated: true` counts as a server of its own. */
  dedicatedServer(inputs: Record<string, unknown>): boolean {
    return this.kind === 'database' && inputs.dedicated === true;
  }

  /** Removes the resource, or fails as `failDeletes` says. */
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

  /** `active` while the resource exists. */
  async status(ctx: ComponentContext): Promise<ComponentStatus> {
    return this.resources.has(ctx.resourceName)
      ? { state: 'active' }
      : { state: 'missing', message: 'gone' };
  }

  /** Drift when the resource no longer exists. */
  async checkDrift(ctx: ExistingComponentContext): Promise<string | undefined> {
    return this.resources.has(ctx.resourceName)
      ? undefined
      : `${ctx.resourceName} no longer exists`;
  }
}

/** Capabilities that satisfy the kind's contract, named after the resource. @public */
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

/** A secret key for `multicluster.environments.secretKey` in tests (never in a real portal). @public */
export const FAKE_SECRET_KEY = 'test-only-key-0123456789abcdef0123456789abcdef';

/**
 * Root config whose `multicluster.environments` has one type, `small`, on
 * `local`, built from the fake drivers' templates (no contributed defaults).
 * @public
 */
export function fakeEnvironmentsConfig(extra: Record<string, unknown> = {}) {
  return {
    multicluster: {
      environments: {
        defaults: false,
        secretKey: FAKE_SECRET_KEY,
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

/** One fake driver per kind: `fake-network`, `fake-kubernetes`, `fake-database`, `fake-objectStore`. @public */
export function fakeComponentDrivers() {
  return {
    network: new FakeComponentDriver('fake-network', 'network'),
    kubernetes: new FakeComponentDriver('fake-kubernetes', 'kubernetes'),
    database: new FakeComponentDriver('fake-database', 'database'),
    objectStore: new FakeComponentDriver('fake-objectStore', 'objectStore'),
  };
}
