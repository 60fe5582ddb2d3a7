/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { ChildProcess, fork } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { AdminEndpoint, listenAdmin } from '../admin/listen';
import { AdminTarget } from '../admin/server';
import {
  buildKubeConfig,
  KubeConfig,
  KubeConfigOptions,
  kubeConfigYaml,
  writeFileAtomic,
} from '../kubeconfig';
import {
  clusterOptionsSchema,
  Faults,
  FaultsInput,
  LightClusterOptions,
  NO_FAULTS,
  parseOptions,
  partialFaultsSchema,
  ResolvedClusterOptions,
  WorkerFleetOptions,
  workerFleetOptionsSchema,
} from '../options';
import { randomToken } from '../util';
import { compileWorker, packageRoot } from './compile';
import type { LightRole } from '../light/cluster';
import type {
  ClusterAssignment,
  ClusterState,
  Reply,
  Request,
  RequestBody,
  Started,
} from './protocol';

/**
 * A light cluster served by a worker process of a {@link WorkerFleet}: health, version,
 * discovery and nodes, with `probe` and `view` tokens.
 * @public
 */
export interface WorkerCluster {
  /** The cluster's name, e.g. `emulator-1`. */
  readonly name: string;
  /** https://127.0.0.1:PORT */
  readonly url: string;
  /** The HTTPS port on 127.0.0.1. */
  readonly port: number;
  /** PEM of the CA (shared by the clusters of one worker). */
  readonly caData: string;
  /** One bearer token per role. */
  readonly tokens: Readonly<Record<LightRole, string>>;
  /** Whether it is serving. */
  readonly running: boolean;
  /** Reads its faults. */
  readonly faults: { get(): Faults };
  /** Changes the given faults; the others keep their value. */
  setFaults(faults: FaultsInput): Promise<void>;
  /** Back to a healthy cluster. */
  clearFaults(): Promise<void>;
  /** Stops serving (connection refused) until start(). */
  stop(): Promise<void>;
  /** Serves again on the same port. */
  start(): Promise<void>;
  /** A kubeconfig with this cluster as its one context (role `view` unless told otherwise). */
  kubeconfig(options?: { role?: LightRole }): KubeConfig;
}

/**
 * Many light clusters in worker processes, so that their CPU is not the caller's.
 * @public
 */
export interface WorkerFleet {
  /** The clusters, in order. */
  readonly clusters: WorkerCluster[];
  /** A cluster by name ("emulator-3") or 1-based index. */
  cluster(nameOrIndex: string | number): WorkerCluster;
  /** A kubeconfig with one context per cluster, with the `view` identity unless told otherwise. */
  kubeconfig(options?: KubeConfigOptions): KubeConfig;
  /** {@link WorkerFleet.kubeconfig} as YAML. */
  kubeconfigYaml(options?: KubeConfigOptions): string;
  /** Writes {@link WorkerFleet.kubeconfig} to a file. */
  writeKubeconfig(file: string, options?: KubeConfigOptions): Promise<void>;
  /** The worker processes: their pid and how many clusters each serves. */
  readonly workers: ReadonlyArray<{ pid: number; clusters: number }>;
  /** Resident set size of each worker process, in bytes (asked over IPC). */
  workerRss(): Promise<number[]>;
  /** Port of the admin HTTP endpoint on 127.0.0.1 (undefined when disabled). */
  readonly adminPort?: number;
  /** URL of the admin HTTP endpoint (undefined when disabled). */
  readonly adminUrl?: string;
  /** The bearer token the admin endpoint requires (undefined when it is disabled). */
  readonly adminToken?: string;
  /** Stops every worker process and the admin endpoint. */
  stop(): Promise<void>;
}

/**
 * What to fork for a worker: the light cluster's modules compiled to plain JavaScript (see
 * compile.ts), or, when no compiler is at hand, the CLI's loader with `--worker`.
 */
function workerEntry(): { file: string; args: string[]; dir?: string } {
  try {
    const { dir, main } = compileWorker(
      join(packageRoot(), 'src', 'workers', 'worker.ts'),
    );
    return { file: main, args: [], dir };
  } catch {
    const bin = join(packageRoot(), 'bin', 'kube-emulator');
    if (!existsSync(bin)) {
      throw new Error(
        `kube-emulator: worker fleets run from the package sources; ${bin} is missing`,
      );
    }
    return { file: bin, args: ['--worker'] };
  }
}

