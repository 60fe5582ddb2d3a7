/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { createHash } from 'node:crypto';
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
} from '../certs';
import {
  Faults,
  FaultsInput,
  NO_FAULTS,
  parseOptions,
  partialFaultsSchema,
  ResolvedClusterOptions,
} from '../options';
import { KubeObject } from '../store/store';
import { buildNode, notReady } from '../controllers/nodes';
import { versionInfo } from '../api/version';
import { Role } from '../auth/roles';
import { nowTimestamp } from '../util';
import { handleLightRequest, LightContext } from './handler';
import { listenOnLoopback } from '../loopback';

/** The roles a light cluster issues tokens for. @public */
export type LightRole = Extract<Role, 'view' | 'probe'>;

/** What starts one light cluster. */
export interface LightClusterSpec {
  /** Resolved cluster options (name, version, nodes, nodeTemplate, nodeLabels, faults). */
  options: ResolvedClusterOptions;
  tokens: Record<LightRole, string>;
}

function uuidOf(text: string) {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
}

/**
 * What every light cluster of a process shares: one CA, one serving certificate for 127.0.0.1
 * signed by it (and, when a cluster is told to, an expired one), and one HTTPS server that
 * each cluster's listening socket hands its connections to.
 */
export class LightHost {
  private readonly clustersByPort = new Map<number, LightCluster>();
  private readonly https: HttpsServer;
  private expired?: Promise<HttpsServer>;

  private constructor(private readonly certs: ClusterCertificates) {
    this.https = this.serve(certs);
  }

  static async create(name = 'kube-emulator-light'): Promise<LightHost> {
    return new LightHost(await createClusterCertificates(name));
  }

  get caData() {
    return this.certs.caCertPem;
  }

  private serve(pair: { keyPem: string; certPem: string }) {
    const server = createHttpsServer(
      { key: pair.keyPem, cert: pair.certPem, ALPNProtocols: ['http/1.1'] },
      (req, res) => {
        const cluster = this.clustersByPort.get(req.socket.localPort ?? 0);
        if (!cluster) {
          res.destroy();
          return;
        }
        handleLightRequest(cluster, req, res).catch(() => res.destroy());
      },
    );
    server.requestTimeout = 0;
    server.headersTimeout = 60_000;
    server.keepAliveTimeout = 60_000;
    server.on('tlsClientError', () => undefined);
    return server;
  }

  /** The HTTPS server with the expired certificate, created on first use. */
  expiredServer(): Promise<HttpsServer> {
    this.expired ??= createExpiredCertificate(
      this.certs,
      'kube-emulator-light',
    ).then(pair => this.serve(pair));
    return this.expired;
  }

  handOver(socket: Socket, expired: HttpsServer | undefined) {
    (expired ?? this.https).emit('connection', socket);
  }

  register(port: number, cluster: LightCluster) {
    this.clustersByPort.set(port, cluster);
  }

  unregister(port: number, cluster: LightCluster) {
    if (this.clustersByPort.get(port) === cluster)
      this.clustersByPort.delete(port);
  }
}

/**
 * A light cluster: health, version, discovery and nodes with `probe` and `view` tokens, on a
 * port of its own, with no object store. Its nodes are built on each request.
 */
export class LightCluster implements LightContext {
  readonly name: string;
  private current: Faults;
  private readonly version: Record<string, string>;
  private readonly front: NetServer;
  private readonly sockets = new Set<Socket>();
  private longRunning?: Set<() => void>;
  private expiredServer?: HttpsServer;
  private boundPort: number;
  private listening = false;
  private stopped = true;
  private readonly created = nowTimestamp();
  private readySince = this.created;
  private revision = 1;

  constructor(
    private readonly host: LightHost,
    private readonly options: ResolvedClusterOptions,
    readonly tokens: Readonly<Record<LightRole, string>>,
  ) {
    this.name = options.name;
    this.boundPort = options.port;
    this.current = { ...NO_FAULTS, ...options.faults };
    this.version = versionInfo(options.version);
    this.front = createNetServer(socket => this.accept(socket));
  }

  get port() {
    return this.boundPort;
  }

  get running() {
    return !this.stopped;
  }

  get faults(): Faults {
    return { ...this.current };
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

  authenticate(token: string): Role | undefined {
    const role = (['view', 'probe'] as const).find(
      r => this.tokens[r] === token,
    );
    if (!role) return undefined;
    const revoked = this.current.revokedTokens;
    if (
      revoked.includes(token) ||
      revoked.includes(role) ||
      (role === 'view' && revoked.includes('readOnly'))
    )
      return undefined;
    return role;
  }

  nodes(): KubeObject[] {
    const ctx = { options: this.options, faults: () => this.current };
    const out: KubeObject[] = [];
    for (let i = 1; i <= this.options.nodes; i++) {
      const ready = !notReady(ctx, i);
      const previous = ['MemoryPressure', 'DiskPressure', 'PIDPressure'].map(
        type => ({ type, status: 'False', lastTransitionTime: this.created }),
      );
      previous.push({
        type: 'Ready',
        status: ready ? 'True' : 'False',
        lastTransitionTime: this.readySince,
      });
      const node = buildNode(ctx, i, previous);
      node.metadata.uid = uuidOf(`${this.name}/${node.metadata.name}`);
      node.metadata.resourceVersion = String(this.revision);
      node.metadata.creationTimestamp = this.created;
      out.push(node);
    }
    return out;
  }

  track(close: () => void) {
    const set = (this.longRunning ??= new Set());
    set.add(close);
    return () => {
      set.delete(close);
    };
  }

  private accept(socket: Socket) {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    if (this.current.hang) {
      socket.on('data', () => undefined);
      return;
    }
    this.host.handOver(
      socket,
      this.current.expiredCert ? this.expiredServer : undefined,
    );
  }

  private async listen() {
    if (this.listening) return;
    this.boundPort = await listenOnLoopback(this.front, {
      port: this.boundPort,
      exclusive: true,
      backlog: 511,
    });
    this.host.register(this.boundPort, this);
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
    for (const close of [...(this.longRunning ?? [])]) close();
    this.longRunning = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  async start() {
    this.stopped = false;
    if (!this.current.refuse) await this.listen();
  }

  async stop() {
    this.stopped = true;
    await this.unlisten();
    this.dropConnections();
  }

  async setFaults(input: FaultsInput): Promise<Faults> {
    const parsed = parseOptions(partialFaultsSchema, input, 'faults');
    const before = this.current;
    const next: Faults = { ...before, ...parsed };
    if (next.expiredCert && !this.expiredServer)
      this.expiredServer = await this.host.expiredServer();
    this.current = next;
    if (next.expiredCert !== before.expiredCert) this.dropConnections();
    if (next.refuse && !before.refuse) await this.unlisten();
    if (!next.refuse && before.refuse && !this.stopped) await this.listen();
    if (
      JSON.stringify(next.nodesNotReady) !==
      JSON.stringify(before.nodesNotReady)
    ) {
      this.revision++;
      this.readySince = nowTimestamp();
    }
    return this.faults;
  }
}
