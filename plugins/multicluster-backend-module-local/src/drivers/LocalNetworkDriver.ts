/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type Cidr,
  cidrsOverlap,
  type ComponentContext,
  type ComponentCreateResult,
  type ComponentDriftReport,
  type ComponentDriver,
  type ComponentStatus,
  type ComponentUpdateContext,
  type ExistingComponentContext,
  formatCidr,
  intBetween,
  nthBlock,
  parseCidr,
  parseDriverInputs,
  splitCidr,
} from '@archipelago/multicluster-node';
import type { Knex } from 'knex';
import { z } from 'zod';

const T_ALLOC = 'environment_network_allocations';

/** A stable starting index for a name, so allocations spread instead of all probing from block 0. */
function startIndexFor(name: string, blocks: number): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h % blocks;
}

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
 * @public
 */
export class LocalNetworkDriver implements ComponentDriver {
  /** The driver id templates name. */
  readonly id = 'local-network';
  /** The component kind it builds. */
  readonly kind = 'network' as const;
  /** The cloud it targets. */
  readonly cloud = 'local';
  /** A human line for plans and the UI. */
  readonly description =
    'An address block from the local pool, split into subnets';
  /** What it provides to, and requires from, the other components. */
  readonly contracts = { provides: 'local/v1' };
  /** The block resizes and the subnets are cut anew in place; the network keeps its id. */
  readonly updates = {
    inPlace: {
      prefixLength: ['subnet_ids'],
      subnets: ['subnet_ids'],
      region: ['region'],
    },
  };
  private readonly pool: Cidr;

  constructor(private readonly db: Knex, pool: string) {
    this.pool = parseCidr(pool);
  }

  private ready?: Promise<void>;

  /**
   * The allocations table. The multicluster plugin's migrations create it (it
   * predates this module); a database without them (a driver used on its own)
   * gets it here.
   */
  private async ensureTable(): Promise<void> {
    this.ready ??= (async () => {
      if (await this.db.schema.hasTable(T_ALLOC)) return;
      await this.db.schema.createTable(T_ALLOC, table => {
        table.string('cidr', 43).primary().notNullable();
        table.string('resource_name', 128).notNullable().unique();
        table.bigInteger('created_at').notNullable();
      });
    })().catch(error => {
      this.ready = undefined;
      throw error;
    });
    await this.ready;
  }

  /** Throws, naming the input and what is allowed, when inputs are invalid. */
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
    await this.ensureTable();
    const row = await this.db(T_ALLOC)
      .where({ resource_name: resourceName })
      .first('cidr');
    return row?.cidr;
  }

  /** Finds a free block of the given size and records it for the resource; in `db` (a transaction when resizing). */
  private async allocate(
    db: Knex,
    resourceName: string,
    prefixLength: number,
  ): Promise<string> {
    const blocks = 2 ** (prefixLength - this.pool.prefix);
    const start = startIndexFor(resourceName, blocks);
    // Blocks of other sizes may overlap a candidate; check by range before inserting.
    const taken = (await db(T_ALLOC).select('cidr')).map(r =>
      parseCidr(r.cidr),
    );
    const overlaps = (c: Cidr) => taken.some(t => cidrsOverlap(c, t));
    for (let i = 0; i < Math.min(blocks, 65536); i++) {
      const candidate = nthBlock(
        this.pool,
        prefixLength,
        (start + i) % blocks,
      )!;
      if (overlaps(candidate)) continue;
      try {
        await db(T_ALLOC).insert({
          cidr: formatCidr(candidate),
          resource_name: resourceName,
          created_at: Date.now(),
        });
        return formatCidr(candidate);
      } catch (error) {
        // Another create took this block, or this very resource (a concurrent retry).
        const mine = await db(T_ALLOC)
          .where({ resource_name: resourceName })
          .first('cidr');
        if (mine) return mine.cidr;
        if (
          !(await db(T_ALLOC)
            .where({ cidr: formatCidr(candidate) })
            .first())
        )
          throw error;
      }
    }
    throw new Error(
      `the local address pool ${formatCidr(
        this.pool,
      )} has no free /${prefixLength} left`,
    );
  }

  private result(
    cidr: string,
    inputs: z.output<typeof inputsSchema>,
    resourceName: string,
  ): ComponentCreateResult {
    const subnets = splitCidr(parseCidr(cidr), inputs.subnets, {
      maxPrefix: 30,
    });
    return {
      capabilities: {
        network_id: resourceName,
        subnet_ids: subnets,
        region: inputs.region,
      },
      state: { cidr, subnets },
    };
  }

  /** Creates the component, or returns the existing one (idempotent on the resource name). */
  async create(ctx: ComponentContext): Promise<ComponentCreateResult> {
    this.validateInputs(ctx.inputs);
    const inputs = parseDriverInputs(this.id, inputsSchema, ctx.inputs);
    const cidr =
      (await this.existing(ctx.resourceName)) ??
      (await this.allocate(this.db, ctx.resourceName, inputs.prefixLength));
    return this.result(cidr, inputs, ctx.resourceName);
  }

  /**
   * Resizes in place: a block of the new size replaces the old one in one
   * transaction (the network keeps its id), and the subnets are cut anew.
   */
  async update(ctx: ComponentUpdateContext): Promise<ComponentCreateResult> {
    this.validateInputs(ctx.inputs);
    const inputs = parseDriverInputs(this.id, inputsSchema, ctx.inputs);
    await this.ensureTable();
    const current = await this.existing(ctx.resourceName);
    if (current && parseCidr(current).prefix === inputs.prefixLength)
      return this.result(current, inputs, ctx.resourceName);
    const cidr = await this.db.transaction(async trx => {
      await trx(T_ALLOC).where({ resource_name: ctx.resourceName }).delete();
      return this.allocate(trx, ctx.resourceName, inputs.prefixLength);
    });
    return this.result(cidr, inputs, ctx.resourceName);
  }

  /** Deletes the component; deleting what is gone succeeds. */
  async delete(ctx: ComponentContext): Promise<void> {
    await this.ensureTable();
    await this.db(T_ALLOC).where({ resource_name: ctx.resourceName }).delete();
  }

  /** The component's current state. */
  async status(ctx: ComponentContext): Promise<ComponentStatus> {
    const cidr = await this.existing(ctx.resourceName);
    return cidr
      ? { state: 'active', message: cidr }
      : { state: 'missing', message: 'the address block was released' };
  }

  /** What differs from the recorded state, or undefined when the component matches. */
  async checkDrift(
    ctx: ExistingComponentContext,
  ): Promise<ComponentDriftReport | undefined> {
    const cidr = await this.existing(ctx.resourceName);
    const expected = ctx.state?.cidr;
    if (!cidr)
      return {
        summary: 'the address block was released',
        differences: [
          {
            resource: `address block of ${ctx.resourceName}`,
            expected: String(expected ?? 'allocated'),
            actual: 'released',
          },
        ],
      };
    if (expected && cidr !== expected)
      return {
        summary: `the address block is now ${cidr}, was ${String(expected)}`,
        differences: [
          { field: 'cidr', expected: String(expected), actual: cidr },
        ],
      };
    return undefined;
  }
}
