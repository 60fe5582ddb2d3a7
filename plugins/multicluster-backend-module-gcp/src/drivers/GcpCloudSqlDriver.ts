/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type ComponentContext,
  type ComponentCreateResult,
  type ComponentDriftReport,
  type ComponentDriver,
  type ComponentStatus,
  type ComponentUpdateContext,
  type ExistingComponentContext,
  generatePassword,
  intBetween,
  parseDriverInputs,
} from '@archipelago/multicluster-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { type GcpApi, gcpLabels } from './gcpApi';

const inputsSchema = z
  .object({
    tier: z
      .string()
      .regex(
        /^db-(custom-\d+-\d+|[a-z0-9-]+)$/,
        'must be a Cloud SQL tier such as db-custom-2-7680',
      )
      .default('db-custom-2-7680'),
    databaseVersion: z
      .string()
      .regex(
        /^POSTGRES_\d+$/,
        'must be a PostgreSQL version such as POSTGRES_16',
      )
      .default('POSTGRES_16'),
    storageGb: intBetween('storageGb', 10, 65536).default(20),
    availability: z
      .enum(['ZONAL', 'REGIONAL'], {
        errorMap: () => ({ message: 'must be one of ZONAL, REGIONAL' }),
      })
      .default('REGIONAL'),
    /** VPC network for private IP (`projects/P/global/networks/N`). */
    network: z.string().min(1).optional(),
  })
  .strict();

const MASTER_USERNAME = 'archipelago';

interface Instance {
  name: string;
  state?: string;
  ipAddresses?: Array<{ ipAddress: string; type?: string }>;
  settings?: { tier?: string; dataDiskSizeGb?: string | number };
}

/** Cloud SQL instance names: letters, digits and hyphens, starting with a letter. */
const instanceName = (resourceName: string) => resourceName.slice(0, 80);
const databaseName = (resourceName: string) => resourceName.replace(/-/g, '_');

/**
 * `gcp-cloudsql-postgres`: a Cloud SQL for PostgreSQL instance (private IP
 * in the environment's network, regional by default) with a database and a
 * user whose generated password is the secret `master_password`. The tier
 * and storage change in place; the PostgreSQL version never does.
 * @public
 */
export class GcpCloudSqlDriver implements ComponentDriver {
  /** The driver id templates name. */
  readonly id = 'gcp-cloudsql-postgres';
  /** The kind of component it makes. */
  readonly kind = 'database' as const;
  /** The cloud it creates in. */
  readonly cloud = 'gcp';
  /** What it makes, for people. */
  readonly description = 'A Cloud SQL for PostgreSQL instance';
  /** The capabilities it promises, per contract. */
  readonly contracts = { consumes: { network: ['gcp/v1'] } };
  /** Which inputs change in place and which never change. */
  readonly updates = {
    inPlace: { tier: [], storageGb: [] },
    immutable: ['databaseVersion'],
  };

  constructor(private readonly api: GcpApi) {}

  /** Refuses bad inputs, naming the field. */
  validateInputs(inputs: Record<string, unknown>): void {
    parseDriverInputs(this.id, inputsSchema.partial(), inputs);
  }

  /** Every instance is a database server of its own (per-owner quota). */
  dedicatedServer(): boolean {
    return true;
  }

  private path(resourceName: string, rest = '') {
    return `/v1/projects/${this.api.project}/instances/${instanceName(
      resourceName,
    )}${rest}`;
  }

  private get(resourceName: string, signal?: AbortSignal) {
    return this.api.request<Instance>(
      'sqladmin',
      'GET',
      this.path(resourceName),
      {
        signal,
        allowMissing: true,
      },
    );
  }

  private async runnable(
    resourceName: string,
    signal?: AbortSignal,
  ): Promise<Instance> {
    for (;;) {
      const instance = await this.get(resourceName, signal);
      if (!instance)
        throw new Error(
          `Cloud SQL instance ${resourceName} disappeared while it was being created`,
        );
      if (instance.state === 'RUNNABLE') return instance;
      if (instance.state === 'FAILED' || instance.state === 'SUSPENDED')
        throw new Error(
          `Cloud SQL instance ${resourceName} is ${instance.state}`,
        );
      await sleep(this.api.pollMs, undefined, { signal });
    }
  }

