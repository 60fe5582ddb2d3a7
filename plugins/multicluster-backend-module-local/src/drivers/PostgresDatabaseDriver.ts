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
  generatePassword,
  parseDriverInputs,
} from '@archipelago/multicluster-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import path from 'node:path';
import { Client } from 'pg';
import { z } from 'zod';
import {
  EmbeddedPostgresInstance,
  type PostgresAdmin,
} from './EmbeddedPostgres';

const inputsSchema = z
  .object({
    /** `shared`: a database on the shared server; `dedicated`: a server of its own (embedded). */
    server: z
      .enum(['shared', 'dedicated'], {
        errorMap: () => ({ message: 'must be one of shared, dedicated' }),
      })
      .default('shared'),
  })
  .strict();

/** The configured shared server (`multicluster.environments.local.postgres`). @public */
export interface ConfiguredPostgres {
  /** Host the backend connects to. */
  host: string;
  /** Port. */
  port: number;
  /** An admin role that may create roles and databases. */
  user: string;
  /** Its password. */
  password: string;
  /** The database the admin connects to. */
  database: string;
  /** Whether to connect over TLS. */
  ssl: boolean;
  /** Host name environments see, when it differs from host. */
  publicHost?: string;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Database and role names: PostgreSQL identifiers from the resource name. */
export function databaseNameFor(resourceName: string): string {
  return resourceName.replace(/[^a-z0-9_]/g, '_').slice(0, 63);
}

/**
 * `postgres-database`: a database and a login role that owns it.
 * `server: shared` puts it on the configured server, or on one embedded
 * PostgreSQL the driver starts lazily when none is configured;
 * `server: dedicated` starts an embedded server for the component alone. The role's
 * password is generated at each create and returned as the secret
 * `master_password`; a resumed create sets a new one, so what the engine
 * stores always works.
 * @public
 */
export class PostgresDatabaseDriver implements ComponentDriver {
  /** The driver id templates name. */
  readonly id = 'postgres-database';
  /** The component kind it builds. */
  readonly kind = 'database' as const;
  /** The cloud it targets. */
  readonly cloud = 'local';
  /** A human line for plans and the UI. */
  readonly description = 'A database and role on a PostgreSQL server';
  private readonly instances = new Map<string, EmbeddedPostgresInstance>();

  constructor(
    private readonly options: {
      configured?: ConfiguredPostgres;
      dataDir: string;
      logger: LoggerService;
    },
  ) {}

  /** Throws, naming the input and what is allowed, when inputs are invalid. */
  validateInputs(inputs: Record<string, unknown>): void {
    parseDriverInputs(this.id, inputsSchema.partial(), inputs);
  }

  /** `server: dedicated` starts a PostgreSQL server of its own (per-owner quota). */
  dedicatedServer(inputs: Record<string, unknown>): boolean {
    return inputs.server === 'dedicated';
  }

  private instance(name: string): EmbeddedPostgresInstance {
    let i = this.instances.get(name);
    if (!i) {
      i = new EmbeddedPostgresInstance(
        path.join(this.options.dataDir, 'postgres', name),
        this.options.logger,
      );
      this.instances.set(name, i);
    }
    return i;
  }

  /** Admin access to the server a component lives on, started if embedded. */
  private async server(
    resourceName: string,
    kind: 'shared' | 'dedicated',
  ): Promise<{ admin: PostgresAdmin; publicHost: string }> {
    if (kind === 'shared' && this.options.configured) {
      const c = this.options.configured;
      return { admin: c, publicHost: c.publicHost ?? c.host };
    }
    const admin = await this.instance(
      kind === 'shared' ? 'shared' : resourceName,
    ).ensure();
    return { admin, publicHost: admin.host };
  }

