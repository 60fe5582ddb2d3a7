/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  ComponentContext,
  ComponentCreateResult,
  ComponentDriver,
  ComponentStatus,
  ExistingComponentContext,
} from '@archipelago/multicluster-node';
import { z } from 'zod';
import {
  type AzureClients,
  POSTGRES_SUBNET,
  azureTags,
  isNotFound,
  parseInputs,
  splitCidr,
} from './common';

const inputsSchema = z
  .object({
    addressSpace: z
      .string()
      .regex(
        /^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-4])$/,
        'must be an IPv4 CIDR from /16 to /24, e.g. 10.40.0.0/16',
      )
      .default('10.40.0.0/16'),
    subnets: z
      .number()
      .int()
      .min(1, 'must be a whole number between 1 and 7')
      .max(7, 'must be a whole number between 1 and 7')
      .default(1),
  })
  .strict();

/**
 * `azure-network`: a resource group of its own (named after the resource
 * name) holding a VNet with `subnets` workload subnets and one subnet
 * delegated to PostgreSQL flexible servers. Everything else of the
 * environment goes into this resource group, so deleting it (the network is
 * deleted last) removes anything a failed step left behind.
 */
export class AzureNetworkDriver implements ComponentDriver {
  readonly id = 'azure-network';
  readonly kind = 'network' as const;
  readonly cloud = 'azure';
  readonly description = 'An Azure resource group and VNet with subnets';
  readonly contracts = { provides: 'azure/v1' };

  constructor(private readonly azure: AzureClients) {}

  validateInputs(inputs: Record<string, unknown>): void {
    parseInputs(this.id, inputsSchema.partial(), inputs);
  }

  private vnetName(resourceName: string) {
    return `${resourceName}-vnet`;
  }

  async create(ctx: ComponentContext): Promise<ComponentCreateResult> {
    const inputs = parseInputs(this.id, inputsSchema, ctx.inputs);
    const group = ctx.resourceName;
    const tags = azureTags(ctx.tags, ctx.resourceName);
    await this.azure.resources.resourceGroups.createOrUpdate(group, {
      location: this.azure.location,
      tags,
    });
    // One block more than asked for: the last one is PostgreSQL's delegated subnet.
    const blocks = splitCidr(inputs.addressSpace, inputs.subnets + 1);
    const names = [
      ...Array.from({ length: inputs.subnets }, (_, i) => `workload-${i + 1}`),
      POSTGRES_SUBNET,
    ];
    // PUT is idempotent: a resumed create sends the same VNet again.
    const vnet = await this.azure.network.virtualNetworks.createOrUpdate(
      group,
      this.vnetName(ctx.resourceName),
      {
        location: this.azure.location,
        tags,
        addressSpace: { addressPrefixes: [inputs.addressSpace] },
        subnets: names.map((name, i) => ({
          name,
          addressPrefix: blocks[i],
          ...(name === POSTGRES_SUBNET
            ? {
                delegations: [
                  {
                    name: 'postgres',
                    serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers',
                  },
                ],
              }
            : {}),
        })),
      },
    );
    const subnetIds = (vnet.subnets ?? []).map(s => s.id!).filter(Boolean);
    if (!vnet.id || subnetIds.length !== names.length) {
      throw new Error(
        `VNet ${this.vnetName(ctx.resourceName)} came back without its ${
          names.length
        } subnets`,
      );
    }
    return {
      capabilities: {
        network_id: vnet.id,
        subnet_ids: subnetIds,
        region: this.azure.location,
      },
      state: { resourceGroup: group, vnet: vnet.id },
    };
  }

  async delete(ctx: ComponentContext): Promise<void> {
    try {
      await this.azure.resources.resourceGroups.delete(ctx.resourceName);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  async status(ctx: ComponentContext): Promise<ComponentStatus> {
    try {
      await this.azure.network.virtualNetworks.get(
        ctx.resourceName,
        this.vnetName(ctx.resourceName),
      );
      return { state: 'active' };
    } catch (error) {
      if (isNotFound(error))
        return {
          state: 'missing',
          message: `VNet ${this.vnetName(ctx.resourceName)} no longer exists`,
        };
      throw error;
    }
  }

  async checkDrift(ctx: ExistingComponentContext): Promise<string | undefined> {
    const status = await this.status(ctx);
    return status.state === 'missing' ? status.message : undefined;
  }
}
