/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Cluster objects: nodes, namespaces, events, quotas, configuration and accounts.

import type { KubeObject } from '../../store/store';
import { age, col, NAME, AGE, type Printer, since } from './columns';

function nodeStatus(node: KubeObject): string {
  const ready = (node.status?.conditions ?? []).find(
    (c: any) => c.type === 'Ready',
  );
  let state = 'Unknown';
  if (ready) state = ready.status === 'True' ? 'Ready' : 'NotReady';
  const parts = [state];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(node: KubeObject): string {
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter(k => k.startsWith('node-role.kubernetes.io/'))
    .map(k => k.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean);
  return roles.length ? roles.sort().join(',') : '<none>';
}

/** The printers of cluster objects. */
export const CLUSTER_PRINTERS: Record<string, Printer> = {
  Node: {
    columns: [
      NAME,
      col('Status', 'The status of the node'),
      col('Roles', 'The roles of the node'),
      AGE,
      col('Version', 'Kubelet Version reported by the node.'),
      col(
        'Internal-IP',
        'List of addresses reachable to the node. Queried from cloud provider, if available.',
        1,
      ),
      col(
        'External-IP',
        'List of addresses reachable to the node. Queried from cloud provider, if available.',
        1,
      ),
      col(
        'OS-Image',
        'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
        1,
      ),
      col(
        'Kernel-Version',
        "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
        1,
      ),
      col(
        'Container-Runtime',
        'Container runtime version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
        1,
      ),
    ],
    cells(node, now) {
      const addr = (t: string) =>
        (node.status?.addresses ?? []).find((a: any) => a.type === t)
          ?.address ?? '<none>';
      const info = node.status?.nodeInfo ?? {};
      return [
        node.metadata.name!,
        nodeStatus(node),
        nodeRoles(node),
        age(node, now),
        info.kubeletVersion ?? '',
        addr('InternalIP'),
        addr('ExternalIP'),
        info.osImage ?? '<unknown>',
        info.kernelVersion ?? '<unknown>',
        info.containerRuntimeVersion ?? '<unknown>',
      ];
    },
  },
  Namespace: {
    columns: [NAME, col('Status', 'The status of the namespace'), AGE],
    cells: (ns, now) => [
      ns.metadata.name!,
      ns.status?.phase ?? 'Active',
      age(ns, now),
    ],
  },
  Event: {
    columns: [
      col('Last Seen', 'Time when last event was observed'),
      col(
        'Type',
        'Type of this event (Normal, Warning), new types could be added in the future.',
      ),
      col(
        'Reason',
        'This should be a short, machine understandable string that gives the reason for this event being generated.',
      ),
      col('Object', 'The object this Event is about.'),
      col('Subobject', 'The subobject this Event is about.', 1),
      col('Source', 'The component reporting this event.', 1),
      col(
        'Message',
        'A human-readable description of the status of this operation.',
      ),
      col('First Seen', 'The first time the event was observed.', 1),
      col(
        'Count',
        'The number of times this event has occurred.',
        1,
        'integer',
      ),
      col('Name', 'The name of the event.', 1, 'string', 'name'),
    ],
    cells(ev, now) {
      const io = ev.involvedObject ?? {};
      const source = ev.source?.component
        ? `${ev.source.component}${ev.source.host ? `, ${ev.source.host}` : ''}`
        : ev.reportingComponent ?? '';
      return [
        since(
          ev.lastTimestamp ?? ev.eventTime ?? ev.metadata.creationTimestamp,
          now,
        ),
        ev.type ?? 'Normal',
        ev.reason ?? '',
        `${String(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`,
        io.fieldPath ?? '',
        source,
        (ev.message ?? '').trim(),
        since(
          ev.firstTimestamp ?? ev.eventTime ?? ev.metadata.creationTimestamp,
          now,
        ),
        ev.count ?? 1,
        ev.metadata.name!,
      ];
    },
  },
  ResourceQuota: {
    columns: [
      NAME,
      AGE,
      col(
        'Request',
        'Request represents a minimum amount of cpu/memory that a container may consume.',
      ),
      col(
        'Limit',
        'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
      ),
    ],
    cells(q, now) {
      const hard = q.status?.hard ?? q.spec?.hard ?? {};
      const used = q.status?.used ?? {};
      const fmt = (pred: (k: string) => boolean) =>
        Object.keys(hard)
          .filter(pred)
          .sort()
          .map(k => `${k}: ${used[k] ?? '0'}/${hard[k]}`)
          .join(', ');
      return [
        q.metadata.name!,
        age(q, now),
        fmt(k => !k.startsWith('limits.')),
        fmt(k => k.startsWith('limits.')),
      ];
    },
  },
  ConfigMap: {
    columns: [NAME, col('Data', 'Number of data entries', 0, 'integer'), AGE],
    cells: (cm, now) => [
      cm.metadata.name!,
      Object.keys(cm.data ?? {}).length +
        Object.keys(cm.binaryData ?? {}).length,
      age(cm, now),
    ],
  },
  Secret: {
    columns: [
      NAME,
      col('Type', 'The type of the secret'),
      col('Data', 'Number of data entries', 0, 'integer'),
      AGE,
    ],
    cells: (s, now) => [
      s.metadata.name!,
      s.type ?? 'Opaque',
      Object.keys(s.data ?? {}).length,
      age(s, now),
    ],
  },
  ServiceAccount: {
    columns: [NAME, col('Secrets', 'Number of secrets', 0, 'integer'), AGE],
    cells: (sa, now) => [
      sa.metadata.name!,
      (sa.secrets ?? []).length,
      age(sa, now),
    ],
  },
};
