/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  CreateDBInstanceCommand,
  CreateDBSubnetGroupCommand,
  type DBInstance,
  DeleteDBInstanceCommand,
  DeleteDBSubnetGroupCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  ModifyDBInstanceCommand,
} from '@aws-sdk/client-rds';
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
  type AwsClients,
  awsTags,
  isNotFound,
  parseInputs,
  subnetIdsInput,
  waitUntil,
} from './common';

const inputsSchema = z
  .object({
    subnetIds: subnetIdsInput,
    instanceClass: z
      .string()
      .regex(
        /^db\.[a-z0-9]+\.[a-z0-9]+$/,
        'must be an RDS instance class such as db.t3.medium',
      )
      .default('db.t3.medium'),
    storageGb: z
      .number()
      .int()
      .min(20, 'must be between 20 and 65536')
      .max(65536, 'must be between 20 and 65536')
      .default(20),
    multiAz: z.boolean().default(false),
    engineVersion: z
      .string()
      .regex(/^\d+(\.\d+)?$/, 'must be a PostgreSQL version such as 16.4')
      .optional(),
  })
  .strict();

const MASTER_USERNAME = 'archi_admin';

const RDS_STATES: Record<string, ComponentStatus['state']> = {
  available: 'active',
  creating: 'provisioning',
  deleting: 'deleting',
  failed: 'failed',
  stopped: 'stopped',
};

/** The initial database: letters, digits and underscores, starting with a letter, at most 63. */
export const rdsDatabaseName = (resourceName: string) =>
  resourceName.replace(/[^a-zA-Z0-9]/g, '_').slice(0, 63);

/**
 * `aws-rds-postgres`: an RDS for PostgreSQL instance in a DB subnet group over
 * the network's subnets. The identifier is the resource name. A resumed
 * create that finds the instance sets a new master password (the engine
 * stores only what create returns), so the stored secret always works.
 */
export class AwsRdsPostgresDriver implements ComponentDriver {
  readonly id = 'aws-rds-postgres';
  readonly kind = 'database' as const;
  readonly cloud = 'aws';
  readonly description = 'An Amazon RDS for PostgreSQL instance';
  readonly contracts = { consumes: { network: ['aws/v1'] } };

  constructor(private readonly aws: AwsClients) {}

  /** Every RDS instance is a database server of its own (per-owner quota). */
  dedicatedServer(): boolean {
    return true;
  }

  validateInputs(inputs: Record<string, unknown>): void {
    parseInputs(this.id, inputsSchema.partial(), inputs);
  }

  private subnetGroup(resourceName: string) {
    return `${resourceName}-subnets`;
  }

  private async describe(id: string): Promise<DBInstance | undefined> {
    try {
      return (
        await this.aws.rds.send(
          new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }),
        )
      ).DBInstances?.[0];
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async subnetGroupExists(name: string): Promise<boolean> {
    try {
      await this.aws.rds.send(
        new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: name }),
      );
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async create(ctx: ComponentContext): Promise<ComponentCreateResult> {
    const inputs = parseInputs(this.id, inputsSchema, ctx.inputs);
    const id = ctx.resourceName;
    const group = this.subnetGroup(id);
    if (!(await this.subnetGroupExists(group))) {
      await this.aws.rds.send(
        new CreateDBSubnetGroupCommand({
          DBSubnetGroupName: group,
          DBSubnetGroupDescription: `Subnets of ${id} (Archipelago environment ${ctx.environment})`,
          SubnetIds: inputs.subnetIds,
          Tags: awsTags(ctx.tags, group),
        }),
        { abortSignal: ctx.signal },
      );
    }
    // RDS passwords: 8-128 printable characters except / " @ and space; letters and digits suffice.
    const masterPassword = generatePassword(32);
    const database = rdsDatabaseName(id);
    if (await this.describe(id)) {
      await this.aws.rds.send(
        new ModifyDBInstanceCommand({
          DBInstanceIdentifier: id,
          MasterUserPassword: masterPassword,
          ApplyImmediately: true,
        }),
        { abortSignal: ctx.signal },
      );
    } else {
      await this.aws.rds.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: id,
          Engine: 'postgres',
          ...(inputs.engineVersion
            ? { EngineVersion: inputs.engineVersion }
            : {}),
          DBInstanceClass: inputs.instanceClass,
          AllocatedStorage: inputs.storageGb,
          MultiAZ: inputs.multiAz,
          MasterUsername: MASTER_USERNAME,
          MasterUserPassword: masterPassword,
          DBName: database,
          DBSubnetGroupName: group,
          PubliclyAccessible: false,
          StorageEncrypted: true,
          Tags: awsTags(ctx.tags, id),
        }),
        { abortSignal: ctx.signal },
      );
      ctx.logger.info(`Creating RDS instance ${id}`);
    }
    const instance = await waitUntil(
      `RDS instance ${id} to be available`,
      async () => {
        const i = await this.describe(id);
        if (!i)
          throw new Error(
            `RDS instance ${id} disappeared while it was being created`,
          );
        if (i.DBInstanceStatus === 'failed')
          throw new Error(`RDS instance ${id} failed to create`);
        return i.DBInstanceStatus === 'available' && i.Endpoint?.Address
          ? i
          : undefined;
      },
      { intervalMs: this.aws.pollIntervalMs, signal: ctx.signal },
    );
    return {
      capabilities: {
        host: instance.Endpoint!.Address!,
        port: instance.Endpoint!.Port ?? 5432,
        database: instance.DBName ?? database,
        master_username: instance.MasterUsername ?? MASTER_USERNAME,
        master_password: masterPassword,
      },
      state: { arn: instance.DBInstanceArn, subnetGroup: group },
    };
  }

  async delete(ctx: ComponentContext): Promise<void> {
    const id = ctx.resourceName;
    const existing = await this.describe(id);
    if (existing && existing.DBInstanceStatus !== 'deleting') {
      await this.aws.rds
        .send(
          new DeleteDBInstanceCommand({
            DBInstanceIdentifier: id,
            SkipFinalSnapshot: true,
            DeleteAutomatedBackups: true,
          }),
          { abortSignal: ctx.signal },
        )
        .catch(e => {
          if (!isNotFound(e)) throw e;
        });
    }
    if (existing) {
      await waitUntil(
        `RDS instance ${id} to be deleted`,
        async () => ((await this.describe(id)) ? undefined : true),
        {
          intervalMs: this.aws.pollIntervalMs,
          signal: ctx.signal,
        },
      );
    }
    const group = this.subnetGroup(id);
    if (await this.subnetGroupExists(group)) {
      await this.aws.rds
        .send(new DeleteDBSubnetGroupCommand({ DBSubnetGroupName: group }), {
          abortSignal: ctx.signal,
        })
        .catch(e => {
          if (!isNotFound(e)) throw e;
        });
    }
  }

  async status(ctx: ComponentContext): Promise<ComponentStatus> {
    const i = await this.describe(ctx.resourceName);
    if (!i)
      return {
        state: 'missing',
        message: `no RDS instance ${ctx.resourceName}`,
      };
    const s = i.DBInstanceStatus ?? 'unknown';
    return { state: RDS_STATES[s] ?? 'updating', message: `RDS status ${s}` };
  }

  async checkDrift(ctx: ExistingComponentContext): Promise<string | undefined> {
    const i = await this.describe(ctx.resourceName);
    if (!i) return `RDS instance ${ctx.resourceName} no longer exists`;
    if (i.Endpoint?.Address && i.Endpoint.Address !== ctx.capabilities.host) {
      return `RDS instance ${ctx.resourceName} now answers at another address`;
    }
    return undefined;
  }
}
