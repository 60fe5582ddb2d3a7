/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { type EmulatedCluster, startCluster } from '@archipelago/kube-emulator';
import {
  type ComponentClusterAccess,
  type ComponentContext,
  type ComponentCreateResult,
  type ComponentDriftReport,
  type ComponentDriver,
  type ComponentStatus,
  type ComponentUpdateContext,
  type ExistingComponentContext,
  parseDriverInputs,
  quantityInput,
} from '@archipelago/multicluster-node';
import { EMULATED_CLUSTER_NODES_KEY } from '../config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/** The inputs, with the node count bounded by `multicluster.limits.emulatedClusterNodes`. */
const inputsSchemaFor = (maxNodes: number) =>
  z
    .object({
      nodes: z
        .number({ invalid_type_error: 'must be a whole number' })
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .max(
          maxNodes,
          `must be at most ${maxNodes} (the limit ${EMULATED_CLUSTER_NODES_KEY})`,
        )
        .default(1),
      version: z
        .string()
        .regex(
          /^v\d+\.\d+\.\d+$/,
          'must be a Kubernetes version such as v1.31.4',
        )
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

/** The node label naming the environment's network, when it can be a label value. */
const networkLabels = (network?: string): Record<string, string> =>
  network && LABEL_VALUE.test(network) && network.length <= 63
    ? { 'archipelago.dev/network': network }
    : {};

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
  /** The node pool resizes in place, as a managed node group does; a new version replaces the cluster. */
  readonly updates = {
    inPlace: { nodes: [], nodeCpu: [], nodeMemory: [], network: [] },
  };
  private readonly clusters = new Map<string, Promise<EmulatedCluster>>();
  private readonly inputsSchema: ReturnType<typeof inputsSchemaFor>;

  constructor(
    private readonly dataDir: string,
    private readonly logger: LoggerService,
    options: { maxNodes?: number } = {},
  ) {
    this.inputsSchema = inputsSchemaFor(options.maxNodes ?? 10);
  }

  /** Throws, naming the input and what is allowed, when inputs are invalid. */
  validateInputs(inputs: Record<string, unknown>): void {
    parseDriverInputs(this.id, this.inputsSchema.partial(), inputs);
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
      const inputs = parseDriverInputs(this.id, this.inputsSchema, rawInputs);
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
            labels: networkLabels(inputs.network),
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

  /** Resizes the node pool of the running cluster (and relabels it for a new network). */
  async update(ctx: ComponentUpdateContext): Promise<ComponentCreateResult> {
    const inputs = parseDriverInputs(this.id, this.inputsSchema, ctx.inputs);
    const port =
      typeof ctx.state?.port === 'number' ? ctx.state.port : undefined;
    const cluster = await this.ensure(ctx.resourceName, ctx.inputs, port);
    await cluster.resizeNodes({
      nodes: inputs.nodes,
      cpu: inputs.nodeCpu,
      memory: inputs.nodeMemory,
      labels: networkLabels(inputs.network),
    });
    this.logger.info(
      `Emulated cluster ${ctx.resourceName} resized to ${inputs.nodes} nodes of ${inputs.nodeCpu} CPU, ${inputs.nodeMemory}`,
    );
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

  /** What differs from the recorded state, or undefined when the component matches. */
  async checkDrift(
    ctx: ExistingComponentContext,
  ): Promise<ComponentDriftReport | undefined> {
    const running = this.clusters.get(ctx.resourceName);
    if (!running && !(await exists(this.fileOf(ctx.resourceName)))) {
      return {
        summary: 'the emulated cluster and its persistence file are gone',
        differences: [
          {
            resource: `cluster ${ctx.resourceName}`,
            expected: 'exists',
            actual: 'missing',
          },
        ],
      };
    }
    if (running) {
      const c = await running;
      if (!c.running)
        return {
          summary: 'the emulated cluster is stopped',
          differences: [
            {
              resource: `cluster ${ctx.resourceName}`,
              expected: 'running',
              actual: 'stopped',
            },
          ],
        };
      if (ctx.capabilities.endpoint && c.url !== ctx.capabilities.endpoint) {
        return {
          summary: `the cluster serves at ${c.url}, not ${String(
            ctx.capabilities.endpoint,
          )}`,
          differences: [
            {
              field: 'endpoint',
              expected: String(ctx.capabilities.endpoint),
              actual: c.url,
            },
          ],
        };
      }
      const wanted = parseDriverInputs(
        this.id,
        this.inputsSchema,
        ctx.inputs,
      ).nodes;
      const nodes = c.store.list('nodes').length;
      if (nodes !== wanted) {
        return {
          summary: `the cluster has ${nodes} nodes, not ${wanted}`,
          differences: [
            { field: 'nodes', expected: String(wanted), actual: String(nodes) },
          ],
        };
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
    // One identity per role, never the admin token: the prober probes, the
    // Kubernetes plugin views, the environment's owner deploys through the portal.
    const { probe, view, deploy } = cluster.tokens;
    const bearer = (token: string) => async () =>
      ({ type: 'bearer', token } as const);
    return {
      url: cluster.url,
      caData: cluster.caData,
      credentials: bearer(probe),
      roleCredentials: {
        probe: bearer(probe),
        view: bearer(view),
        deploy: bearer(deploy),
      },
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
