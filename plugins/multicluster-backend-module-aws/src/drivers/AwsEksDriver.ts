/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type Cluster,
  CreateClusterCommand,
  CreateNodegroupCommand,
  DeleteClusterCommand,
  DeleteNodegroupCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  type Nodegroup,
} from '@aws-sdk/client-eks';
import {
  type ComponentClusterAccess,
  type ComponentContext,
  type ComponentCreateResult,
  type ComponentDriver,
  type ComponentStatus,
  type ExistingComponentContext,
  decodeCaBundle,
} from '@archipelago/multicluster-node';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { createEksCredentialsResolver } from '../eks/token';
import {
  type AwsClients,
  isNotFound,
  parseInputs,
  subnetIdsInput,
  waitUntil,
} from './common';

const inputsSchema = z
  .object({
    version: z
      .string()
      .regex(/^1\.\d{2}$/, 'must be an EKS Kubernetes version such as 1.31')
      .default('1.31'),
    subnetIds: subnetIdsInput,
    nodeInstanceType: z
      .string()
      .regex(
        /^[a-z0-9]+\.[a-z0-9]+$/,
        'must be an EC2 instance type such as t3.medium',
      )
      .default('t3.medium'),
    nodes: z
      .number()
      .int()
      .min(1, 'must be a whole number between 1 and 100')
      .max(100, 'must be a whole number between 1 and 100')
      .default(2),
  })
  .strict();

const EKS_STATES: Record<
  string,
  'active' | 'provisioning' | 'updating' | 'deleting' | 'failed'
> = {
  ACTIVE: 'active',
  CREATING: 'provisioning',
  UPDATING: 'updating',
  DELETING: 'deleting',
  FAILED: 'failed',
};

/** Idempotency tokens derived from the resource name: a resumed create repeats the same request. */
const tokenFor = (name: string) =>
  createHash('sha256').update(name).digest('hex').slice(0, 32);

/**
 * `aws-eks`: an EKS cluster and one managed node group, named after the
 * resource name. The cluster's capabilities come from DescribeCluster
 * (endpoint, name, version); the inventory reaches it with an EKS token
 * signed by the driver's credentials.
 */
export class AwsEksDriver implements ComponentDriver {
  readonly id = 'aws-eks';
  readonly kind = 'kubernetes' as const;
  readonly cloud = 'aws';
  readonly description = 'An Amazon EKS cluster with a managed node group';
  readonly contracts = { consumes: { network: ['aws/v1'] } };

  constructor(
    private readonly aws: AwsClients,
    private readonly roles: { clusterRoleArn?: string; nodeRoleArn?: string },
  ) {}

  validateInputs(inputs: Record<string, unknown>): void {
    parseInputs(this.id, inputsSchema.partial(), inputs);
    if (!this.roles.clusterRoleArn || !this.roles.nodeRoleArn) {
      throw new Error(
        'multicluster.environments.aws.clusterRoleArn and nodeRoleArn must be set for aws-eks (IAM roles of the control plane and the nodes)',
      );
    }
  }

  private nodegroupName(resourceName: string) {
    return `${resourceName}-nodes`;
  }

