/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  ComponentClusterAccess,
  ComponentContext,
  ComponentCreateResult,
  ComponentDriver,
  ComponentStatus,
  ExistingComponentContext,
} from '@archipelago/multicluster-node';
import { z } from 'zod';
import { createEntraIdResolver } from '../credentials';
import {
  type AzureClients,
  POSTGRES_SUBNET,
  azureTags,
  isNotFound,
  parseInputs,
  resourceGroupOf,
  subnetIdsInput,
} from './common';

const ARM_STATES: Record<string, ComponentStatus['state']> = {
  Succeeded: 'active',
  Failed: 'failed',
  Deleting: 'deleting',
};

/** The audience of AKS's Entra ID integration (the same for every cluster). */
export const AKS_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';

const inputsSchema = z
  .object({
    subnetIds: subnetIdsInput,
    vmSize: z
      .string()
      .regex(
        /^Standard_[A-Za-z0-9_]+$/,
        'must be an Azure VM size such as Standard_D4s_v5',
      )
      .default('Standard_B2s'),
    nodes: z
      .number()
      .int()
      .min(1, 'must be a whole number between 1 and 100')
      .max(100, 'must be a whole number between 1 and 100')
      .default(1),
    kubernetesVersion: z
      .string()
      .regex(/^1\.\d{2}(\.\d+)?$/, 'must be a Kubernetes version such as 1.31')
      .optional(),
  })
  .strict();

/**
 * `azure-aks`: an AKS cluster with Entra ID integration and a system node
 * pool on the network's first workload subnet, in the network's resource
 * group. Capabilities come from the cluster as ARM returns it (fqdn, current
 * version); the inventory reaches it with Entra ID tokens.
 */
export class AzureAksDriver implements ComponentDriver {
  readonly id = 'azure-aks';
  readonly kind = 'kubernetes' as const;
  readonly cloud = 'azure';
  readonly description = 'An Azure Kubernetes Service cluster';
  readonly contracts = { consumes: { network: ['azure/v1'] } };

  constructor(private readonly azure: AzureClients) {}

  validateInputs(inputs: Record<string, unknown>): void {
    parseInputs(this.id, inputsSchema.partial(), inputs);
  }

  private groupOf(ctx: {
    inputs: Record<string, unknown>;
    state?: Record<string, unknown>;
  }): string | undefined {
    if (typeof ctx.state?.resourceGroup === 'string')
      return ctx.state.resourceGroup;
    const ids = ctx.inputs.subnetIds;
    return Array.isArray(ids) && typeof ids[0] === 'string'
      ? resourceGroupOf(ids[0])
      : undefined;
  }

  async create(ctx: ComponentContext): Promise<ComponentCreateResult> {
    const inputs = parseInputs(this.id, inputsSchema, ctx.inputs);
    const group = resourceGroupOf(inputs.subnetIds[0]);
    const subnet =
      inputs.subnetIds.find(
        id => !id.toLowerCase().endsWith(`/subnets/${POSTGRES_SUBNET}`),
      ) ?? inputs.subnetIds[0];
    const cluster = await this.azure.containers.managedClusters.createOrUpdate(
      group,
      ctx.resourceName,
      {
        location: this.azure.location,
        tags: azureTags(ctx.tags, ctx.resourceName),
        dnsPrefix: ctx.resourceName.slice(0, 54),
        ...(inputs.kubernetesVersion
          ? { kubernetesVersion: inputs.kubernetesVersion }
          : {}),
        identity: { type: 'SystemAssigned' },
        aadProfile: { managed: true, enableAzureRbac: true },
        disableLocalAccounts: true,
        agentPoolProfiles: [
          {
            name: 'system',
            mode: 'System',
            osType: 'Linux',
            count: inputs.nodes,
            vmSize: inputs.vmSize,
            vnetSubnetID: subnet,
          },
        ],
      },
    );
    if (
      cluster.provisioningState &&
      cluster.provisioningState !== 'Succeeded'
    ) {
      throw new Error(
        `AKS cluster ${ctx.resourceName} is ${cluster.provisioningState}`,
      );
    }
    if (!cluster.fqdn)
      throw new Error(
        `AKS cluster ${ctx.resourceName} has no API server address`,
      );
    return {
      capabilities: {
        endpoint: `https://${cluster.fqdn}`,
        cluster_id: cluster.name ?? ctx.resourceName,
        version:
          cluster.currentKubernetesVersion ??
          cluster.kubernetesVersion ??
          'unknown',
      },
      state: { resourceGroup: group, id: cluster.id },
    };
  }

  async delete(
    ctx: ComponentContext & { state?: Record<string, unknown> },
  ): Promise<void> {
    const group = this.groupOf(ctx);
    if (!group) return;
    try {
      await this.azure.containers.managedClusters.delete(
        group,
        ctx.resourceName,
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  private async get(ctx: {
    resourceName: string;
    inputs: Record<string, unknown>;
    state?: Record<string, unknown>;
  }) {
    const group = this.groupOf(ctx);
    if (!group) return undefined;
    try {
      return await this.azure.containers.managedClusters.get(
        group,
        ctx.resourceName,
      );
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async status(
    ctx: ComponentContext & { state?: Record<string, unknown> },
  ): Promise<ComponentStatus> {
    const c = await this.get(ctx);
    if (!c)
      return {
        state: 'missing',
        message: `AKS cluster ${ctx.resourceName} no longer exists`,
      };
    const s = c.provisioningState ?? 'Unknown';
    return { state: ARM_STATES[s] ?? 'provisioning', message: `AKS ${s}` };
  }

  async checkDrift(ctx: ExistingComponentContext): Promise<string | undefined> {
    const c = await this.get(ctx);
    if (!c) return `AKS cluster ${ctx.resourceName} no longer exists`;
    if (c.fqdn && `https://${c.fqdn}` !== ctx.capabilities.endpoint)
      return `AKS cluster ${ctx.resourceName} moved to another address`;
    return undefined;
  }

  async clusterAccess(
    ctx: ExistingComponentContext,
  ): Promise<ComponentClusterAccess> {
    const c = await this.get(ctx);
    if (!c?.fqdn)
      throw new Error(
        `AKS cluster ${ctx.resourceName} has no API server address`,
      );
    return {
      url: `https://${c.fqdn}`,
      credentials: createEntraIdResolver(this.azure.credential, AKS_SCOPE),
      region: this.azure.location,
      distribution: 'aks',
      providerState:
        c.provisioningState === 'Succeeded' ? 'active' : 'provisioning',
    };
  }
}
