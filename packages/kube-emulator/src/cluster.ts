/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { readFile } from 'node:fs/promises';
import {
  createServer as createHttpsServer,
  Server as HttpsServer,
} from 'node:https';
import {
  createServer as createNetServer,
  Server as NetServer,
  Socket,
} from 'node:net';
import {
  ClusterCertificates,
  createClusterCertificates,
  createExpiredCertificate,
} from './certs';
import {
  clusterOptionsSchema,
  ClusterOptions,
  Faults,
  FaultsInput,
  NO_FAULTS,
  parseOptions,
  partialFaultsSchema,
  ResolvedClusterOptions,
} from './options';
import { ApiServerContext, handleRequest, UserInfo } from './api/handler';
import { ClusterState } from './state';
import { KubeObject, StoreSnapshot } from './store/store';
import { resolveResource, ResourceRef } from './api/resources';
import {
  buildKubeConfig,
  KubeConfig,
  kubeConfigYaml,
  writeFileAtomic,
} from './kubeconfig';
import { randomToken } from './util';
import { groupsOf, Role, ROLES, usernameOf } from './auth/roles';
import { badRequest } from './api/status';
import { versionInfo } from './api/version';
import { LoadBalancers } from './lb/balancers';
import { z } from 'zod';

/**
 * Direct access to a cluster's objects, for tests and tools (writes go through admission).
 * @public
 */
export interface ClusterStore {
  /** Objects of a type ("pods", "deployments.apps", "apps/v1/deployments", …), optionally in a namespace. */
  list(resource: ResourceRef, namespace?: string): KubeObject[];
  /** One object by type and name, optionally in a namespace. */
  get(
    resource: ResourceRef,
    name: string,
    namespace?: string,
  ): KubeObject | undefined;
  /** Creates an object (as a POST would: it gets a uid and resourceVersion). */
  create(resource: ResourceRef, object: KubeObject): KubeObject;
  /** Replaces an object (as a PUT would). */
  update(resource: ResourceRef, object: KubeObject): KubeObject;
  /** Deletes an object, if it exists. */
  delete(resource: ResourceRef, name: string, namespace?: string): void;
  /** The cluster-wide resourceVersion (etcd revision). */
  readonly resourceVersion: number;
}

/**
 * Changing a cluster's faults at run time.
 * @public
 */
export interface FaultControl {
  /** The faults in force. */
  get(): Faults;
  /** Changes the given faults; the others keep their value. */
  setFaults(faults: FaultsInput): Promise<void>;
  /** Back to a healthy cluster. */
  clearFaults(): Promise<void>;
}

/**
 * Which identity a one-cluster kubeconfig holds.
 * @public
 */
export interface ClusterKubeConfigOptions {
  /** The role whose token the context uses (default `admin`). */
  role?: Role;
  /**
   * The view token, in a context named `<name>-readonly`.
   * @deprecated use `{ role: 'view' }`
   */
  readOnly?: boolean;
}

/**
 * One emulated Kubernetes API server.
 * @public
 */
