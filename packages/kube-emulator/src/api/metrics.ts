/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { createHash } from 'node:crypto';
import { KubeObject, ObjectStore } from '../store/store';
import { LabelSelector, matchesLabels } from '../store/selectors';
import { findResource } from './resources';
import { notFound } from './status';
import { nowTimestamp } from '../util';

const PODS = findResource('', 'v1', 'pods')!;
const NODES = findResource('', 'v1', 'nodes')!;

/** A stable pseudo-random number in [0, 1) per object and metric, so readings look plausible. */
function sample(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) / 2 ** 32;
}

function containerUsage(pod: KubeObject, container: string) {
  const seed = `${pod.metadata.uid}/${container}`;
  return {
    cpu: `${Math.round(1_000_000 + sample(`${seed}/cpu`) * 49_000_000)}n`,
    memory: `${Math.round(8 * 1024 + sample(`${seed}/memory`) * 120 * 1024)}Ki`,
  };
}

function podMetrics(pod: KubeObject) {
  return {
    kind: 'PodMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      creationTimestamp: nowTimestamp(),
      labels: pod.metadata.labels,
    },
    timestamp: nowTimestamp(),
    window: '15s',
    containers: (pod.spec?.containers ?? []).map((c: any) => ({
      name: c.name,
      usage: containerUsage(pod, c.name),
    })),
  };
}

function nodeMetrics(store: ObjectStore, node: KubeObject) {
  const pods = store
    .list(PODS)
    .filter(
      p =>
        p.spec?.nodeName === node.metadata.name &&
        p.status?.phase === 'Running',
    );
  const base = sample(`${node.metadata.uid}/base`);
  const cpuNanos = 80_000_000 + base * 120_000_000 + pods.length * 10_000_000;
  const memKi = 600 * 1024 + base * 400 * 1024 + pods.length * 64 * 1024;
  return {
    kind: 'NodeMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {
      name: node.metadata.name,
      creationTimestamp: nowTimestamp(),
      labels: node.metadata.labels,
    },
    timestamp: nowTimestamp(),
    window: '20.05s',
    usage: {
      cpu: `${Math.round(cpuNanos)}n`,
      memory: `${Math.round(memKi)}Ki`,
    },
  };
}

/** Answers metrics.k8s.io/v1beta1 reads like metrics-server: running pods and all nodes. */
export function readMetrics(
  store: ObjectStore,
  resource: 'pods' | 'nodes',
  namespace: string | undefined,
  name: string | undefined,
  selector: LabelSelector,
): Record<string, unknown> {
  if (resource === 'nodes') {
    if (name) {
      const node = store.get(NODES, undefined, name);
      if (!node)
        throw notFound({ group: 'metrics.k8s.io', resource: 'nodes' }, name);
      return nodeMetrics(store, node);
    }
    return {
      kind: 'NodeMetricsList',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: {},
      items: store
        .list(NODES)
        .filter(n => matchesLabels(selector, n.metadata.labels))
        .map(n => nodeMetrics(store, n)),
    };
  }
  const running = (p: KubeObject) =>
    p.status?.phase === 'Running' && !p.metadata.deletionTimestamp;
  if (name) {
    const pod = store.get(PODS, namespace, name);
    if (!pod || !running(pod))
      throw notFound({ group: 'metrics.k8s.io', resource: 'pods' }, name);
    return podMetrics(pod);
  }
  return {
    kind: 'PodMetricsList',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {},
    items: store
      .list(PODS, namespace)
      .filter(p => running(p) && matchesLabels(selector, p.metadata.labels))
      .map(podMetrics),
  };
}
