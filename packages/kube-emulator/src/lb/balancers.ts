/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { KubeObject, StoreEvent } from '../store/store';
import { ControllerContext, DEFS, tolerate } from '../controllers/context';
import { resolveResource } from '../api/resources';
import { jsonEqual } from '../util';
import {
  bindFailure,
  claimAddress,
  listenOn,
  releaseAddress,
} from './addresses';
import { readyEndpoints, routeIngress, servicePortOf } from './routing';

type Obj = Record<string, any>;
type Kind = 'Service' | 'Ingress';

const INGRESSES = resolveResource('networking.k8s.io/v1/ingresses');
// How many addresses to try when another process already serves the random one picked.
const MAX_ADDRESS_ATTEMPTS = 20;

interface Listener {
  /** The port the Service (or Ingress: 80) asks for. */
  requested: number;
  /** The port actually served: `requested`, or a free one when that was not permitted. */
  port: number;
  server: Server;
}

interface Balancer {
  kind: Kind;
  namespace: string;
  name: string;
  ip: string;
  /** Whether this process's registry holds `ip` for this balancer (not while stopped). */
  claimed: boolean;
  listeners: Listener[];
  /** Round-robin position over the ready pods. */
  turn: number;
}

function closeServer(server: Server): Promise<void> {
  return new Promise(resolve => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

function reply(res: ServerResponse, status: number, body: Obj) {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** The ports a balancer serves: a Service's TCP ports, an Ingress's port 80. */
function requestedPorts(kind: Kind, obj: KubeObject): number[] {
  if (kind === 'Ingress') return [80];
  return (obj.spec?.ports ?? [])
    .filter((p: Obj) => (p.protocol ?? 'TCP') === 'TCP')
    .map((p: Obj) => Number(p.port))
    .filter((p: number) => Number.isInteger(p) && p > 0 && p < 65536);
}

/**
 * What a cloud controller manager and an ingress controller do for a cluster: every Service of
 * type LoadBalancer and every Ingress gets an address of its own (a random loopback address,
 * unique in this process, stable across restarts through its status), recorded in
 * `status.loadBalancer.ingress`, and plain HTTP served there. A Service answers on its TCP
 * ports, an Ingress on port 80 routing by host and path; the answer names the Ready pod that
 * "served" it, or is a 503 when no pod is ready. A port below 1024 that this user may not bind
 * is replaced by a free port, and every served port is listed in
 * `status.loadBalancer.ingress[0].ports`, in the order of the Service's TCP ports.
 */
export class LoadBalancers {
  private readonly balancers = new Map<string, Balancer>();
  private readonly busy = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private running = false;

  constructor(
    private readonly clusterName: string,
    private readonly context: () => ControllerContext | undefined,
  ) {}

  /** Store events: Services and Ingresses are (re)synced. */
  onEvent(e: StoreEvent) {
    if (e.def.kind === 'Service' || e.def.kind === 'Ingress') {
      this.enqueue(
        e.def.kind,
        e.object.metadata.namespace!,
        e.object.metadata.name!,
      );
    }
  }

  /** Serves every balancer (after a start or a restore). */
  async start() {
    this.running = true;
    const ctx = this.context();
    if (!ctx) return;
    const all = [
      ...ctx.store.list(DEFS.services).map(o => ['Service', o] as const),
      ...ctx.store.list(INGRESSES).map(o => ['Ingress', o] as const),
    ];
    await Promise.all(
      all.map(([kind, o]) =>
        this.enqueue(kind, o.metadata.namespace!, o.metadata.name!),
      ),
    );
  }

  /**
   * Stops serving (connections refused). The addresses stay in the objects' status and are
   * claimed again on start (or by a cluster restored from the same persistence file).
   */
  async stop() {
    this.running = false;
    await Promise.all([...this.busy.values()]);
    await Promise.all(
      [...this.balancers.values()].map(async b => {
        await this.closeListeners(b);
        if (b.claimed) releaseAddress(b.ip);
        b.claimed = false;
      }),
    );
  }

  /** Syncs one object; syncs of the same object never overlap (a later event re-runs it). */
  enqueue(kind: Kind, namespace: string, name: string): Promise<void> {
    const key = `${kind}/${namespace}/${name}`;
    const running = this.busy.get(key);
    if (running) {
      this.dirty.add(key);
      return running;
    }
    const loop = (async () => {
      do {
        this.dirty.delete(key);
        try {
          await this.sync(kind, namespace, name);
        } catch (e) {
          this.warn(kind, namespace, name, (e as Error).message);
        }
      } while (this.dirty.has(key));
    })().finally(() => this.busy.delete(key));
    this.busy.set(key, loop);
    return loop;
  }

  private warn(kind: Kind, namespace: string, name: string, message: string) {
    const ctx = this.context();
    const def = kind === 'Service' ? DEFS.services : INGRESSES;
    const obj = ctx?.store.get(def, namespace, name);
    if (ctx && obj) {
      ctx.record(
        obj,
        'Warning',
        'SyncLoadBalancerFailed',
        `Error syncing load balancer: ${message}`,
        'service-controller',
      );
    }
  }

  private async closeListeners(
    b: Balancer,
    keep: (l: Listener) => boolean = () => false,
  ) {
    const closing = b.listeners.filter(l => !keep(l));
    b.listeners = b.listeners.filter(keep);
    await Promise.all(closing.map(l => closeServer(l.server)));
  }

  private async sync(kind: Kind, namespace: string, name: string) {
    const ctx = this.context();
    if (!ctx) return;
    const key = `${kind}/${namespace}/${name}`;
    const def = kind === 'Service' ? DEFS.services : INGRESSES;
    const obj = ctx.store.get(def, namespace, name);
    const wanted =
      !!obj &&
      !obj.metadata.deletionTimestamp &&
      (kind === 'Ingress' || obj.spec?.type === 'LoadBalancer');
    let b = this.balancers.get(key);
    if (!wanted) {
      if (b) {
        this.balancers.delete(key);
        await this.closeListeners(b);
        if (b.claimed) releaseAddress(b.ip);
      }
      // A Service that stopped being a LoadBalancer loses its address, as in a real cluster.
      if (
        obj &&
        !obj.metadata.deletionTimestamp &&
        obj.status?.loadBalancer?.ingress
      )
        this.writeStatus(ctx, kind, obj, {});
      return;
    }
    if (!this.running) return;
    const recorded = obj!.status?.loadBalancer?.ingress?.[0];
    if (!b) {
      b = {
        kind,
        namespace,
        name,
        ip: '',
        claimed: false,
        listeners: [],
        turn: 0,
      };
      this.balancers.set(key, b);
    }
    if (!b.claimed) {
      b.ip = claimAddress(b.ip || recorded?.ip);
      b.claimed = true;
    }

    const requested = requestedPorts(kind, obj!);
    await this.closeListeners(b, l => requested.includes(l.requested));
    const previous = new Map<number, number>(
      requested.map((port, i) => [port, Number(recorded?.ports?.[i]?.port)]),
    );
    for (let attempt = 1; ; attempt++) {
      try {
        for (const port of requested) {
          if (b.listeners.some(l => l.requested === port)) continue;
          b.listeners.push(await this.bind(b, port, previous.get(port)));
        }
        break;
      } catch (e) {
        if (bindFailure(e) !== 'in-use' || attempt >= MAX_ADDRESS_ATTEMPTS)
          throw e;
        // Another process serves this address: move to a fresh one.
        await this.closeListeners(b);
        releaseAddress(b.ip);
        b.ip = claimAddress();
      }
    }
    if (!this.running || this.balancers.get(key) !== b) {
      await this.closeListeners(b);
      if (b.claimed && this.balancers.get(key) !== b) releaseAddress(b.ip);
      return;
    }
    const ports = requested.map(port => ({
      port: b!.listeners.find(l => l.requested === port)!.port,
      protocol: 'TCP',
    }));
    const entry: Obj = { ip: b.ip };
    if (kind === 'Service') entry.ipMode = 'VIP';
    if (ports.length) entry.ports = ports;
    const first = !recorded;
    if (
      this.writeStatus(ctx, kind, obj!, { ingress: [entry] }) &&
      first &&
      kind === 'Service'
    ) {
      ctx.record(
        obj!,
        'Normal',
        'EnsuredLoadBalancer',
        'Ensured load balancer',
        'service-controller',
      );
    }
  }

  /** Binds `port` on the balancer's address; a port the user may not bind becomes a free one. */
  private async bind(
    b: Balancer,
    port: number,
    previous: number | undefined,
  ): Promise<Listener> {
    const server = createServer((req, res) => this.answer(b, port, req, res));
    server.keepAliveTimeout = 5_000;
    try {
      return {
        requested: port,
        port: await listenOn(server, b.ip, port),
        server,
      };
    } catch (e) {
      if (bindFailure(e) !== 'not-permitted') throw e;
    }
    // Keep the free port chosen before, when it is still free.
    if (previous && previous !== port) {
      try {
        return {
          requested: port,
          port: await listenOn(server, b.ip, previous),
          server,
        };
      } catch {
        // taken meanwhile: any free port will do
      }
    }
    return { requested: port, port: await listenOn(server, b.ip, 0), server };
  }

  private writeStatus(
    ctx: ControllerContext,
    kind: Kind,
    obj: KubeObject,
    loadBalancer: Obj,
  ): boolean {
    if (jsonEqual(obj.status?.loadBalancer ?? {}, loadBalancer)) return false;
    const def = kind === 'Service' ? DEFS.services : INGRESSES;
    return !!tolerate(() =>
      ctx.service.controllerWrite(
        def,
        obj,
        { ...obj, status: { ...(obj.status ?? {}), loadBalancer } },
        kind === 'Service' ? 'service-controller' : 'ingress-controller',
        'status',
      ),
    );
  }

  /** The HTTP answer on a balancer's port. */
  private answer(
    b: Balancer,
    port: number,
    req: IncomingMessage,
    res: ServerResponse,
  ) {
    const ctx = this.context();
    const base: Obj = { cluster: this.clusterName, namespace: b.namespace };
    if (!ctx)
      return reply(res, 503, { ...base, error: 'cluster is not running' });
    const path = new URL(req.url ?? '/', 'http://lb').pathname;
    let service: KubeObject | undefined;
    let servicePort: Obj | undefined;
    if (b.kind === 'Service') {
      base.service = b.name;
      service = ctx.store.get(DEFS.services, b.namespace, b.name);
      servicePort = (service?.spec?.ports ?? []).find(
        (p: Obj) => p.port === port && (p.protocol ?? 'TCP') === 'TCP',
      );
    } else {
      base.ingress = b.name;
      const ingress = ctx.store.get(INGRESSES, b.namespace, b.name);
      const backend = ingress
        ? routeIngress(ingress, req.headers.host ?? '', path)
        : undefined;
      if (!backend) {
        return reply(res, 404, {
          ...base,
          error: `no rule of ingress ${b.namespace}/${
            b.name
          } matches host ${JSON.stringify(
            req.headers.host ?? '',
          )} and path ${JSON.stringify(path)}`,
        });
      }
      base.service = backend.service;
      service = ctx.store.get(DEFS.services, b.namespace, backend.service);
      servicePort = service ? servicePortOf(service, backend.port) : undefined;
    }
    if (!service || !servicePort) {
      return reply(res, 503, {
        ...base,
        error: service
          ? `service ${b.namespace}/${service.metadata.name} has no such port`
          : `service ${b.namespace}/${base.service} not found`,
      });
    }
    const pods = readyEndpoints(
      service,
      ctx.store.list(DEFS.pods, b.namespace),
    );
    if (!pods.length) {
      return reply(res, 503, {
        ...base,
        error: `no ready pods for service ${b.namespace}/${service.metadata.name}`,
      });
    }
    const pod = pods[b.turn++ % pods.length];
    return reply(res, 200, {
      ...base,
      pod: pod.metadata.name,
      node: pod.spec?.nodeName,
      podIP: pod.status?.podIP,
      port: servicePort.port,
      targetPort: servicePort.targetPort ?? servicePort.port,
      host: req.headers.host,
      path,
    });
  }
}