export interface EmulatedCluster {
  /** The cluster's name, e.g. `emulator-1`. */
  readonly name: string;
  /** https://127.0.0.1:PORT */
  readonly url: string;
  /** The HTTPS port on 127.0.0.1. */
  readonly port: number;
  /** PEM of the cluster's CA. */
  readonly caData: string;
  /** One bearer token per role (see {@link Role}). */
  readonly tokens: Readonly<Record<Role, string>>;
  /** The admin token: the same as `tokens.admin`. */
  readonly adminToken: string;
  /**
   * The view token: reads except Secrets succeed; writes get 403 Forbidden.
   * @deprecated use `tokens.view`
   */
  readonly readOnlyToken: string;
  /** Whether it is serving. */
  readonly running: boolean;
  /** The options it was started with, defaults applied. */
  readonly options: ResolvedClusterOptions;
  /** Reads and changes its faults. */
  readonly faults: FaultControl;
  /** Changes the given faults; the others keep their value. */
  setFaults(faults: FaultsInput): Promise<void>;
  /** Back to a healthy cluster. */
  clearFaults(): Promise<void>;
  /**
   * Resizes the node pool of the running cluster, as a managed node group
   * is resized: new nodes register, existing ones take the new capacity and
   * labels, nodes past the count are removed.
   */
  resizeNodes(pool: NodePoolChange): Promise<void>;
  /** Its objects, read and written directly (no HTTP). */
  readonly store: ClusterStore;
  /**
   * A kubeconfig with this cluster as its one context, named after the cluster, with the
   * identity of `role` (default `admin`).
   */
  kubeconfig(options?: ClusterKubeConfigOptions): KubeConfig;
  /** {@link EmulatedCluster.kubeconfig} as YAML. */
  kubeconfigYaml(options?: ClusterKubeConfigOptions): string;
  /** Stops serving (connections are closed); the objects stay, and are persisted if configured. */
  stop(): Promise<void>;
  /** Serves again on the same port. */
  start(): Promise<void>;
}

/** A change of a running cluster's node pool; what is left out stays. @public */
export interface NodePoolChange {
  /** How many nodes the pool has. */
  nodes?: number;
  /** Allocatable CPU of each node, a Kubernetes quantity (e.g. `4`). */
  cpu?: string;
  /** Allocatable memory of each node, a Kubernetes quantity (e.g. `16Gi`). */
  memory?: string;
  /** Labels every node carries. */
  labels?: Record<string, string>;
}

const nodePoolChangeSchema = z
  .object({
    nodes: z.number().int().min(0).max(5_000).optional(),
    cpu: z.string().min(1).optional(),
    memory: z.string().min(1).optional(),
    labels: z.record(z.string()).optional(),
  })
  .strict();

interface PersistedFile {
  kind: 'KubeEmulatorState';
  version: 1;
  name: string;
  port: number;
  identity: ClusterCertificates & {
    tokens?: Partial<Record<Role, string>>;
    // Written by earlier versions, read for compatibility.
    adminToken?: string;
    readOnlyToken?: string;
  };
  store?: StoreSnapshot;
}

/** Tokens from the options, else the persisted ones, else new random ones. */
function resolveTokens(
  options: ResolvedClusterOptions,
  persisted: PersistedFile['identity'] | undefined,
): Record<Role, string> {
  const given: Partial<Record<Role, string>> = {
    ...options.tokens,
  };
  given.admin ??= options.adminToken;
  given.view ??= options.readOnlyToken;
  const kept: Partial<Record<Role, string>> = {
    admin: persisted?.adminToken,
    view: persisted?.readOnlyToken,
    ...persisted?.tokens,
  };
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES)
    tokens[role] = given[role] ?? kept[role] ?? randomToken();
  if (new Set(Object.values(tokens)).size !== ROLES.length)
    throw new Error(
      `Invalid kube-emulator cluster options: tokens: every role needs its own token`,
    );
  return tokens;
}

async function readPersisted(file: string): Promise<PersistedFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const parsed = JSON.parse(text) as PersistedFile;
    if (parsed.kind !== 'KubeEmulatorState' || !parsed.identity?.caCertPem)
      throw new Error('not a kube-emulator state file');
    return parsed;
  } catch (e) {
    throw new Error(
      `Cannot read kube-emulator persistence file ${file}: ${
        (e as Error).message
      }`,
    );
  }
}

/** The store as tests and tools see it: clones out, writes through the registry. */
class StoreFacade implements ClusterStore {
  constructor(private readonly state: () => ClusterState) {}

  list(resource: ResourceRef, namespace?: string) {
    return structuredClone(
      this.state().store.list(resolveResource(resource), namespace),
    );
  }

  get(resource: ResourceRef, name: string, namespace?: string) {
    const o = this.state().store.get(
      resolveResource(resource),
      namespace,
      name,
    );
    return o ? structuredClone(o) : undefined;
  }