  /** Creates the component, or returns the existing one (idempotent on the resource name). */
  async create(ctx: ComponentContext): Promise<ComponentCreateResult> {
    const inputs = parseDriverInputs(this.id, inputsSchema, ctx.inputs);
    const name = instanceName(ctx.resourceName);
    if (!(await this.get(ctx.resourceName, ctx.signal))) {
      const op = await this.api.request<any>(
        'sqladmin',
        'POST',
        `/v1/projects/${this.api.project}/instances`,
        {
          body: {
            name,
            region: this.api.region,
            databaseVersion: inputs.databaseVersion,
            settings: {
              tier: inputs.tier,
              dataDiskSizeGb: String(inputs.storageGb),
              availabilityType: inputs.availability,
              userLabels: gcpLabels(ctx.tags),
              ipConfiguration: inputs.network
                ? { ipv4Enabled: false, privateNetwork: inputs.network }
                : { ipv4Enabled: true },
              backupConfiguration: { enabled: true },
            },
          },
          signal: ctx.signal,
        },
      );
      await this.api.wait('sqladmin', op, '', ctx.signal);
    }
    const instance = await this.runnable(ctx.resourceName, ctx.signal);
    const database = databaseName(ctx.resourceName);
    const existing = await this.api.request<any>(
      'sqladmin',
      'GET',
      this.path(ctx.resourceName, `/databases/${database}`),
      { signal: ctx.signal, allowMissing: true },
    );
    if (!existing) {
      const op = await this.api.request<any>(
        'sqladmin',
        'POST',
        this.path(ctx.resourceName, '/databases'),
        { body: { name: database, instance: name }, signal: ctx.signal },
      );
      await this.api.wait('sqladmin', op, '', ctx.signal);
    }
    // A new password at each create: a resumed create leaves one that works.
    const password = generatePassword(32);
    const op = await this.api.request<any>(
      'sqladmin',
      'PUT',
      this.path(ctx.resourceName, `/users?name=${MASTER_USERNAME}`),
      { body: { name: MASTER_USERNAME, password }, signal: ctx.signal },
    );
    await this.api.wait('sqladmin', op, '', ctx.signal);
    const ip =
      instance.ipAddresses?.find(a => a.type === 'PRIVATE') ??
      instance.ipAddresses?.[0];
    if (!ip) throw new Error(`Cloud SQL instance ${name} has no IP address`);
    return {
      capabilities: {
        host: ip.ipAddress,
        port: 5432,
        database,
        master_username: MASTER_USERNAME,
        master_password: password,
      },
      state: { instance: name },
    };
  }

  /** Changes the tier and the storage of the running instance. */
  async update(ctx: ComponentUpdateContext): Promise<ComponentCreateResult> {
    const inputs = parseDriverInputs(this.id, inputsSchema, ctx.inputs);
    const op = await this.api.request<any>(
      'sqladmin',
      'PATCH',
      this.path(ctx.resourceName),
      {
        body: {
          settings: {
            tier: inputs.tier,
            dataDiskSizeGb: String(inputs.storageGb),
          },
        },
        signal: ctx.signal,
      },
    );
    await this.api.wait('sqladmin', op, '', ctx.signal);
    await this.runnable(ctx.resourceName, ctx.signal);
    return { capabilities: ctx.capabilities, state: ctx.state };
  }

  /** Deletes the component; deleting what is gone succeeds. */
  async delete(ctx: ComponentContext): Promise<void> {
    const op = await this.api.request<any>(
      'sqladmin',
      'DELETE',
      this.path(ctx.resourceName),
      {
        signal: ctx.signal,
        allowMissing: true,
      },
    );
    if (op) await this.api.wait('sqladmin', op, '', ctx.signal);
  }

  /** The component's current state. */
  async status(ctx: ComponentContext): Promise<ComponentStatus> {
    const instance = await this.get(ctx.resourceName, ctx.signal);
    if (!instance)
      return {
        state: 'missing',
        message: `Cloud SQL instance ${ctx.resourceName} is gone`,
      };
    return instance.state === 'RUNNABLE'
      ? { state: 'active' }
      : { state: 'provisioning', message: instance.state };
  }

  /** What differs from the recorded state, or undefined when the component matches. */
  async checkDrift(
    ctx: ExistingComponentContext,
  ): Promise<ComponentDriftReport | undefined> {
    const instance = await this.get(ctx.resourceName, ctx.signal);
    if (!instance)
      return {
        summary: `Cloud SQL instance ${ctx.resourceName} is gone`,
        differences: [
          {
            resource: `instance ${ctx.resourceName}`,
            expected: 'exists',
            actual: 'missing',
          },
        ],
      };
    const inputs = parseDriverInputs(this.id, inputsSchema, ctx.inputs);
    const differences: ComponentDriftReport['differences'] = [];
    if (instance.settings?.tier && instance.settings.tier !== inputs.tier)
      differences.push({
        field: 'tier',
        expected: inputs.tier,
        actual: instance.settings.tier,
      });
    const disk = instance.settings?.dataDiskSizeGb;
    if (disk !== undefined && Number(disk) !== inputs.storageGb)
      differences.push({
        field: 'storageGb',
        expected: String(inputs.storageGb),
        actual: String(disk),
      });
    return differences.length
      ? {
          summary: differences
            .map(d => `${d.field} is ${d.actual}, not ${d.expected}`)
            .join('; '),
          differences,
        }
      : undefined;
  }
}
