/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { randomUUID } from 'node:crypto';
import {
  KubeObject,
  ObjectStore,
  StoreEvent,
  StoreSnapshot,
} from './store/store';
import { ResourceService } from './api/service';
import { ResourceDef, RESOURCES } from './api/resources';
import { Faults, ResolvedClusterOptions } from './options';
import {
  ControllerContext,
  controllerOf,
  DEFS,
  EventRecorder,
  tolerate,
} from './controllers/context';
import { resizeNodes, syncNodes } from './controllers/nodes';
import { completePod, reconcilePod, startPod } from './controllers/pods';
import { reconcileDaemonSet } from './controllers/daemonSets';
import { reconcileDeployment } from './controllers/deployments';
import { reconcileJob } from './controllers/jobs';
import { reconcileReplicaSet } from './controllers/replicaSets';
import { reconcileStatefulSet } from './controllers/statefulSets';

type Obj = Record<string, any>;

const SYSTEM_NAMESPACES = [
  'default',
  'kube-node-lease',
  'kube-public',
  'kube-system',
];
// Keys reconciled per turn of the event loop, so a burst of work never starves the servers.
const KEYS_PER_TURN = 200;
const NAMESPACE_CLEANUP_DELAY_MS = 250;

function qosClass(pod: Obj): string {
  const containers: Obj[] = pod.spec?.containers ?? [];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (
        lim[r] === undefined ||
        (req[r] !== undefined && String(req[r]) !== String(lim[r]))
      )
        guaranteed = false;
    }
  }
  if (any && guaranteed) return 'Guaranteed';
  return any ? 'Burstable' : 'BestEffort';
}

/**
 * The state of one emulated cluster: its store, its registry and the simulated control plane
 * (scheduler, kubelets, workload controllers, namespace lifecycle, garbage collection). Created
 * on first use, so that idle clusters of a large fleet cost no memory.
 */
export class ClusterState {
  readonly store: ObjectStore;
  readonly service: ResourceService;
  readonly ctx: ControllerContext;
  private readonly recorder: EventRecorder;
  private readonly queue = new Map<
    string,
    [string, string | undefined, string]
  >();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly terminating = new Map<string, number>();
  private scheduled = false;
  private running = true;

  constructor(
    private readonly options: ResolvedClusterOptions,
    faults: () => Faults,
    caPem: string,
    snapshot?: StoreSnapshot,
  ) {
    this.store = new ObjectStore(options.watchHistory);
    this.service = new ResourceService(this.store, {
      admit: (def, obj, old) => this.admit(def, obj, old),
    });
    this.recorder = new EventRecorder(this.service, options.maxEvents);
    this.ctx = {
      store: this.store,
      service: this.service,
      options,
      faults,
      caPem,
      enqueue: (kind, ns, name) => this.enqueue(kind, ns, name),
      later: (ms, fn) => this.later(ms, fn),
      record: (obj, type, reason, message, component, host) => {
        const def = RESOURCES.find(r => r.kind === obj.kind) ?? DEFS.pods;
        this.recorder.record(obj, def, type, reason, message, component, host);
      },
    };
    this.store.subscribe(e => this.onEvent(e));
    if (snapshot) {
      this.store.restore(snapshot);
      syncNodes(this.ctx);
      this.resync();
    } else {
      this.boot();
    }
  }

  private boot() {
    for (const name of SYSTEM_NAMESPACES) {
      tolerate(() =>
        this.service.controllerCreate(
          DEFS.namespaces,
          { metadata: { name } },
          'kube-apiserver',
        ),
      );
    }
    syncNodes(this.ctx);
    tolerate(() =>
      this.service.controllerCreate(
        DEFS.services,
        {
          metadata: {
            name: 'kubernetes',
            namespace: 'default',
            labels: { component: 'apiserver', provider: 'kubernetes' },
          },
          spec: {
            clusterIP: '10.96.0.1',
            ports: [
              { name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 },
            ],
            sessionAffinity: 'None',
            type: 'ClusterIP',
          },
        },
        'kube-apiserver',
      ),
    );
  }

