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
import type { Knex } from 'knex';
import { z } from 'zod';
import {
  formatCidr,
  nthBlock,
  parseCidr,
  splitBlock,
  startIndexFor,
  type Cidr,
} from './cidr';
import { intBetween, parseDriverInputs } from './inputs';

const T_ALLOC = 'environment_network_allocations';

const inputsSchema = z
  .object({
    prefixLength: intBetween('prefixLength', 8, 28).default(20),
    subnets: intBetween('subnets', 1, 16).default(1),
    /** Used by consumers only; accepted so templates may pass it through. */
    region: z.string().min(1).default('local'),
  })
  .strict();

/**
 * `local-network`: a network for a local environment is an address block that
 * no other environment uses, split into subnets. There is nothing to create
 * on the machine, so the allocation itself is the resource: a row whose
 * primary key (the CIDR) makes two environments' blocks never overlap, even
 * when several replicas allocate at once.
 */
export class LocalNetworkDriver implements ComponentDriver {
  readonly id = 'local-network';
  readonly kind = 'network' as const;
  readonly cloud = 'local';
  readonly description =
    'An address block from the local pool, split into subnets';
  readonly contracts = { provides: 'local/v1' };
  private readonly pool: Cidr;

  constructor(private readonly db: Knex, pool: string) {
    this.pool = parseCidr(pool);
  }

  validateInputs(inputs: Record<string, unknown>): void {
    const parsed = parseDriverInputs(this.id, inputsSchema.partial(), inputs);
    if (
      parsed.prefixLength !== undefined &&
      parsed.prefixLength < this.pool.prefix
    ) {
      throw new Error(
        `prefixLength: must be at least ${
          this.pool.prefix
        }, the prefix of the pool ${formatCidr(this.pool)}`,
      );
    }
    const prefix = parsed.prefixLength ?? 20;
    const subnets = parsed.subnets ?? 1;
    if (prefix + Math.ceil(Math.log2(subnets)) > 30) {
      throw new Error(`subnets: a /${prefix} cannot hold ${subnets} subnets`);
    }
  }

  private async existing(resourceName: string): Promise<string | undefined> {
    const row = await this.db(T_ALLOC)
      .where({ resource_name: resourceName })
      .first('cidr');
    return row?.cidr;
  }

  async create(ctx: ComponentContext): Promise<ComponentCreateResult> {
    this.validateInputs(ctx.inputs);
    const inputs = parseDriverInputs(this.id, inputsSchema, ctx.inputs);
    let cidr = await this.existing(ctx.resourceName);
    if (!cidr) {
      const blocks = 2 ** (inputs.prefixLength - this.pool.prefix);
      const start = startIndexFor(ctx.resourceName, blocks);
      // Blocks of other sizes may overlap a candidate; check by range before inserting.
      const taken = (await this.db(T_ALLOC).select('cidr')).map(r =>
        parseCidr(r.cidr),
      );
      const overlaps = (c: Cidr) =>
        taken.some(t => {
          const aEnd = c.base + 2 ** (32 - c.prefix);
          const bEnd = t.base + 2 ** (32 - t.prefix);
          return c.base < bEnd && t.base < aEnd;
        });
      for (let i = 0; i < Math.min(blocks, 65536) && !cidr; i++) {
        const candidate = nthBlock(
          this.pool,
          inputs.prefixLength,
          (start + i) % blocks,
        )!;
        if (overlaps(candidate)) continue;
        try {
          await this.db(T_ALLOC).insert({
            cidr: formatCidr(candidate),
            resource_name: ctx.resourceName,
            created_at: Date.now(),
          });
          cidr = formatCidr(candidate);
        } catch (error) {
          // Another create took this block, or this very resource (a concurrent retry).
          const mine = await this.existing(ctx.resourceName);
          if (mine) cidr = mine;
          else if (
            !(await this.db(T_ALLOC)
              .where({ cidr: formatCidr(candidate) })
              .first())
          )
            throw error;
        }
      }
      if (!cidr) {
        throw new Error(
          `the local address pool ${formatCidr(this.pool)} has no free /${
            inputs.prefixLength
          } left`,
        );
      }
    }
    const block = parseCidr(cidr);
    const subnets = splitBlock(block, inputs.subnets).map(formatCidr);
    return {
      capabilities: {
        network_id: ctx.resourceName,
        subnet_ids: subnets,
        region: inputs.region,
      },
      state: { cidr, subnets },
    };
  }

  async delete(ctx: ComponentContext): Promise<void> {
    await this.db(T_ALLOC).where({ resource_name: ctx.resourceName }).delete();
  }

  async status(ctx: ComponentContext): Promise<ComponentStatus> {
    const cidr = await this.existing(ctx.resourceName);
    return cidr
      ? { state: 'active', message: cidr }
      : { state: 'missing', message: 'the address block was released' };
  }

  async checkDrift(ctx: ExistingComponentContext): Promise<string | undefined> {
    const cidr = await this.existing(ctx.resourceName);
    const expected = ctx.state?.cidr;
    if (!cidr) return 'the address block was released';
    if (expected && cidr !== expected)
      return `the address block is now ${cidr}, was ${String(expected)}`;
    return undefined;
  }
}
