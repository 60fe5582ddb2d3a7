/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type ComponentClusterAccess,
  type ComponentContext,
  type ComponentCreateResult,
  type ComponentDriftReport,
  type ComponentDriver,
  type ComponentStatus,
  type ComponentUpdateContext,
  type ExistingComponentContext,
  decodeCaBundle,
  intBetween,
  parseDriverInputs,
} from '@archipelago/multicluster-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { createGoogleTokenResolver } from '../credentials';
import { gkeStatusName } from '../state';
import { type GcpApi, gcpLabels } from './gcpApi';

const inputsSchema = z
  .object({
    nodes: intBetween('nodes', 1, 100).default(3),
    machineType: z
      .string()
      .regex(
        /^[a-z0-9]+-[a-z0-9-]+$/,
        'must be a machine type such as e2-standard-4',
      )
      .default('e2-standard-4'),
    version: z
      .string()
      .regex(
        /^\d+\.\d+(\.\d+(-gke\.\d+)?)?$/,
        'must be a GKE version such as 1.31',
      )
      .default('1.31'),
    network: z.string().min(1).optional(),
    subnets: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();

/** gRPC codes the REST transport reports. */
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const codeOf = (e: unknown) => (e as { code?: number })?.code;

/**
 * `gcp-gke`: a regional GKE cluster with one node pool, in the network's
 * subnet, through `@google-cloud/container`. The node pool resizes in place;
 * the cluster is reached with the backend's Google identity.
 * @public
 */
export class GcpGkeDriver implements ComponentDriver {
  /** The driver id templates name. */
  readonly id = 'gcp-gke';
  /** The kind of component it makes. */
  readonly kind = 'kubernetes' as const;
  /** The cloud it creates in. */
  readonly cloud = 'gcp';
  /** What it makes, for people. */
  readonly description = 'A regional GKE cluster with one node pool';
  /** The capabilities it promises, per contract. */
  readonly contracts = { consumes: { network: ['gcp/v1'] } };
  /** Which inputs change in place and which never change. */
  readonly updates = { inPlace: { nodes: [] } };
  private readonly credentials;

  constructor(private readonly api: GcpApi) {
    this.credentials = createGoogleTokenResolver(api.auth);
  }

  /** Refuses bad inputs, naming the field. */
  validateInputs(inputs: Record<string, unknown>): void {
    parseDriverInputs(this.id, inputsSchema.partial(), inputs);
  }

  private name(resourceName: string) {
    return `projects/${this.api.project}/locations/${this.api.region}/clusters/${resourceName}`;
  }

  private async get(resourceName: string) {
    try {
      const [cluster] = await this.api.container.getCluster({
        name: this.name(resourceName),
      });
      return cluster;
    } catch (error) {
      if (codeOf(error) === NOT_FOUND) return undefined;
      throw error;
    }
  }

  /** Waits until the cluster is RUNNING (or fails, naming GKE's status message). */
  private async running(resourceName: string, signal?: AbortSignal) {
    for (;;) {
      const cluster = await this.get(resourceName);
      if (!cluster)
        throw new Error(
          `GKE cluster ${resourceName} disappeared while it was being created`,
        );
      const status = gkeStatusName(cluster.status as string | number);
      if (status === 'RUNNING') return cluster;
      if (status === 'ERROR' || status === 'DEGRADED')
        throw new Error(
          `GKE cluster ${resourceName} is ${status}: ${
            cluster.statusMessage ?? 'no message'
          }`,
        );
      await sleep(this.api.pollMs, undefined, { signal });
    }
  }

  private result(
    cluster: Awaited<ReturnType<GcpGkeDriver['running']>>,
  ): ComponentCreateResult {
    return {
      capabilities: {
        endpoint: `https://${cluster.endpoint}`,
        cluster_id: cluster.name!,
        version: cluster.currentMasterVersion ?? 'unknown',
      },
      state: { location: cluster.location ?? this.api.region },
    };
  }

  /** Creates the component, or returns the existing one (idempotent on the resource name). */
  async create(ctx: ComponentContext): Promise<ComponentCreateResult> {
    const inputs = parseDriverInputs(this.id, inputsSchema, ctx.inputs);
    if (!(await this.get(ctx.resourceName))) {
      try {
        await this.api.container.createCluster({
          parent: `projects/${this.api.project}/locations/${this.api.region}`,
          cluster: {
            name: ctx.resourceName,
            initialClusterVersion: inputs.version,
            network: inputs.network,
            subnetwork: inputs.subnets?.[0],
            resourceLabels: gcpLabels(ctx.tags),
            nodePools: [
              {
                name: 'default',
                initialNodeCount: inputs.nodes,
                config: {
                  machineType: inputs.machineType,
                  labels: gcpLabels(ctx.tags),
                },
              },
            ],
          },
        });
      } catch (error) {
        if (codeOf(error) !== ALREADY_EXISTS) throw error;
      }
    }
    return this.result(await this.running(ctx.resourceName, ctx.signal));
  }

  /** Resizes the node pool. */
  async update(ctx: ComponentUpdateContext): Promise<ComponentCreateResult> {
    const inputs = parseDriverInputs(this.id, inputsSchema, ctx.inputs);
    await this.api.container.setNodePoolSize({
      name: `${this.name(ctx.resourceName)}/nodePools/default`,
      nodeCount: inputs.nodes,
    });
    return this.result(await this.running(ctx.resourceName, ctx.signal));
  }

  /** Deletes the component; deleting what is gone succeeds. */
  async delete(ctx: ComponentContext): Promise<void> {
    try {
      await this.api.container.deleteCluster({
        name: this.name(ctx.resourceName),
      });
    } catch (error) {
      if (codeOf(error) === NOT_FOUND) return;
      throw error;
    }
    for (;;) {
      if (!(await this.get(ctx.resourceName))) return;
      await sleep(this.api.pollMs, undefined, { signal: ctx.signal });
    }
  }

  /** The component's current state. */
  async status(ctx: ComponentContext): Promise<ComponentStatus> {
    const cluster = await this.get(ctx.resourceName);
    if (!cluster)
      return {
        state: 'missing',
        message: `GKE cluster ${ctx.resourceName} is gone`,
      };
    const status = gkeStatusName(cluster.status as string | number);
    return status === 'RUNNING'
      ? { state: 'active' }
      : { state: 'provisioning', message: status };
  }

  /** What differs from the recorded state, or undefined when the component matches. */
  async checkDrift(
    ctx: ExistingComponentContext,
  ): Promise<ComponentDriftReport | undefined> {
    const cluster = await this.get(ctx.resourceName);
    if (!cluster)
      return {
        summary: `GKE cluster ${ctx.resourceName} is gone`,
        differences: [
          {
            resource: `cluster ${ctx.resourceName}`,
            expected: 'exists',
            actual: 'missing',
          },
        ],
      };
    const wanted = parseDriverInputs(this.id, inputsSchema, ctx.inputs).nodes;
    const pool = cluster.nodePools?.find(p => p.name === 'default');
    const nodes = pool?.initialNodeCount ?? undefined;
    if (nodes !== undefined && nodes !== null && nodes !== wanted)
      return {
        summary: `the node pool has ${nodes} nodes, not ${wanted}`,
        differences: [
          { field: 'nodes', expected: String(wanted), actual: String(nodes) },
        ],
      };
    return undefined;
  }

  /** How the inventory and the deploy reach the created cluster. */
  async clusterAccess(
    ctx: ExistingComponentContext,
  ): Promise<ComponentClusterAccess> {
    const cluster = await this.get(ctx.resourceName);
    return {
      url: String(ctx.capabilities.endpoint),
      caData: decodeCaBundle(
        cluster?.masterAuth?.clusterCaCertificate ?? undefined,
      ),
      credentials: this.credentials,
      region: this.api.region,
      distribution: 'gke',
      ...(cluster ? { providerState: 'active' as const } : {}),
    };
  }
}