/** One worker process and its pending requests. */
class Worker {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(v: unknown): void; reject(e: Error): void }
  >();
  private exited?: Error;
  readonly ready: Promise<void>;
  readonly done: Promise<void>;

  constructor(readonly child: ChildProcess, readonly index: number) {
    this.ready = new Promise((resolveReady, rejectReady) => {
      child.once('message', () => resolveReady());
      child.once('exit', code =>
        rejectReady(
          new Error(`kube-emulator worker ${index} exited with ${code}`),
        ),
      );
      child.once('error', rejectReady);
    });
    this.done = new Promise(r => child.once('exit', () => r()));
    child.on('message', (msg: Reply) => {
      const p =
        msg && typeof msg.id === 'number'
          ? this.pending.get(msg.id)
          : undefined;
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(msg.error));
    });
    child.on('exit', code => {
      this.exited = new Error(
        `kube-emulator worker ${index} exited with ${code}`,
      );
      for (const p of this.pending.values()) p.reject(this.exited);
      this.pending.clear();
    });
  }

  get alive() {
    return !this.exited;
  }

  request<T>(body: RequestBody, timeoutMs = 60_000): Promise<T> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise<T>((resolveReq, rejectReq) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        rejectReq(
          new Error(`kube-emulator worker ${this.index}: ${body.op} timed out`),
        );
      }, timeoutMs);
      this.pending.set(id, {
        resolve: v => {
          clearTimeout(timer);
          resolveReq(v as T);
        },
        reject: e => {
          clearTimeout(timer);
          rejectReq(e);
        },
      });
      this.child.send({ ...body, id } as Request);
    });
  }

  async shutdown() {
    if (this.alive) {
      await this.request({ op: 'shutdown' }, 30_000).catch(() => undefined);
      const killer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await this.done;
      clearTimeout(killer);
    }
  }
}

class RemoteCluster implements WorkerCluster, AdminTarget {
  readonly mode = 'light';
  readonly version: string;
  readonly nodes: number;
  port = 0;
  caData = '';
  running = true;
  private current: Faults;

  constructor(
    readonly name: string,
    readonly tokens: Readonly<Record<LightRole, string>>,
    options: ResolvedClusterOptions,
    private readonly worker: Worker,
  ) {
    this.version = options.version.gitVersion;
    this.nodes = options.nodes;
    this.current = { ...NO_FAULTS, ...options.faults };
  }

  get url() {
    return `https://127.0.0.1:${this.port}`;
  }

  get faults() {
    return { get: () => ({ ...this.current }) };
  }

  update(state: ClusterState) {
    this.running = state.running;
    this.port = state.port;
    this.current = state.faults;
  }

  async setFaults(input: FaultsInput) {
    // Validate here, so a bad fault names its field without a round trip.
    const faults = parseOptions(partialFaultsSchema, input, 'faults');
    const [state] = await this.worker.request<ClusterState[]>({
      op: 'setFaults',
      names: [this.name],
      faults,
    });
    this.update(state);
  }

  clearFaults() {
    return this.setFaults({ ...NO_FAULTS });
  }

  async stop() {
    this.update(
      await this.worker.request<ClusterState>({
        op: 'stopCluster',
        name: this.name,
      }),
    );
  }

  async start() {
    this.update(
      await this.worker.request<ClusterState>({
        op: 'startCluster',
        name: this.name,
      }),
    );
  }

  kubeconfig(options: { role?: LightRole } = {}) {
    return buildKubeConfig([this], { role: options.role ?? 'view' });
  }
}

/**
 * Starts N light clusters (`<namePrefix>-1` … `-N`) spread over worker processes forked from
 * this one (`child_process.fork`), plus the admin endpoint in this process. Each worker shares
 * one CA and one serving certificate for 127.0.0.1 among its clusters. Faults, stop and start
 * stay controllable per cluster from here and through the admin endpoint.
 * @public
 */