  private async describe(name: string): Promise<Cluster | undefined> {
    try {
      return (await this.aws.eks.send(new DescribeClusterCommand({ name })))
        .cluster;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async describeNodegroup(
    clusterName: string,
    nodegroupName: string,
  ): Promise<Nodegroup | undefined> {
    try {
      return (
        await this.aws.eks.send(
          new DescribeNodegroupCommand({ clusterName, nodegroupName }),
        )
      ).nodegroup;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async create(ctx: ComponentContext): Promise<ComponentCreateResult> {
    this.validateInputs(ctx.inputs);
    const inputs = parseInputs(this.id, inputsSchema, ctx.inputs);
    const name = ctx.resourceName;
    if (!(await this.describe(name))) {
      await this.aws.eks.send(
        new CreateClusterCommand({
          name,
          version: inputs.version,
          roleArn: this.roles.clusterRoleArn,
          resourcesVpcConfig: {
            subnetIds: inputs.subnetIds,
            endpointPublicAccess: true,
            endpointPrivateAccess: true,
          },
          tags: { ...ctx.tags, 'archipelago.dev/resource': name },
          clientRequestToken: tokenFor(name),
        }),
        { abortSignal: ctx.signal },
      );
      ctx.logger.info(`Creating EKS cluster ${name}`);
    }
    const cluster = await waitUntil(
      `EKS cluster ${name} to be ACTIVE`,
      async () => {
        const c = await this.describe(name);
        if (!c)
          throw new Error(
            `EKS cluster ${name} disappeared while it was being created`,
          );
        if (c.status === 'FAILED')
          throw new Error(`EKS cluster ${name} failed to create`);
        return c.status === 'ACTIVE' ? c : undefined;
      },
      { intervalMs: this.aws.pollIntervalMs, signal: ctx.signal },
    );
    const nodegroupName = this.nodegroupName(name);
    if (!(await this.describeNodegroup(name, nodegroupName))) {
      await this.aws.eks.send(
        new CreateNodegroupCommand({
          clusterName: name,
          nodegroupName,
          scalingConfig: {
            minSize: inputs.nodes,
            maxSize: inputs.nodes,
            desiredSize: inputs.nodes,
          },
          subnets: inputs.subnetIds,
          instanceTypes: [inputs.nodeInstanceType],
          nodeRole: this.roles.nodeRoleArn,
          tags: { ...ctx.tags, 'archipelago.dev/resource': nodegroupName },
          clientRequestToken: tokenFor(nodegroupName),
        }),
        { abortSignal: ctx.signal },
      );
    }
    await waitUntil(
      `node group ${nodegroupName} to be ACTIVE`,
      async () => {
        const ng = await this.describeNodegroup(name, nodegroupName);
        if (!ng)
          throw new Error(
            `node group ${nodegroupName} disappeared while it was being created`,
          );
        if (ng.status === 'CREATE_FAILED')
          throw new Error(`node group ${nodegroupName} failed to create`);
        return ng.status === 'ACTIVE' ? ng : undefined;
      },
      { intervalMs: this.aws.pollIntervalMs, signal: ctx.signal },
    );
    return {
      capabilities: {
        endpoint: cluster.endpoint!.replace(/\/+$/, ''),
        cluster_id: cluster.name!,
        version: cluster.version!,
      },
      state: { arn: cluster.arn, nodegroup: nodegroupName },
    };
  }

  async delete(ctx: ComponentContext): Promise<void> {
    const name = ctx.resourceName;
    const nodegroupName = this.nodegroupName(name);
    if (await this.describeNodegroup(name, nodegroupName)) {
      await this.aws.eks
        .send(
          new DeleteNodegroupCommand({ clusterName: name, nodegroupName }),
          { abortSignal: ctx.signal },
        )
        .catch(e => {
          if (!isNotFound(e)) throw e;
        });
      await waitUntil(
        `node group ${nodegroupName} to be deleted`,
        async () =>
          (await this.describeNodegroup(name, nodegroupName))
            ? undefined
            : true,
        { intervalMs: this.aws.pollIntervalMs, signal: ctx.signal },
      );
    }
    if (await this.describe(name)) {
      await this.aws.eks
        .send(new DeleteClusterCommand({ name }), { abortSignal: ctx.signal })
        .catch(e => {
          if (!isNotFound(e)) throw e;
        });
      await waitUntil(
        `EKS cluster ${name} to be deleted`,
        async () => ((await this.describe(name)) ? undefined : true),
        {
          intervalMs: this.aws.pollIntervalMs,
          signal: ctx.signal,
        },
      );
    }
  }

  async status(ctx: ComponentContext): Promise<ComponentStatus> {
    const c = await this.describe(ctx.resourceName);
    if (!c)
      return {
        state: 'missing',
        message: `no EKS cluster ${ctx.resourceName}`,
      };
    return {
      state: EKS_STATES[c.status ?? ''] ?? 'unknown',
      message: `EKS status ${c.status}`,
    };
  }

  async checkDrift(ctx: ExistingComponentContext): Promise<string | undefined> {
    const c = await this.describe(ctx.resourceName);
    if (!c) return `EKS cluster ${ctx.resourceName} no longer exists`;
    if (c.status === 'FAILED')
      return `EKS cluster ${ctx.resourceName} is FAILED`;
    if (
      !(await this.describeNodegroup(
        ctx.resourceName,
        this.nodegroupName(ctx.resourceName),
      ))
    ) {
      return `node group ${this.nodegroupName(
        ctx.resourceName,
      )} no longer exists`;
    }
    return undefined;
  }

  async clusterAccess(
    ctx: ExistingComponentContext,
  ): Promise<ComponentClusterAccess> {
    const c = await this.describe(ctx.resourceName);
    if (!c?.endpoint)
      throw new Error(`EKS cluster ${ctx.resourceName} has no endpoint`);
    return {
      url: c.endpoint.replace(/\/+$/, ''),
      caData: decodeCaBundle(c.certificateAuthority?.data),
      credentials: createEksCredentialsResolver({
        clusterId: c.name!,
        region: this.aws.region,
        credentials: this.aws.credentials,
      }),
      region: this.aws.region,
      distribution: 'eks',
      providerState: EKS_STATES[c.status ?? ''] ?? 'unknown',
    };
  }
}
