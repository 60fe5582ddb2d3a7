/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { type EmulatedCluster, startCluster } from '@archipelago/kube-emulator';
import {
  type ComponentClusterAccess,
  type ComponentContext,
  type ComponentCreateResult,
  type ComponentDriver,
  type ComponentStatus,
  type ExistingComponentContext,
  intBetween,
  parseDriverInputs,
  quantityInput,
} from '@archipelago/multicluster-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

const inputsSchema = z
  .object({
    nodes: intBetween('nodes', 1, 50).default(1),
    version: z
      .string()
      .regex(/^v\d+\.\d+\.\d+$/, 'must be a Kubernetes version such as v1.31.4')
      .default('v1.31.4'),
    nodeCpu: quantityInput.default('4'),
    nodeMemory: quantityInput.default('16Gi'),
    /** Network id, put on the nodes as a label. */
    network: z.string().min(1).optional(),
  })
  .strict();

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * `emulator-cluster`: a new emulated Kubernetes API server per environment
 * (see `@archipelago/kube-emulator`), named after the component's resource
 * name and persisted under `<dataDir>/clusters/<name>.json`. The persistence
 * file holds its CA, tokens, port and objects, so a restarted backend starts
 * the same cluster again (same URL and credentials) in `attach`.
 *
 * Runs in the backend process: meant for local development, one replica.
 * @public
 */
export class EmulatorClusterDriver implements ComponentDriver {
  /** The driver id templates name. */
  readonly id = 'emulator-cluster';
  /** The component kind it builds. */
  readonly kind = 'kubernetes' as const;
  /** The cloud it targets. */
  readonly cloud = 'local';
  /** A human line for plans and the UI. */
  readonly description =
    'An emulated Kubernetes cluster running in the backend';
  /** What it provides to, and requires from, the other components. */
  readonly contracts = { consumes: { network: ['local/v1'] } };
  private readonly clusters = new Map<string, Promise<EmulatedCluster>>();

  constructor(
    private readonly dataDir: string,
    private readonly logger: LoggerService,
  ) {}

  /** Throws, naming the input and what is allowed, when inputs are invalid. */
  validateInputs(inputs: Record<string, unknown>): void {
    parseDriverInputs(this.id, inputsSchema.partial(), inputs);
  }

  private fileOf(resourceName: string): string {
    return path.join(this.dataDir, 'clusters', `${resourceName}.json`);
  }

  /** The running cluster, started (from its persistence file if there is one) when needed. */
  private ensure(
    resourceName: string,
    rawInputs: Record<string, unknown>,
    port?: number,
  ): Promise<EmulatedCluster> {
    let running = this.clusters.get(resourceName);
    if (!running) {
      const inputs = parseDriverInputs(this.id, inputsSchema, rawInputs);
      const file = this.fileOf(resourceName);
      running = (async () => {
        await mkdir(path.dirname(file), { recursive: true });
        const fresh = !(await exists(file));
        const cluster = await startCluster({
          name: resourceName,
          ...(port ? { port } : {}),
          nodes: inputs.nodes,
          version: { gitVersion: inputs.version },
          nodeTemplate: {
            region: 'local',
            cpu: inputs.nodeCpu,
            memory: inputs.nodeMemory,
            labels:
              inputs.network &&
              LABEL_VALUE.test(inputs.network) &&
              inputs.network.length <= 63
                ? { 'archipelago.dev/network': inputs.network }
                : {},
          },
          podReadyDelayMs: 500,
          persistenceFile: file,
        });
        if (fresh) {
          // stop() writes the persistence file (identity and port) before we report
          // the cluster, so a crash right after create restarts the same cluster.
          await cluster.stop();
          await cluster.start();
        }
        this.logger.info(
          `Emulated cluster ${resourceName} serving at ${cluster.url}`,
        );
        return cluster;
      })();
      running.catch(() => this.clusters.delete(resourceName));
      this.clusters.set(resourceName, running);
    }
    return running;
  }

  /** Creates the component, or returns the existing one (idempotent on the resource name). */
  async create(ctx: ComponentContext): Promise<ComponentCreateResult> {
    const cluster = await this.ensure(ctx.resourceName, ctx.inputs);
    return {
      capabilities: {
        endpoint: cluster.url,
        cluster_id: cluster.name,
        version: cluster.options.version.gitVersion,
      },
      state: { port: cluster.port },
    };
  }

  /** Deletes the component; deleting what is gone succeeds. */
  async delete(ctx: ComponentContext): Promise<void> {
    const running = this.clusters.get(ctx.resourceName);
    this.clusters.delete(ctx.resourceName);
    if (running) {
      await running.then(
        c => c.stop(),
        () => undefined,
      );
    }
    await rm(this.fileOf(ctx.resourceName), { force: true });
  }

  /** The component's current state. */
  async status(ctx: ComponentContext): Promise<ComponentStatus> {
    if (this.clusters.has(ctx.resourceName)) {
      const c = await this.clusters.get(ctx.resourceName)!;
      return c.running
        ? { state: 'active' }
        : { state: 'stopped', message: 'the emulated cluster is stopped' };
    }
    return (await exists(this.fileOf(ctx.resourceName)))
      ? { state: 'stopped', message: 'persisted, not running in this process' }
      : {
          state: 'missing',
          message: 'the emulated cluster and its persistence file are gone',
        };
  }

  /** A description of drift, or undefined when the component matches. */
  async checkDrift(ctx: ExistingComponentContext): Promise<string | undefined> {
    const running = this.clusters.get(ctx.resourceName);
    if (!running && !(await exists(this.fileOf(ctx.resourceName)))) {
      return 'the emulated cluster and its persistence file are gone';
    }
    if (running) {
      const c = await running;
      if (!c.running) return 'the emulated cluster is stopped';
      if (ctx.capabilities.endpoint && c.url !== ctx.capabilities.endpoint) {
        return `the cluster serves at ${c.url}, not ${String(
          ctx.capabilities.endpoint,
        )}`;
      }
    }
    return undefined;
  }

  /** Starts the local process again when the backend starts; returns new capabilities when they changed. */
  async attach(
    ctx: ExistingComponentContext,
  ): Promise<{ capabilities?: Record<string, unknown> } | void> {
    if (!(await exists(this.fileOf(ctx.resourceName)))) return undefined;
    const port =
      typeof ctx.state?.port === 'number' ? ctx.state.port : undefined;
    const cluster = await this.ensure(ctx.resourceName, ctx.inputs, port);
    return cluster.url === ctx.capabilities.endpoint
      ? undefined
      : { capabilities: { endpoint: cluster.url } };
  }

  /** How the inventory reaches the cluster. */
  async clusterAccess(
    ctx: ExistingComponentContext,
  ): Promise<ComponentClusterAccess> {
    const port =
      typeof ctx.state?.port === 'number' ? ctx.state.port : undefined;
    const cluster = await this.ensure(ctx.resourceName, ctx.inputs, port);
    // The admin token: the environment's owner deploys to this cluster through the portal.
    const token = cluster.adminToken;
    return {
      url: cluster.url,
      caData: cluster.caData,
      credentials: async () => ({ type: 'bearer', token }),
      region: 'local',
      distribution: 'emulator',
      providerState: cluster.running ? 'active' : 'stopped',
    };
  }

  /** Stops what this driver runs in this process; created resources stay. */
  async shutdown(): Promise<void> {
    const all = [...this.clusters.values()];
    this.clusters.clear();
    await Promise.all(
      all.map(p =>
        p.then(
          c => c.stop(),
          () => undefined,
        ),
      ),
    );
  }
}