  /** Admission the cluster owns: service IPs and node ports, pod QoS, job selectors. */
  private admit(
    def: ResourceDef,
    obj: KubeObject,
    old: KubeObject | undefined,
  ) {
    if (def.kind === 'Service') {
      const spec = (obj.spec ??= {});
      if (old?.spec) {
        // Updates that omit allocated values keep them, as the real registry patches them in.
        spec.clusterIP ??= old.spec.clusterIP;
        spec.clusterIPs ??= old.spec.clusterIPs;
        for (const p of spec.ports ?? []) {
          const was = (old.spec.ports ?? []).find(
            (o: Obj) =>
              o.port === p.port &&
              (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'),
          );
          if (
            was?.nodePort &&
            p.nodePort === undefined &&
            spec.type !== 'ClusterIP'
          )
            p.nodePort = was.nodePort;
        }
      }
      if (spec.type !== 'ExternalName' && !spec.clusterIP)
        spec.clusterIP = this.allocateClusterIp();
      if (spec.clusterIP && !spec.clusterIPs)
        spec.clusterIPs = [spec.clusterIP];
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
        for (const p of spec.ports ?? [])
          if (!p.nodePort) p.nodePort = this.allocateNodePort(obj);
      }
    }
    if (def.kind === 'Pod' && !old) {
      obj.status = {
        ...(obj.status ?? {}),
        phase: 'Pending',
        qosClass: qosClass(obj),
      };
    }
    if (def.kind === 'Job' && !old && !obj.spec?.manualSelector) {
      const uid = randomUUID();
      obj.metadata.uid = uid;
      const jobName = obj.metadata.name ?? '';
      const labels: Record<string, string> = {
        'batch.kubernetes.io/controller-uid': uid,
        'batch.kubernetes.io/job-name': jobName,
        'controller-uid': uid,
        'job-name': jobName,
      };
      obj.spec = {
        ...(obj.spec ?? {}),
        selector: {
          matchLabels: { 'batch.kubernetes.io/controller-uid': uid },
        },
      };
      obj.spec.template = { ...(obj.spec.template ?? {}) };
      obj.spec.template.metadata = {
        ...(obj.spec.template.metadata ?? {}),
        labels: { ...(obj.spec.template.metadata?.labels ?? {}), ...labels },
      };
      const own: Record<string, string> = {
        ...labels,
        ...(obj.metadata.labels ?? {}),
      };
      delete own['batch.kubernetes.io/controller-uid'];
      delete own['controller-uid'];
      obj.metadata.labels = own;
    }
  }

  private allocateClusterIp(): string {
    const used = new Set(
      this.store.list(DEFS.services).map(s => s.spec?.clusterIP),
    );
    for (let i = 10; i < 65000; i++) {
      const ip = `10.96.${Math.floor(i / 254)}.${(i % 254) + 1}`;
      if (!used.has(ip)) return ip;
    }
    throw new Error('service IP range exhausted');
  }

  private allocateNodePort(obj: KubeObject): number {
    const used = new Set<number>();
    for (const s of this.store.list(DEFS.services))
      for (const p of s.spec?.ports ?? []) if (p.nodePort) used.add(p.nodePort);
    for (const p of obj.spec?.ports ?? []) if (p.nodePort) used.add(p.nodePort);
    for (let port = 30000; port <= 32767; port++)
      if (!used.has(port)) return port;
    throw new Error('node port range exhausted');
  }

  private onEvent(e: StoreEvent) {
    const o = e.object;
    const ns = o.metadata.namespace;
    const name = o.metadata.name!;
    switch (e.def.kind) {
      case 'Event':
        return;
      case 'Namespace':
        this.enqueue('Namespace', undefined, name);
        return;
      case 'Node':
        for (const ds of this.store.list(DEFS.daemonsets))
          this.enqueue('DaemonSet', ds.metadata.namespace, ds.metadata.name!);
        for (const p of this.store.list(DEFS.pods)) {
          if (!p.spec?.nodeName || p.spec.nodeName === name)
            this.enqueue('Pod', p.metadata.namespace, p.metadata.name!);
        }
        return;
      case 'Pod': {
        if (e.type !== 'DELETED') this.enqueue('Pod', ns, name);
        const owner = controllerOf(o);
        if (owner) this.enqueue(owner.kind, ns, owner.name);
        if (e.type === 'DELETED') {
          // A freed slot may let an unschedulable pod in.
          for (const p of this.store.list(DEFS.pods))
            if (!p.spec?.nodeName)
              this.enqueue('Pod', p.metadata.namespace, p.metadata.name!);
        }
        break;
      }
      case 'ReplicaSet': {
        this.enqueue('ReplicaSet', ns, name);
        const owner = controllerOf(o);
        if (owner) this.enqueue(owner.kind, ns, owner.name);
        break;
      }
      case 'Deployment':
      case 'StatefulSet':
      case 'DaemonSet':
      case 'Job':
        if (e.type !== 'DELETED') this.enqueue(e.def.kind, ns, name);
        break;
      default:
        break;
    }
    if (e.type === 'DELETED' && ns) {
      const nsObj = this.store.get(DEFS.namespaces, undefined, ns);
      if (nsObj?.metadata.deletionTimestamp)
        this.enqueue('Namespace', undefined, ns);
    }
  }

