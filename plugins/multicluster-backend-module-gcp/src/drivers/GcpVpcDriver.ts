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
  type ExistingComponentContext,
  parseDriverInputs,
} from '@archipelago/multicluster-node';
import { z } from 'zod';
import type { GcpApi } from './gcpApi';

const inputsSchema = z
  .object({
    /** Primary range of the subnet. */
    cidr: z
      .string()
      .regex(
        /^\d{1,3}(\.\d{1,3}){3}\/(8|9|[12]\d)$/,
        'must be an IPv4 CIDR of /8 to /29 such as 10.20.0.0/20',
      )
      .default('10.20.0.0/20'),
  })
  .strict();

interface Network {
  name: string;
  selfLink?: string;
}
interface Subnetwork {
  name: string;
  ipCidrRange: string;
  network: string;
}

/**
 * `gcp-vpc`: a custom-mode VPC network and one regional subnet, both named
 * after the resource. The capabilities are the resource paths GKE and Cloud
 * SQL take (`projects/P/global/networks/N`, `projects/P/regions/R/subnetworks/S`),
 * contract `gcp/v1`.
 * @public
 */
export class GcpVpcDriver implements ComponentDriver {
  /** The driver id templates name. */
  readonly id = 'gcp-vpc';
  /** The kind of component it makes. */
  readonly kind = 'network' as const;
  /** The cloud it creates in. */
  readonly cloud = 'gcp';
  /** What it makes, for people. */
  readonly description = 'A custom-mode VPC network with one regional subnet';
  /** The capabilities it promises, per contract. */
  readonly contracts = { provides: 'gcp/v1' };

  constructor(private readonly api: GcpApi) {}

  /** Refuses bad inputs, naming the field. */
  validateInputs(inputs: Record<string, unknown>): void {
    parseDriverInputs(this.id, inputsSchema.partial(), inputs);
  }

  private paths(resourceName: string) {
    const { project, region } = this.api;
    return {
      network: `projects/${project}/global/networks/${resourceName}`,
      subnet: `projects/${project}/regions/${region}/subnetworks/${resourceName}-subnet`,
    };
  }

  /** Creates the component, or returns the existing one (idempotent on the resource name). */
  async create(ctx: ComponentContext): Promise<ComponentCreateResult> {
    const { cidr } = parseDriverInputs(this.id, inputsSchema, ctx.inputs);
    const { project, region } = this.api;
    const paths = this.paths(ctx.resourceName);
    const network = await this.api.request<Network>(
      'compute',
      'GET',
      `/compute/v1/${paths.network}`,
      { signal: ctx.signal, allowMissing: true },
    );
    if (!network) {
      const op = await this.api.request<any>(
        'compute',
        'POST',
        `/compute/v1/projects/${project}/global/networks`,
        {
          body: {
            name: ctx.resourceName,
            autoCreateSubnetworks: false,
            description: `Archipelago environment ${ctx.environment}`,
          },
          signal: ctx.signal,
        },
      );
      await this.api.wait('compute', op, 'global', ctx.signal);
    }
    const subnet = await this.api.request<Subnetwork>(
      'compute',
      'GET',
      `/compute/v1/${paths.subnet}`,
      { signal: ctx.signal, allowMissing: true },
    );
    if (!subnet) {
      const op = await this.api.request<any>(
        'compute',
        'POST',
        `/compute/v1/projects/${project}/regions/${region}/subnetworks`,
        {
          body: {
            name: `${ctx.resourceName}-subnet`,
            network: paths.network,
            ipCidrRange: cidr,
            region,
            privateIpGoogleAccess: true,
          },
          signal: ctx.signal,
        },
      );
      await this.api.wait('compute', op, `regions/${region}`, ctx.signal);
    }
    return {
      capabilities: {
        network_id: paths.network,
        subnet_ids: [paths.subnet],
        region,
      },
      state: { cidr },
    };
  }

  /** Deletes the component; deleting what is gone succeeds. */
  async delete(ctx: ComponentContext): Promise<void> {
    const { region } = this.api;
    const paths = this.paths(ctx.resourceName);
    const subnetOp = await this.api.request<any>(
      'compute',
      'DELETE',
      `/compute/v1/${paths.subnet}`,
      { signal: ctx.signal, allowMissing: true },
    );
    if (subnetOp)
      await this.api.wait('compute', subnetOp, `regions/${region}`, ctx.signal);
    const networkOp = await this.api.request<any>(
      'compute',
      'DELETE',
      `/compute/v1/${paths.network}`,
      { signal: ctx.signal, allowMissing: true },
    );
    if (networkOp)
      await this.api.wait('compute', networkOp, 'global', ctx.signal);
  }

  /** The component's current state. */
  async status(ctx: ComponentContext): Promise<ComponentStatus> {
    const network = await this.api.request<Network>(
      'compute',
      'GET',
      `/compute/v1/${this.paths(ctx.resourceName).network}`,
      { signal: ctx.signal, allowMissing: true },
    );
    return network
      ? { state: 'active' }
      : { state: 'missing', message: `network ${ctx.resourceName} is gone` };
  }

  /** What differs from the recorded state, or undefined when the component matches. */
  async checkDrift(
    ctx: ExistingComponentContext,
  ): Promise<ComponentDriftReport | undefined> {
    const paths = this.paths(ctx.resourceName);
    const differences: ComponentDriftReport['differences'] = [];
    for (const [what, path] of Object.entries(paths)) {
      const found = await this.api.request<Subnetwork>(
        'compute',
        'GET',
        `/compute/v1/${path}`,
        { signal: ctx.signal, allowMissing: true },
      );
      if (!found)
        differences.push({
          resource: `${what} ${path}`,
          expected: 'exists',
          actual: 'missing',
        });
      else if (
        what === 'subnet' &&
        ctx.state?.cidr &&
        found.ipCidrRange !== ctx.state.cidr
      )
        differences.push({
          field: 'cidr',
          expected: String(ctx.state.cidr),
          actual: found.ipCidrRange,
        });
    }
    return differences.length
      ? {
          summary: differences
            .map(d =>
              d.field
                ? `${d.field} is ${d.actual}`
                : `${d.resource} is missing`,
            )
            .join('; '),
          differences,
        }
      : undefined;
  }
}
