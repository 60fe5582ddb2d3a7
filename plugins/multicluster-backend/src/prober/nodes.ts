/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ClusterAllocatable } from '@archipelago/multicluster-common';
import { parseQuantity } from './quantity';

/** The parts of a v1 Node the prober reads. */
export interface NodeLike {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { providerID?: string; unschedulable?: boolean };
  status?: {
    conditions?: Array<{ type?: string; status?: string }>;
    allocatable?: Record<string, string>;
    nodeInfo?: { kubeletVersion?: string };
  };
}

export interface NodeSummary {
  ready: number;
  total: number;
  notReady: string[];
  allocatable: ClusterAllocatable;
  kubeletVersions: string[];
  /** Labels of up to a few nodes, for distribution detection. */
  labelSample: Array<Record<string, string>>;
  providerIds: string[];
}

export function isNodeReady(node: NodeLike): boolean {
  return (node.status?.conditions ?? []).some(
    c => c.type === 'Ready' && c.status === 'True',
  );
}

/** Folds a node list into ready/total, allocatable over ready nodes and kubelet versions. */
export function summariseNodes(nodes: NodeLike[]): NodeSummary {
  const allocatable: ClusterAllocatable = { cpu: 0, memoryBytes: 0, pods: 0 };
  const versions = new Set<string>();
  const notReady: string[] = [];
  const labelSample: Array<Record<string, string>> = [];
  const providerIds = new Set<string>();
  let ready = 0;
  for (const node of nodes) {
    const kubelet = node.status?.nodeInfo?.kubeletVersion;
    if (kubelet) versions.add(kubelet);
    if (labelSample.length < 5 && node.metadata?.labels)
      labelSample.push(node.metadata.labels);
    if (node.spec?.providerID && providerIds.size < 5)
      providerIds.add(node.spec.providerID);
    if (!isNodeReady(node)) {
      notReady.push(node.metadata?.name ?? '(unnamed)');
      continue;
    }
    ready++;
    const alloc = node.status?.allocatable ?? {};
    allocatable.cpu += parseQuantity(alloc.cpu) ?? 0;
    allocatable.memoryBytes += parseQuantity(alloc.memory) ?? 0;
    allocatable.pods += parseQuantity(alloc.pods) ?? 0;
  }
  allocatable.cpu = Math.round(allocatable.cpu * 1000) / 1000;
  allocatable.memoryBytes = Math.round(allocatable.memoryBytes);
  return {
    ready,
    total: nodes.length,
    notReady,
    allocatable,
    kubeletVersions: [...versions].sort(),
    labelSample,
    providerIds: [...providerIds],
  };
}