  enqueue(kind: string, namespace: string | undefined, name: string) {
    if (!this.running) return;
    this.queue.set(`${kind}/${namespace ?? ''}/${name}`, [
      kind,
      namespace,
      name,
    ]);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush() {
    this.scheduled = false;
    if (!this.running) return;
    let n = 0;
    for (const [key, [kind, ns, name]] of this.queue) {
      if (n++ >= KEYS_PER_TURN) break;
      this.queue.delete(key);
      try {
        this.reconcile(kind, ns, name);
      } catch (e) {
        // A controller bug must not take the emulator down; the next event retries.
        process.emitWarning(
          `kube-emulator: ${this.options.name}: reconcile ${key} failed: ${
            (e as Error).stack ?? e
          }`,
        );
      }
    }
    if (this.queue.size && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private reconcile(kind: string, ns: string | undefined, name: string) {
    switch (kind) {
      case 'Namespace':
        return this.reconcileNamespace(name);
      case 'Pod':
        return reconcilePod(this.ctx, ns!, name);
      case 'PodStart':
        return startPod(this.ctx, ns!, name);
      case 'PodComplete':
        return completePod(this.ctx, ns!, name);
      case 'ReplicaSet':
        return reconcileReplicaSet(this.ctx, ns!, name);
      case 'Deployment':
        return reconcileDeployment(this.ctx, ns!, name);
      case 'StatefulSet':
        return reconcileStatefulSet(this.ctx, ns!, name);
      case 'DaemonSet':
        return reconcileDaemonSet(this.ctx, ns!, name);
      case 'Job':
        return reconcileJob(this.ctx, ns!, name);
      default:
        return undefined;
    }
  }

  /** The namespace controller: default service account and root CA in new namespaces, cleanup on delete. */
  private reconcileNamespace(name: string) {
    const ns = this.store.get(DEFS.namespaces, undefined, name);
    if (!ns) return;
    if (!ns.metadata.deletionTimestamp) {
      if (!this.store.get(DEFS.serviceaccounts, name, 'default')) {
        tolerate(() =>
          this.service.controllerCreate(
            DEFS.serviceaccounts,
            { metadata: { name: 'default', namespace: name } },
            'kube-controller-manager',
          ),
        );
      }
      if (!this.store.get(DEFS.configmaps, name, 'kube-root-ca.crt')) {
        tolerate(() =>
          this.service.controllerCreate(
            DEFS.configmaps,
            {
              metadata: {
                name: 'kube-root-ca.crt',
                namespace: name,
                annotations: {
                  'kubernetes.io/description':
                    'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
                },
              },
              data: { 'ca.crt': this.ctx.caPem },
            },
            'kube-root-ca-cert-publisher',
          ),
        );
      }
      return;
    }
    // The real namespace controller gets to a deleted namespace after its informers and
    // discovery catch up; clients deleting a namespace and its contents (kubectl delete -f)
    // rely on the contents still being there for a moment.
    const since = this.terminating.get(name) ?? Date.now();
    this.terminating.set(name, since);
    if (Date.now() - since < NAMESPACE_CLEANUP_DELAY_MS) {
      this.later(NAMESPACE_CLEANUP_DELAY_MS - (Date.now() - since), () =>
        this.enqueue('Namespace', undefined, name),
      );
      return;
    }
    let remaining = 0;
    for (const def of RESOURCES) {
      if (!def.namespaced || def.kind === 'Event') continue;
      for (const o of this.store.list(def, name)) {
        remaining++;
        if (!o.metadata.deletionTimestamp) {
          tolerate(() =>
            this.service.delete(def, name, o.metadata.name!, {
              propagationPolicy: 'Background',
              gracePeriodSeconds: def.kind === 'Pod' ? 0 : undefined,
            }),
          );
        }
      }
    }
    if (remaining) return;
    for (const ev of this.store.list(DEFS.events, name))
      tolerate(() => this.store.delete(DEFS.events, name, ev.metadata.name!));
    tolerate(() => this.store.delete(DEFS.namespaces, undefined, name));
    this.terminating.delete(name);
  }

  /** Re-drives every controller: after a restore from disk or a restart. */
  resync() {
    for (const ns of this.store.list(DEFS.namespaces))
      this.enqueue('Namespace', undefined, ns.metadata.name!);
    for (const kind of [
      'deployments',
      'replicasets',
      'statefulsets',
      'daemonsets',
      'jobs',
    ] as const) {
      for (const o of this.store.list(DEFS[kind]))
        this.enqueue(DEFS[kind].kind, o.metadata.namespace, o.metadata.name!);
    }
    for (const p of this.store.list(DEFS.pods)) {
      this.enqueue('Pod', p.metadata.namespace, p.metadata.name!);
      const key = `${p.metadata.name}/${p.metadata.uid}`;
      if (p.status?.phase === 'Pending' && p.status?.startTime) {
        this.later(this.options.podReadyDelayMs, () =>
          this.enqueue('PodStart', p.metadata.namespace, key),
        );
      }
      if (
        p.status?.phase === 'Running' &&
        (controllerOf(p)?.kind === 'Job' || p.spec?.restartPolicy !== 'Always')
      ) {
        this.later(this.options.jobDurationMs, () =>
          this.enqueue('PodComplete', p.metadata.namespace, key),
        );
      }
    }
  }

  later(ms: number, fn: () => void) {
    if (!this.running) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.running) fn();
    }, ms);
    this.timers.add(t);
  }

  /** Faults changed: nodes follow nodesNotReady, and their pods follow the nodes. */
  faultsChanged() {
    if (this.running) syncNodes(this.ctx);
  }

  /** The node pool's options changed: nodes register, take new capacity, or go. */
  nodesChanged() {
    resizeNodes(this.ctx);
    if (this.running) syncNodes(this.ctx);
  }

  /** Stops the control plane (timers, queue); the store stays. */
  pause() {
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.queue.clear();
  }

  resume() {
    if (this.running) return;
    this.running = true;
    syncNodes(this.ctx);
    this.resync();
  }
}