export async function startWorkerFleet(
  input: WorkerFleetOptions,
): Promise<WorkerFleet> {
  const parsed = parseOptions(
    workerFleetOptionsSchema,
    input,
    'kube-emulator worker fleet options',
  );
  const count = parsed.clusters;
  // Contiguous slices: worker k serves clusters [k * per, (k + 1) * per).
  const per = Math.ceil(
    count /
      Math.min(count, parsed.workers ?? Math.min(4, availableParallelism())),
  );
  const workerCount = Math.ceil(count / per);
  const defaults = parseOptions(
    clusterOptionsSchema,
    {
      version: parsed.version,
      nodes: parsed.nodes,
      nodeTemplate: parsed.nodeTemplate,
      nodeLabels: parsed.nodeLabels,
      faults: {
        ...parsed.faults,
        ...(parsed.latencyMs !== undefined
          ? { latencyMs: parsed.latencyMs }
          : {}),
      },
    },
    'kube-emulator worker fleet options',
  );

  // Every cluster's assignment, decided here: names, ports, tokens, overrides.
  const assignments: ClusterAssignment[] = [];
  const optionsOf: ResolvedClusterOptions[] = [];
  for (let i = 0; i < count; i++) {
    const index = i + 1;
    const name = `${parsed.namePrefix}-${index}`;
    const raw = (
      parsed.perCluster as
        | ((n: number) => Partial<LightClusterOptions>)
        | undefined
    )?.(index);
    let overrides: Partial<ResolvedClusterOptions> | undefined;
    let options = defaults;
    if (raw && Object.keys(raw).length) {
      options = parseOptions(
        clusterOptionsSchema,
        {
          version: { ...parsed.version, ...raw.version },
          nodes: raw.nodes ?? parsed.nodes,
          nodeTemplate: { ...parsed.nodeTemplate, ...raw.nodeTemplate },
          nodeLabels: { ...parsed.nodeLabels, ...raw.nodeLabels },
          faults: { ...defaults.faults, ...raw.faults },
        },
        `kube-emulator options of cluster ${name}`,
      );
      overrides = {
        version: options.version,
        nodes: options.nodes,
        nodeTemplate: options.nodeTemplate,
        nodeLabels: options.nodeLabels,
        faults: options.faults,
      };
    }
    optionsOf.push(options);
    assignments.push({
      name,
      port: parsed.basePort ? parsed.basePort + i : 0,
      tokens: { view: randomToken(), probe: randomToken() },
      ...(overrides ? { overrides } : {}),
    });
  }

  const entry = workerEntry();
  const workers: Worker[] = [];
  const removeCompiled = () => {
    if (entry.dir) rmSync(entry.dir, { recursive: true, force: true });
  };
  const clusters: RemoteCluster[] = [];
  const stopAll = async () => {
    await Promise.all(workers.map(w => w.shutdown()));
  };
  try {
    for (let w = 0; w < workerCount; w++) {
      const child = fork(entry.file, entry.args, {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        execArgv: [],
        env: { ...process.env },
      });
      workers.push(new Worker(child, w + 1));
    }
    await Promise.all(workers.map(w => w.ready)).finally(removeCompiled);
    const results = await Promise.all(
      workers.map((w, k) =>
        w.request<Started>(
          {
            op: 'start',
            defaults,
            clusters: assignments.slice(k * per, (k + 1) * per),
          },
          parsed.startTimeoutMs,
        ),
      ),
    );
    results.forEach((started, k) => {
      started.clusters.forEach((c, j) => {
        const i = k * per + j;
        const rc = new RemoteCluster(
          c.name,
          assignments[i].tokens,
          optionsOf[i],
          workers[k],
        );
        rc.port = c.port;
        rc.caData = started.caData;
        clusters[i] = rc;
      });
    });
  } catch (e) {
    removeCompiled();
    await stopAll();
    throw e;
  }

  const kubeconfig = (options: KubeConfigOptions = {}) =>
    buildKubeConfig(clusters, { ...options, role: options.role ?? 'view' });
  const yamlOf = (options: KubeConfigOptions = {}) =>
    kubeConfigYaml(kubeconfig(options));

  let admin: AdminEndpoint | undefined;
  if (parsed.adminPort !== null) {
    try {
      admin = await listenAdmin({
        port: parsed.adminPort,
        token: parsed.adminToken,
        tokenFile: parsed.adminTokenFile,
        clusters: () => clusters,
        kubeconfigYaml: () => yamlOf(),
      });
    } catch (e) {
      await stopAll();
      throw e;
    }
  }

  return {
    clusters,
    cluster(nameOrIndex) {
      const c =
        typeof nameOrIndex === 'number'
          ? clusters[nameOrIndex - 1]
          : clusters.find(x => x.name === nameOrIndex);
      if (!c) throw new Error(`No cluster ${nameOrIndex} in this fleet`);
      return c;
    },
    kubeconfig,
    kubeconfigYaml: yamlOf,
    async writeKubeconfig(file, options) {
      await writeFileAtomic(file, yamlOf(options));
    },
    workers: workers.map((w, k) => ({
      pid: w.child.pid ?? 0,
      clusters: Math.min(per, count - k * per),
    })),
    async workerRss() {
      return Promise.all(
        workers.map(w =>
          w.request<NodeJS.MemoryUsage>({ op: 'memory' }).then(m => m.rss),
        ),
      );
    },
    adminPort: admin?.port,
    adminUrl: admin?.url,
    adminToken: admin?.token,
    async stop() {
      const a = admin;
      admin = undefined;
      await a?.close();
      await stopAll();
      for (const c of clusters) c.running = false;
    },
  };
}