  private async withAdmin<T>(
    admin: PostgresAdmin,
    fn: (client: Client) => Promise<T>,
  ): Promise<T> {
    const client = new Client({
      host: admin.host,
      port: admin.port,
      user: admin.user,
      password: admin.password,
      database: admin.database,
      ssl: admin.ssl ? { rejectUnauthorized: true } : undefined,
      connectionTimeoutMillis: 10_000,
    });
    // Connection errors can carry the connection string; callers redact, and we never log it.
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  private serverOf(ctx: {
    inputs: Record<string, unknown>;
    state?: Record<string, unknown>;
  }): 'shared' | 'dedicated' {
    const fromState = ctx.state?.server;
    if (fromState === 'shared' || fromState === 'dedicated') return fromState;
    return parseDriverInputs(this.id, inputsSchema, ctx.inputs).server;
  }

  /** Creates the component, or returns the existing one (idempotent on the resource name). */
  async create(ctx: ComponentContext): Promise<ComponentCreateResult> {
    const { server } = parseDriverInputs(this.id, inputsSchema, ctx.inputs);
    const { admin, publicHost } = await this.server(ctx.resourceName, server);
    const name = databaseNameFor(ctx.resourceName);
    const password = generatePassword(32);
    await this.withAdmin(admin, async client => {
      const role = await client.query(
        'SELECT 1 FROM pg_roles WHERE rolname = $1',
        [name],
      );
      // Utility statements take no parameters; the password is [A-Za-z0-9] and escaped anyway.
      const literal = client.escapeLiteral(password);
      if (role.rowCount)
        await client.query(
          `ALTER ROLE ${ident(name)} WITH LOGIN PASSWORD ${literal}`,
        );
      else
        await client.query(
          `CREATE ROLE ${ident(name)} WITH LOGIN PASSWORD ${literal}`,
        );
      const db = await client.query(
        'SELECT 1 FROM pg_database WHERE datname = $1',
        [name],
      );
      if (!db.rowCount)
        await client.query(
          `CREATE DATABASE ${ident(name)} OWNER ${ident(name)}`,
        );
      // On a shared server, other environments' roles must not connect to this database.
      await client.query(
        `REVOKE CONNECT ON DATABASE ${ident(name)} FROM PUBLIC`,
      );
      await client.query(
        `GRANT CONNECT ON DATABASE ${ident(name)} TO ${ident(name)}`,
      );
    });
    return {
      capabilities: {
        host: publicHost,
        port: admin.port,
        database: name,
        master_username: name,
        master_password: password,
      },
      state: {
        server,
        embedded: server === 'dedicated' || !this.options.configured,
      },
    };
  }

  /** Deletes the component; deleting what is gone succeeds. */
  async delete(
    ctx: ComponentContext & { state?: Record<string, unknown> },
  ): Promise<void> {
    const server = this.serverOf(ctx);
    if (server === 'dedicated') {
      await this.instance(ctx.resourceName).destroy();
      this.instances.delete(ctx.resourceName);
      return;
    }
    const { admin } = await this.server(ctx.resourceName, 'shared');
    const name = databaseNameFor(ctx.resourceName);
    await this.withAdmin(admin, async client => {
      await client.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      await client.query(`DROP DATABASE IF EXISTS ${ident(name)}`);
      await client.query(`DROP ROLE IF EXISTS ${ident(name)}`);
    });
  }

  private async exists(
    ctx: ComponentContext & { state?: Record<string, unknown> },
  ): Promise<ComponentDriftReport | undefined> {
    const { admin } = await this.server(ctx.resourceName, this.serverOf(ctx));
    const name = databaseNameFor(ctx.resourceName);
    return this.withAdmin(admin, async client => {
      const db = await client.query(
        'SELECT 1 FROM pg_database WHERE datname = $1',
        [name],
      );
      if (!db.rowCount)
        return {
          summary: `database ${name} no longer exists`,
          differences: [
            {
              resource: `database ${name}`,
              expected: 'exists',
              actual: 'missing',
            },
          ],
        };
      const role = await client.query(
        'SELECT 1 FROM pg_roles WHERE rolname = $1 AND rolcanlogin',
        [name],
      );
      if (!role.rowCount)
        return {
          summary: `role ${name} no longer exists or cannot log in`,
          differences: [
            {
              resource: `role ${name}`,
              expected: 'can log in',
              actual: 'missing or cannot log in',
            },
          ],
        };
      return undefined;
    });
  }

  /** The component's current state. */
  async status(
    ctx: ComponentContext & { state?: Record<string, unknown> },
  ): Promise<ComponentStatus> {
    const problem = await this.exists(ctx);
    return problem
      ? { state: 'missing', message: problem.summary }
      : { state: 'active' };
  }

  /** What differs from the recorded state, or undefined when the component matches. */
  async checkDrift(
    ctx: ExistingComponentContext,
  ): Promise<ComponentDriftReport | undefined> {
    const problem = await this.exists(ctx);
    if (problem) return problem;
    const { admin } = await this.server(ctx.resourceName, this.serverOf(ctx));
    if (
      ctx.capabilities.port !== undefined &&
      ctx.capabilities.port !== admin.port
    ) {
      return {
        summary: `the server listens on port ${admin.port}, not ${String(
          ctx.capabilities.port,
        )}`,
        differences: [
          {
            field: 'port',
            expected: String(ctx.capabilities.port),
            actual: String(admin.port),
          },
        ],
      };
    }
    return undefined;
  }

  /** Starts the local process again when the backend starts; returns new capabilities when they changed. */
  async attach(
    ctx: ExistingComponentContext,
  ): Promise<{ capabilities?: Record<string, unknown> } | void> {
    const server = this.serverOf(ctx);
    if (server === 'shared' && this.options.configured) return undefined;
    const { admin } = await this.server(ctx.resourceName, server);
    return admin.port === ctx.capabilities.port
      ? undefined
      : { capabilities: { port: admin.port } };
  }

  /** Stops what this driver runs in this process; created resources stay. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.instances.values()].map(i => i.stop()));
  }
}
