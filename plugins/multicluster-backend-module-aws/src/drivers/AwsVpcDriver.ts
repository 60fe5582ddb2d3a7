/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeAvailabilityZonesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type Subnet,
} from '@aws-sdk/client-ec2';
import type {
  ComponentContext,
  ComponentCreateResult,
  ComponentDriver,
  ComponentStatus,
  ExistingComponentContext,
} from '@archipelago/multicluster-node';
import { z } from 'zod';
import {
  type AwsClients,
  RESOURCE_TAG,
  awsTags,
  isNotFound,
  parseInputs,
  splitCidr,
} from './common';

const inputsSchema = z
  .object({
    cidr: z
      .string()
      .regex(
        /^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-4])$/,
        'must be an IPv4 CIDR from /16 to /24, e.g. 10.20.0.0/16',
      )
      .default('10.20.0.0/16'),
    availabilityZones: z
      .number()
      .int()
      .min(1, 'must be a whole number between 1 and 6')
      .max(6, 'must be a whole number between 1 and 6')
      .default(2),
  })
  .strict();

/**
 * `aws-vpc`: a VPC with one private subnet per availability zone. Every
 * resource is tagged `archipelago.dev/resource` with its deterministic name:
 * create looks the tag up before creating (so a resumed create adopts what
 * an interrupted one made), delete finds everything by it.
 */
export class AwsVpcDriver implements ComponentDriver {
  readonly id = 'aws-vpc';
  readonly kind = 'network' as const;
  readonly cloud = 'aws';
  readonly description =
    'An AWS VPC with a private subnet per availability zone';
  readonly contracts = { provides: 'aws/v1' };

  constructor(private readonly aws: AwsClients) {}

  validateInputs(inputs: Record<string, unknown>): void {
    parseInputs(this.id, inputsSchema.partial(), inputs);
  }

  private async findVpc(resourceName: string): Promise<string | undefined> {
    const out = await this.aws.ec2.send(
      new DescribeVpcsCommand({
        Filters: [{ Name: `tag:${RESOURCE_TAG}`, Values: [resourceName] }],
      }),
    );
    return out.Vpcs?.[0]?.VpcId;
  }

  private async subnetsOf(vpcId: string): Promise<Subnet[]> {
    const out = await this.aws.ec2.send(
      new DescribeSubnetsCommand({
        Filters: [{ Name: 'vpc-id', Values: [vpcId] }],
      }),
    );
    return out.Subnets ?? [];
  }

  async create(ctx: ComponentContext): Promise<ComponentCreateResult> {
    const inputs = parseInputs(this.id, inputsSchema, ctx.inputs);
    let vpcId = await this.findVpc(ctx.resourceName);
    if (!vpcId) {
      const created = await this.aws.ec2.send(
        new CreateVpcCommand({
          CidrBlock: inputs.cidr,
          TagSpecifications: [
            {
              ResourceType: 'vpc',
              Tags: awsTags(
                { ...ctx.tags, Name: ctx.resourceName },
                ctx.resourceName,
              ),
            },
          ],
        }),
        { abortSignal: ctx.signal },
      );
      vpcId = created.Vpc!.VpcId!;
      ctx.logger.info(`Created VPC ${vpcId}`);
    }
    const zones =
      (
        await this.aws.ec2.send(
          new DescribeAvailabilityZonesCommand({
            Filters: [{ Name: 'state', Values: ['available'] }],
          }),
        )
      ).AvailabilityZones?.map(zone => zone.ZoneName!) ?? [];
    if (zones.length < inputs.availabilityZones) {
      throw new Error(
        `availabilityZones: ${this.aws.region} has ${zones.length} available zones, fewer than ${inputs.availabilityZones}`,
      );
    }
    const blocks = splitCidr(inputs.cidr, inputs.availabilityZones);
    const existing = await this.subnetsOf(vpcId);
    const subnetIds: string[] = [];
    for (let i = 0; i < inputs.availabilityZones; i++) {
      const name = `${ctx.resourceName}-${zones[i]}`;
      const found = existing.find(s =>
        s.Tags?.some(t => t.Key === RESOURCE_TAG && t.Value === name),
      );
      if (found) {
        subnetIds.push(found.SubnetId!);
        continue;
      }
      const created = await this.aws.ec2.send(
        new CreateSubnetCommand({
          VpcId: vpcId,
          CidrBlock: blocks[i],
          AvailabilityZone: zones[i],
          TagSpecifications: [
            {
              ResourceType: 'subnet',
              Tags: awsTags({ ...ctx.tags, Name: name }, name),
            },
          ],
        }),
        { abortSignal: ctx.signal },
      );
      subnetIds.push(created.Subnet!.SubnetId!);
    }
    return {
      capabilities: {
        network_id: vpcId,
        subnet_ids: subnetIds,
        region: this.aws.region,
      },
      state: { vpcId, subnetIds },
    };
  }

  async delete(
    ctx: ComponentContext & { state?: Record<string, unknown> },
  ): Promise<void> {
    const vpcId =
      (await this.findVpc(ctx.resourceName)) ??
      (typeof ctx.state?.vpcId === 'string' ? ctx.state.vpcId : undefined);
    if (!vpcId) return;
    try {
      for (const s of await this.subnetsOf(vpcId)) {
        await this.aws.ec2
          .send(new DeleteSubnetCommand({ SubnetId: s.SubnetId }), {
            abortSignal: ctx.signal,
          })
          .catch(e => {
            if (!isNotFound(e)) throw e;
          });
      }
      await this.aws.ec2.send(new DeleteVpcCommand({ VpcId: vpcId }), {
        abortSignal: ctx.signal,
      });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  async status(ctx: ComponentContext): Promise<ComponentStatus> {
    const vpcId = await this.findVpc(ctx.resourceName);
    return vpcId
      ? { state: 'active', message: vpcId }
      : { state: 'missing', message: `no VPC tagged ${ctx.resourceName}` };
  }

  async checkDrift(ctx: ExistingComponentContext): Promise<string | undefined> {
    const vpcId = await this.findVpc(ctx.resourceName);
    if (!vpcId)
      return `the VPC ${String(ctx.capabilities.network_id)} no longer exists`;
    const have = new Set((await this.subnetsOf(vpcId)).map(s => s.SubnetId));
    const missing = ((ctx.capabilities.subnet_ids as string[]) ?? []).filter(
      id => !have.has(id),
    );
    return missing.length
      ? `subnets ${missing.join(', ')} no longer exist`
      : undefined;
  }
}