  create(resource: ResourceRef, object: KubeObject) {
    const def = resolveResource(resource);
    return structuredClone(
      this.state().service.create(def, object.metadata?.namespace, object, {
        manager: 'kube-emulator',
      }),
    );
  }

  update(resource: ResourceRef, object: KubeObject) {
    const def = resolveResource(resource);
    return structuredClone(
      this.state().service.update(
        def,
        object.metadata?.namespace,
        object.metadata.name!,
        object,
        {
          manager: 'kube-emulator',
        },
      ),
    );
  }

  delete(resource: ResourceRef, name: string, namespace?: string) {
    this.state().service.delete(resolveResource(resource), namespace, name, {});
  }

  get resourceVersion() {
    return this.state().store.resourceVersion;
  }
}

class Cluster implements EmulatedCluster, ApiServerContext {
  readonly name: string;
  readonly gitVersion: string;
  readonly bookmarkIntervalMs: number;
  readonly faults: FaultControl;
  readonly store: ClusterStore;
  private current: Faults;
  private listening = false;
  private boundPort: number;
  private readonly front: NetServer;
  private readonly https: HttpsServer;
  private readonly sockets = new Set<Socket>();
  private readonly longRunning = new Set<() => void>();
  private expired?: { certPem: string; keyPem: string };
  private stateValue?: ClusterState;
  private saveTimer?: NodeJS.Timeout;
  private stopping = false;
  private readonly version: Record<string, string>;
  private readonly balancers: LoadBalancers;

  constructor(
    readonly options: ResolvedClusterOptions,
    private readonly certs: ClusterCertificates,
    readonly tokens: Readonly<Record<Role, string>>,
    private snapshot: StoreSnapshot | undefined,
    port: number,
  ) {
    this.name = options.name;
    this.gitVersion = options.version.gitVersion;
    this.bookmarkIntervalMs = options.bookmarkIntervalMs;
    this.boundPort = port;
    this.current = { ...NO_FAULTS, ...options.faults };
    this.version = versionInfo(options.version);

    this.https = createHttpsServer(
      { key: certs.keyPem, cert: certs.certPem, ALPNProtocols: ['http/1.1'] },
      (req, res) => {
        handleRequest(this, req, res).catch(() => res.destroy());
      },
    );
    // Watches stream for as long as they like; headers must still arrive promptly.
    this.https.requestTimeout = 0;
    this.https.headersTimeout = 60_000;
    this.https.keepAliveTimeout = 60_000;
    this.https.on('tlsClientError', () => undefined);
    this.front = createNetServer({ pauseOnConnect: false }, socket =>
      this.accept(socket),
    );

    this.faults = {
      get: () => ({ ...this.current }),
      setFaults: f => this.setFaults(f),
      clearFaults: () => this.clearFaults(),
    };
    this.store = new StoreFacade(() => this.state());
    this.balancers = new LoadBalancers(this.name, () => this.stateValue?.ctx);
  }

  get port() {
    return this.boundPort;
  }

  get adminToken() {
    return this.tokens.admin;
  }

  get readOnlyToken() {
    return this.tokens.view;
  }

  get url() {
    return `https://127.0.0.1:${this.boundPort}`;
  }

  get caData() {
    return this.certs.caCertPem;
  }

  get running() {
    return this.listening || (this.current.refuse && !this.stopping);
  }

  versionInfo() {
    return this.version;
  }

  hostPort() {
    return `127.0.0.1:${this.boundPort}`;
  }

  currentFaults() {
    return this.current;
  }

  authenticate(token: string): UserInfo | undefined {
    const role = ROLES.find(r => this.tokens[r] === token);
    if (!role) return undefined;
    const revoked = this.current.revokedTokens;
    if (
      revoked.includes(token) ||
      revoked.includes(role) ||
      (role === 'view' && revoked.includes('readOnly'))
    )
      return undefined;
    return { username: usernameOf(role), groups: groupsOf(role), role };
  }

