/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { createHash } from 'node:crypto';
import { KubeObject } from '../store/store';
import { nowTimestamp } from '../util';
import { ControllerContext, DEFS, tolerate } from './context';

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};

/** Parses a resource.Quantity ("4", "3500m", "16Gi") to a number; NaN when malformed. */
export function parseQuantity(q: string): number {
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(q.trim());
  if (!m || !(m[2] in SUFFIX)) return NaN;
  return Number(m[1]) * SUFFIX[m[2]];
}

function kibibytes(bytes: number): string {
  return `${Math.floor(bytes / 1024)}Ki`;
}

/** What building a node needs: the cluster's options and its faults. */
export type NodeContext = Pick<ControllerContext, 'options' | 'faults'>;

/** Capacity and allocatable as a kubelet reports them (memory in Ki, reservations subtracted). */
function resources(ctx: NodeContext) {
  const t = ctx.options.nodeTemplate;
  const cpu = parseQuantity(t.cpu);
  const memory = parseQuantity(t.memory);
  const storage = parseQuantity(t.ephemeralStorage);
  const capacity = {
    cpu: t.cpu,
    'ephemeral-storage': Number.isFinite(storage)
      ? kibibytes(storage)
      : t.ephemeralStorage,
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: Number.isFinite(memory) ? kibibytes(memory) : t.memory,
    pods: String(t.pods),
  };
  const allocatable = {
    ...capacity,
    cpu: Number.isFinite(cpu)
      ? `${Math.max(0, Math.round(cpu * 1000) - 80)}m`
      : t.cpu,
    'ephemeral-storage': Number.isFinite(storage)
      ? String(Math.floor(storage * 0.9))
      : t.ephemeralStorage,
    memory: Number.isFinite(memory)
      ? kibibytes(Math.max(0, memory - 700 * 1024 ** 2))
      : t.memory,
  };
  return { capacity, allocatable };
}

export function nodeName(ctx: NodeContext, i: number): string {
  const prefix =
    ctx.options.nodeTemplate.namePrefix ?? `${ctx.options.name}-node-`;
  return `${prefix}${i}`;
}

function zones(ctx: NodeContext): string[] {
  const t = ctx.options.nodeTemplate;
  return t.zones ?? ['a', 'b', 'c'].map(s => `${t.region}${s}`);
}

/** Whether node i (1-based) is told to be NotReady by the current faults. */
export function notReady(ctx: NodeContext, i: number): boolean {
  const f = ctx.faults().nodesNotReady;
  return f === true || (typeof f === 'number' && i <= f);
}

export function conditions(ready: boolean, previous: any[] | undefined) {
  const now = nowTimestamp();
  const keep = (type: string, status: string) => {
    const p = (previous ?? []).find(c => c.type === type);
    return p && p.status === status ? p.lastTransitionTime : now;
  };
  return [
    {
      type: 'MemoryPressure',
      status: 'False',
      lastHeartbeatTime: now,
      lastTransitionTime: keep('MemoryPressure', 'False'),
      reason: 'KubeletHasSufficientMemory',
      message: 'kubelet has sufficient memory available',
    },
    {
      type: 'DiskPressure',
      status: 'False',
      lastHeartbeatTime: now,
      lastTransitionTime: keep('DiskPressure', 'False'),
      reason: 'KubeletHasNoDiskPressure',
      message: 'kubelet has no disk pressure',
    },
    {
      type: 'PIDPressure',
      status: 'False',
      lastHeartbeatTime: now,
      lastTransitionTime: keep('PIDPressure', 'False'),
      reason: 'KubeletHasSufficientPID',
      message: 'kubelet has sufficient PID available',
    },
    ready
      ? {
          type: 'Ready',
          status: 'True',
          lastHeartbeatTime: now,
          lastTransitionTime: keep('Ready', 'True'),
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
        }
      : {
          type: 'Ready',
          status: 'False',
          lastHeartbeatTime: now,
          lastTransitionTime: keep('Ready', 'False'),
          reason: 'KubeletNotReady',
          message:
            'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
        },
  ];
}

const NOT_READY_TAINTS = ['NoSchedule', 'NoExecute'].map(effect => ({
  key: 'node.kubernetes.io/not-ready',
  effect,
}));

