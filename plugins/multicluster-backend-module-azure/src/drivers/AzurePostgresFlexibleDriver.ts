/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type ComponentContext,
  type ComponentCreateResult,
  type ComponentDriver,
  type ComponentStatus,
  type ExistingComponentContext,
  generatePassword,
} from '@archipelago/multicluster-node';
import { z } from 'zod';
import {
  type AzureClients,
  POSTGRES_SUBNET,
  azureTags,
  isNotFound,
  parseInputs,
  resourceGroupOf,
  subnetIdsInput,
} from './common';

const inputsSchema = z
  .object({
    subnetIds: subnetIdsInput,
    sku: z
      .string()
      .regex(
        /^Standard_[A-Za-z0-9_]+$/,
        'must be a compute size such as Standard_D4s_v3',
      )
      .default('Standard_B1ms'),
    tier: z
      .enum(['Burstable', 'GeneralPurpose', 'MemoryOptimized'], {
        errorMap: () => ({
          message: 'must be one of Burstable, GeneralPurpose, MemoryOptimized',
        }),
      })
      .default('Burstable'),
    storageGb: z
      .number()
      .int()
      .min(32, 'must be between 32 and 32768')
      .max(32768, 'must be between 32 and 32768')
      .default(32),
    highAvailability: z.boolean().default(false),
    version: z
      .enum(['14', '15', '16', '17'], {
        errorMap: () => ({ message: 'must be one of 14, 15, 16, 17' }),
      })
      .default('16'),
  })
  .strict();

const ADMIN = 'archi_admin';

export const azureDatabaseName = (resourceName: string) =>
  resourceName.replace(/[^a-zA-Z0-9]/g, '_').slice(0, 63);

/**
 * `azure-postgres-flexible`: an Azure Database for PostgreSQL flexible server
 * in the network's resource group, on its delegated `postgres` subnet
 * (private access) when the network has one, with one database. A resumed
 * create sets a new administrator password, so the stored secret works.
 */
export class AzurePostgresFlexibleDriver implements ComponentDriver {
  readonly id = 'azure-postgres-flexible';
  readonly kind = 'database' as const;
  readonly cloud = 'azure';
  readonly description = 'An Azure Database for PostgreSQL flexible server';
  readonly contracts = { consumes: { network: ['azure/v1'] } };

  constructor(private readonly azure: AzureClients) {}

  /** Every flexible server is a database server of its own (per-owner quota). */
  dedicatedServer(): boolean {
    return true;
  }

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

  private async get(group: string, name: string) {
    try {
      return await this.azure.postgres.servers.get(group, name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async create(ctx: ComponentContext): Promise<ComponentCreateResult> {
    const inputs = parseInputs(this.id, inputsSchema, ctx.inputs);
    const group = resourceGroupOf(inputs.subnetIds[0]);
    const name = ctx.resourceName;
    const delegated = inputs.subnetIds.find(id =>
      id.toLowerCase().endsWith(`/subnets/${POSTGRES_SUBNET}`),
    );
    // Flexible servers want three character classes: letters and digits give two, a digit-led block the third.
    const secret = `Aa9${generatePassword(28)}`;
    let server = await this.get(group, name);
    if (server) {
      server = await this.azure.postgres.servers.beginUpdateAndWait(
        group,
        name,
        { administratorLoginPassword: secret },
      );
    } else {
      server = await this.azure.postgres.servers.beginCreateOrUpdateAndWait(
        group,
        name,
        {
          location: this.azure.location,
          tags: azureTags(ctx.tags, name),
          sku: { name: inputs.sku, tier: inputs.tier },
          administratorLogin: ADMIN,
          administratorLoginPassword: secret,
          version: inputs.version,
          storage: { storageSizeGB: inputs.storageGb },
          highAvailability: {
            mode: inputs.highAvailability ? 'ZoneRedundant' : 'Disabled',
          },
          network: delegated
            ? {
                delegatedSubnetResourceId: delegated,
                publicNetworkAccess: 'Disabled',
              }
            : { publicNetworkAccess: 'Enabled' },
        },
      );
    }
    const database = azureDatabaseName(name);
    await this.azure.postgres.databases.beginCreateAndWait(
      group,
      name,
      database,
      { charset: 'UTF8', collation: 'en_US.utf8' },
    );
    if (!server.fullyQualifiedDomainName)
      throw new Error(`PostgreSQL server ${name} has no host name`);
    return {
      capabilities: {
        host: server.fullyQualifiedDomainName,
        port: 5432,
        database,
        master_username: server.administratorLogin ?? ADMIN,
        master_password: secret,
      },
      state: { resourceGroup: group, id: server.id },
    };
  }

  async delete(
    ctx: ComponentContext & { state?: Record<string, unknown> },
  ): Promise<void> {
    const group = this.groupOf(ctx);
    if (!group) return;
    try {
      await this.azure.postgres.servers.beginDeleteAndWait(
        group,
        ctx.resourceName,
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  async status(
    ctx: ComponentContext & { state?: Record<string, unknown> },
  ): Promise<ComponentStatus> {
    const group = this.groupOf(ctx);
    const s = group ? await this.get(group, ctx.resourceName) : undefined;
    if (!s)
      return {
        state: 'missing',
        message: `PostgreSQL server ${ctx.resourceName} no longer exists`,
      };
    const states: Record<string, ComponentStatus['state']> = {
      Ready: 'active',
      Stopped: 'stopped',
    };
    return {
      state: states[s.state ?? ''] ?? 'updating',
      message: `server ${s.state}`,
    };
  }

  async checkDrift(ctx: ExistingComponentContext): Promise<string | undefined> {
    const status = await this.status(ctx);
    return status.state === 'missing' ? status.message : undefined;
  }
}
