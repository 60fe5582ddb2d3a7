/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

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
import {
  buildKubeConfig,
  KubeConfig,
  kubeConfigYaml,
  writeFileAtomic,
} from './kubeconfig';
import { groupsOf, Role, ROLES, usernameOf } from './auth/roles';
import { badRequest } from './api/status';
import { versionInfo } from './api/version';
import { LoadBalancers } from './lb/balancers';
import {
  ClusterStore,
  FaultControl,
  ClusterKubeConfigOptions,
  EmulatedCluster,
  NodePoolChange,
  nodePoolChangeSchema,
} from './clusterTypes';
import {
  PersistedFile,
  resolveTokens,
  readPersisted,
} from './clusterPersistence';
import { StoreFacade } from './storeFacade';
import { listenOnLoopback } from './loopback';

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
    this.boundPort = await listenOnLoopback(this.front, {
      port: this.boundPort,
      exclusive: true,
      backlog: 511,
    });
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