function uuidOf(hex: string): string {
  const h = hex.padEnd(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
}

/** A Node object as a kubelet registers it, with topology labels and capacity. */
export function buildNode(
  ctx: NodeContext,
  i: number,
  previousConditions?: any[],
): KubeObject {
  const t = ctx.options.nodeTemplate;
  const name = nodeName(ctx, i);
  const zoneList = zones(ctx);
  const zone = zoneList[(i - 1) % zoneList.length];
  const ip = `10.0.${Math.floor((i - 1) / 250)}.${((i - 1) % 250) + 4}`;
  const { capacity, allocatable } = resources(ctx);
  const ready = !notReady(ctx, i);
  const hash = createHash('sha256')
    .update(`${ctx.options.name}/${name}`)
    .digest('hex');
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': t.architecture,
        'beta.kubernetes.io/instance-type': t.instanceType,
        'beta.kubernetes.io/os': 'linux',
        'failure-domain.beta.kubernetes.io/region': t.region,
        'failure-domain.beta.kubernetes.io/zone': zone,
        'kubernetes.io/arch': t.architecture,
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': t.instanceType,
        'topology.kubernetes.io/region': t.region,
        'topology.kubernetes.io/zone': zone,
        ...t.labels,
        ...ctx.options.nodeLabels,
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: `10.244.${i - 1}.0/24`,
      podCIDRs: [`10.244.${i - 1}.0/24`],
      providerID: `kube-emulator://${ctx.options.name}/${zone}/${name}`,
      ...(ready
        ? {}
        : {
            taints: NOT_READY_TAINTS.map(tt => ({
              ...tt,
              timeAdded: nowTimestamp(),
            })),
          }),
    },
    status: {
      capacity,
      allocatable,
      conditions: conditions(ready, previousConditions),
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: hash.slice(0, 32),
        // Stable per cluster and node, so that a rebuilt node (light clusters) looks the same.
        systemUUID: uuidOf(hash.slice(32)),
        bootID: uuidOf(createHash('sha256').update(hash).digest('hex')),
        kernelVersion: t.kernelVersion,
        osImage: t.osImage,
        containerRuntimeVersion: t.containerRuntimeVersion,
        kubeletVersion: ctx.options.version.gitVersion,
        kubeProxyVersion: ctx.options.version.gitVersion,
        operatingSystem: 'linux',
        architecture: t.architecture,
      },
      images: [],
    },
  };
}

/** Brings node count and readiness in line with the options and the nodesNotReady fault. */
export function syncNodes(ctx: ControllerContext) {
  const wanted = ctx.options.nodes;
  for (let i = 1; i <= wanted; i++) {
    const name = nodeName(ctx, i);
    const current = ctx.store.get(DEFS.nodes, undefined, name);
    if (!current) {
      tolerate(() =>
        ctx.service.controllerCreate(DEFS.nodes, buildNode(ctx, i), 'kubelet'),
      );
      continue;
    }
    const ready = !notReady(ctx, i);
    const wasReady = (current.status?.conditions ?? []).some(
      (c: any) => c.type === 'Ready' && c.status === 'True',
    );
    if (ready === wasReady) continue;
    const next = structuredClone(current);
    next.status.conditions = conditions(ready, current.status?.conditions);
    const otherTaints = (current.spec?.taints ?? []).filter(
      (tt: any) => tt.key !== 'node.kubernetes.io/not-ready',
    );
    const taints = ready
      ? otherTaints
      : [
          ...otherTaints,
          ...NOT_READY_TAINTS.map(tt => ({ ...tt, timeAdded: nowTimestamp() })),
        ];
    if (taints.length) next.spec.taints = taints;
    else delete next.spec.taints;
    const written = tolerate(() =>
      ctx.service.controllerWrite(
        DEFS.nodes,
        current,
        next,
        'kube-controller-manager',
      ),
    );
    if (written) {
      const status = tolerate(() =>
        ctx.service.controllerWrite(
          DEFS.nodes,
          written,
          { ...written, status: next.status },
          'kubelet',
          'status',
        ),
      );
      ctx.record(
        status ?? written,
        'Normal',
        ready ? 'NodeReady' : 'NodeNotReady',
        `Node ${name} status is now: ${ready ? 'NodeReady' : 'NodeNotReady'}`,
        ready ? 'kubelet' : 'node-controller',
        name,
      );
    }
  }
}

export function isNodeReady(node: KubeObject): boolean {
  return (node.status?.conditions ?? []).some(
    (c: any) => c.type === 'Ready' && c.status === 'True',
  );
}

/** The index of a node this cluster named (`<prefix><i>`), or undefined for others. */
function indexOf(ctx: NodeContext, name: string): number | undefined {
  const prefix =
    ctx.options.nodeTemplate.namePrefix ?? `${ctx.options.name}-node-`;
  if (!name.startsWith(prefix)) return undefined;
  const i = Number(name.slice(prefix.length));
  return Number.isInteger(i) && i > 0 ? i : undefined;
}

/**
 * Brings the node pool in line with changed options, as a managed node group
 * does when it is resized: missing nodes register, existing ones take the new
 * capacity and labels, nodes past the count are removed.
 */
export function resizeNodes(ctx: ControllerContext) {
  const wanted = ctx.options.nodes;
  for (let i = 1; i <= wanted; i++) {
    const current = ctx.store.get(DEFS.nodes, undefined, nodeName(ctx, i));
    const built = buildNode(ctx, i, current?.status?.conditions);
    if (!current) {
      tolerate(() =>
        ctx.service.controllerCreate(DEFS.nodes, built, 'kubelet'),
      );
      continue;
    }
    const labelled = tolerate(() =>
      ctx.service.controllerWrite(
        DEFS.nodes,
        current,
        {
          ...current,
          metadata: { ...current.metadata, labels: built.metadata.labels },
        },
        'kube-controller-manager',
      ),
    );
    const base = labelled ?? current;
    tolerate(() =>
      ctx.service.controllerWrite(
        DEFS.nodes,
        base,
        {
          ...base,
          status: {
            ...base.status,
            capacity: built.status.capacity,
            allocatable: built.status.allocatable,
          },
        },
        'kubelet',
        'status',
      ),
    );
  }
  for (const node of ctx.store.list(DEFS.nodes)) {
    const i = indexOf(ctx, node.metadata.name!);
    if (i !== undefined && i > wanted)
      tolerate(() =>
        ctx.service.delete(DEFS.nodes, undefined, node.metadata.name!),
      );
  }
}