  state() {
    if (!this.stateValue) {
      this.stateValue = new ClusterState(
        this.options,
        () => this.current,
        this.certs.caCertPem,
        this.snapshot,
      );
      this.snapshot = undefined;
      if (this.options.persistenceFile) {
        this.stateValue.store.subscribe(() => this.scheduleSave());
      }
      this.stateValue.store.subscribe(e => this.balancers.onEvent(e));
      if (!this.listening) this.stateValue.pause();
      if (!this.stopping) void this.balancers.start();
    }
    return this.stateValue;
  }

  track(close: () => void) {
    this.longRunning.add(close);
    return () => {
      this.longRunning.delete(close);
    };
  }

  podLog(pod: KubeObject, container: string): string {
    const spec = (pod.spec?.containers ?? []).find(
      (c: any) => c.name === container,
    );
    const status = (pod.status?.containerStatuses ?? []).find(
      (s: any) => s.name === container,
    );
    const started =
      status?.state?.running?.startedAt ?? status?.state?.terminated?.startedAt;
    if (!started) {
      const reason = status?.state?.waiting?.reason ?? 'ContainerCreating';
      throw badRequest(
        `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${reason}`,
      );
    }
    const lines = [
      `${started} kube-emulator: container ${container} started (image ${
        spec?.image ?? 'unknown'
      }) on node ${pod.spec?.nodeName}`,
      `${started} kube-emulator: this is an emulated container; it produces no real output`,
    ];
    if (status?.state?.terminated)
      lines.push(
        `${status.state.terminated.finishedAt} kube-emulator: container ${container} exited with code 0`,
      );
    return `${lines.join('\n')}\n`;
  }

  /** Front door of every TCP connection: hang faults hold it, the rest goes to TLS/HTTP. */
  private accept(socket: Socket) {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    if (this.current.hang) {
      // Accepted, never answered: the TLS handshake itself never completes.
      socket.on('data', () => undefined);
      return;
    }
    this.https.emit('connection', socket);
  }

  private async listen() {
    if (this.listening) return;
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.front.once('error', onError);
      this.front.listen(
        {
          port: this.boundPort,
          host: '127.0.0.1',
          exclusive: true,
          backlog: 511,
        },
        () => {
          this.front.off('error', onError);
          resolve();
        },
      );
    });
    const address = this.front.address();
    if (address && typeof address === 'object') this.boundPort = address.port;
    this.listening = true;
  }

  private async unlisten() {
    if (!this.listening) return;
    this.listening = false;
    const closed = new Promise<void>(resolve =>
      this.front.close(() => resolve()),
    );
    this.dropConnections();
    await closed;
  }

  private dropConnections() {
    for (const close of [...this.longRunning]) close();
    this.longRunning.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  async setFaults(input: FaultsInput) {
    const parsed = parseOptions(partialFaultsSchema, input, 'faults');
    const before = this.current;
    const next: Faults = { ...before, ...parsed };
    if (next.expiredCert && !this.expired)
      this.expired = await createExpiredCertificate(this.certs, this.name);
    this.current = next;
    if (next.expiredCert !== before.expiredCert) {
      const pair = next.expiredCert
        ? this.expired!
        : { certPem: this.certs.certPem, keyPem: this.certs.keyPem };
      this.https.setSecureContext({
        key: pair.keyPem,
        cert: pair.certPem,
        ALPNProtocols: ['http/1.1'],
      } as any);
      // Established connections keep their old session; new handshakes see the change.
      this.dropConnections();
    }
    if (next.refuse && !before.refuse) await this.unlisten();
    if (!next.refuse && before.refuse && !this.stopping) await this.listen();
    if (next.nodesNotReady !== before.nodesNotReady)
      this.stateValue?.faultsChanged();
  }

  async clearFaults() {
    await this.setFaults({ ...NO_FAULTS });
  }

  async resizeNodes(input: NodePoolChange) {
    const change = parseOptions(nodePoolChangeSchema, input, 'node pool');
    const options = this.options as {
      nodes: number;
      nodeTemplate: {
        cpu: string;
        memory: string;
        labels?: Record<string, string>;
      };
    };
    if (change.nodes !== undefined) options.nodes = change.nodes;
    if (change.cpu !== undefined) options.nodeTemplate.cpu = change.cpu;
    if (change.memory !== undefined)
      options.nodeTemplate.memory = change.memory;
    if (change.labels !== undefined)
      options.nodeTemplate.labels = change.labels;
    this.state().nodesChanged();
  }

  async start() {
    this.stopping = false;
    if (!this.current.refuse) await this.listen();
    this.stateValue?.resume();
    await this.balancers.start();
  }

  async stop() {
    this.stopping = true;
    this.stateValue?.pause();
    await this.unlisten();
    this.dropConnections();
    await this.balancers.stop();
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
    await this.save();
  }

  private scheduleSave() {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.save().catch(e =>
        process.emitWarning(
          `kube-emulator: could not persist ${this.name}: ${e}`,
        ),
      );
    }, 250);
  }

  /** Writes the persistence file: identity (CA, certificate, tokens), port and objects. */
  async save() {
    const file = this.options.persistenceFile;
    if (!file) return;
    const snapshot = this.stateValue?.store.snapshot() ?? this.snapshot;
    const content: PersistedFile = {
      kind: 'KubeEmulatorState',
      version: 1,
      name: this.name,
      port: this.boundPort,
      identity: { ...this.certs, tokens: { ...this.tokens } },
      store: snapshot,
    };
    await writeFileAtomic(file, JSON.stringify(content));
  }

  kubeconfig(options: ClusterKubeConfigOptions = {}): KubeConfig {
    if (options.readOnly && !options.role) {
      const config = buildKubeConfig([this], { readOnlyContexts: true });
      config.contexts = config.contexts.filter(c =>
        c.name.endsWith('-readonly'),
      );
      config.users = config.users.filter(u => u.name.endsWith('-readonly'));
      config['current-context'] = config.contexts[0].name;
      return config;
    }
    return buildKubeConfig([this], { role: options.role });
  }

  kubeconfigYaml(options: ClusterKubeConfigOptions = {}): string {
    return kubeConfigYaml(this.kubeconfig(options));
  }
}

/**
 * Starts one emulated cluster: generates (or loads from the persistence file) its CA, serving
 * certificate and tokens, and listens on 127.0.0.1. Objects are created lazily, on first use.
 * @public
 */
export async function startCluster(
  input: ClusterOptions = {},
): Promise<EmulatedCluster> {
  const options = parseOptions(
    clusterOptionsSchema,
    input,
    'kube-emulator cluster options',
  );
  const persisted = options.persistenceFile
    ? await readPersisted(options.persistenceFile)
    : undefined;
  const kept = persisted?.identity;
  const certs: ClusterCertificates = kept
    ? {
        caCertPem: kept.caCertPem,
        caKeyPem: kept.caKeyPem,
        certPem: kept.certPem,
        keyPem: kept.keyPem,
      }
    : await createClusterCertificates(options.name);
  const tokens = resolveTokens(options, persisted?.identity);
  const port = options.port || persisted?.port || 0;
  let cluster = new Cluster(options, certs, tokens, persisted?.store, port);
  try {
    await cluster.start();
  } catch (e) {
    if (
      !options.port &&
      persisted?.port &&
      (e as NodeJS.ErrnoException).code === 'EADDRINUSE'
    ) {
      // The remembered port is taken: fall back to a free one.
      cluster = new Cluster(options, certs, tokens, persisted.store, 0);
      await cluster.start();
    } else {
      throw new Error(
        `kube-emulator: cluster ${
          options.name
        } cannot listen on 127.0.0.1:${port}: ${(e as Error).message}`,
      );
    }
  }
  // Write the identity at once, so that new (or newly added) tokens survive a crash.
  if (
    options.persistenceFile &&
    ROLES.some(r => persisted?.identity.tokens?.[r] !== tokens[r])
  )
    await cluster.save();
  if (persisted?.store) cluster.state();
  if (options.faults.nodesNotReady) cluster.state();
  return cluster;
}
