/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { KubeObject } from '../store/store';
import { fromSelectorObject, formatSelector } from '../store/selectors';
import { ResourceDef } from './resources';
import { humanDuration } from '../util';

/** A metav1.TableColumnDefinition. */
interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

type Cell = string | number | boolean;

interface Printer {
  columns: Column[];
  cells(obj: KubeObject, now: number): Cell[];
}

const col = (
  name: string,
  description: string,
  priority = 0,
  type = 'string',
  format = '',
): Column => ({
  name,
  type,
  format,
  description,
  priority,
});

const NAME = col(
  'Name',
  'Name must be unique within a namespace.',
  0,
  'string',
  'name',
);
const AGE = col(
  'Age',
  'CreationTimestamp is a timestamp representing the server time when this object was created.',
);

function age(obj: KubeObject, now: number): string {
  const t = Date.parse(obj.metadata.creationTimestamp ?? '');
  return Number.isFinite(t) ? humanDuration(now - t) : '<unknown>';
}

function since(ts: string | undefined, now: number): string {
  const t = Date.parse(ts ?? '');
  return Number.isFinite(t) ? humanDuration(now - t) : '<unknown>';
}

function containers(spec: any): { names: string; images: string } {
  const list: any[] = spec?.containers ?? [];
  return {
    names: list.map(c => c.name).join(','),
    images: list.map(c => c.image).join(','),
  };
}

function selectorString(selector: any): string {
  const s = formatSelector(fromSelectorObject(selector));
  return s || '<none>';
}

function podStatusReason(pod: KubeObject): {
  ready: string;
  reason: string;
  restarts: string;
} {
  const statuses: any[] = pod.status?.containerStatuses ?? [];
  const total = pod.spec?.containers?.length ?? 0;
  let readyCount = 0;
  let restarts = 0;
  let reason: string = pod.status?.reason || pod.status?.phase || 'Unknown';
  for (const s of statuses) {
    restarts += s.restartCount ?? 0;
    if (s.ready && s.state?.running) readyCount++;
    if (s.state?.waiting?.reason) reason = s.state.waiting.reason;
    else if (s.state?.terminated?.reason) reason = s.state.terminated.reason;
  }
  if (pod.metadata.deletionTimestamp) reason = 'Terminating';
  return {
    ready: `${readyCount}/${total}`,
    reason,
    restarts: String(restarts),
  };
}

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

function servicePorts(svc: KubeObject): string {
  const ports: any[] = svc.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports
    .map(
      p =>
        `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`,
    )
    .join(',');
}

function externalIp(svc: KubeObject): string {
  const type = svc.spec?.type ?? 'ClusterIP';
  const external: string[] = svc.spec?.externalIPs ?? [];
  if (type === 'ExternalName') return svc.spec?.externalName ?? '<none>';
  if (type === 'LoadBalancer') {
    const ingress: any[] = svc.status?.loadBalancer?.ingress ?? [];
    const ips = [
      ...ingress.map(i => i.ip || i.hostname).filter(Boolean),
      ...external,
    ];
    return ips.length ? ips.join(',') : '<pending>';
  }
  return external.length ? external.join(',') : '<none>';
}

function jobStatus(job: KubeObject): string {
  const conditions: any[] = job.status?.conditions ?? [];
  const has = (t: string) =>
    conditions.some(c => c.type === t && c.status === 'True');
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (has('Suspended')) return 'Suspended';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

const PRINTERS: Record<string, Printer> = {
  Pod: {
    columns: [
      NAME,
      col(
        'Ready',
        'The aggregate readiness state of this pod for accepting traffic.',
      ),
      col('Status', 'The aggregate status of the containers in this pod.'),
      col(
        'Restarts',
        'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      ),
      AGE,
      col(
        'IP',
        'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
        1,
      ),
      col('Node', 'Name of the Node this pod is assigned to', 1),
      col(
        'Nominated Node',
        'nominatedNodeName is set when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.',
        1,
      ),
      col(
        'Readiness Gates',
        'If specified, all readiness gates will be evaluated for pod readiness.',
        1,
      ),
    ],
    cells(pod, now) {
      const s = podStatusReason(pod);
      const gates: any[] = pod.spec?.readinessGates ?? [];
      return [
        pod.metadata.name!,
        s.ready,
        s.reason,
        s.restarts,
        age(pod, now),
        pod.status?.podIP ?? '<none>',
        pod.spec?.nodeName ?? '<none>',
        pod.status?.nominatedNodeName ?? '<none>',
        gates.length ? `0/${gates.length}` : '<none>',
      ];
    },
  },
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
  Deployment: {
    columns: [
      NAME,
      col('Ready', 'Number of the pod with ready state'),
      col(
        'Up-to-date',
        'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
        0,
        'integer',
      ),
      col(
        'Available',
        'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
        0,
        'integer',
      ),
      AGE,
      col('Containers', 'Names of each container in the template.', 1),
      col('Images', 'Images referenced by each container in the template.', 1),
      col(
        'Selector',
        'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
        1,
      ),
    ],
    cells(d, now) {
      const c = containers(d.spec?.template?.spec);
      return [
        d.metadata.name!,
        `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
        d.status?.updatedReplicas ?? 0,
        d.status?.availableReplicas ?? 0,
        age(d, now),
        c.names,
        c.images,
        selectorString(d.spec?.selector),
      ];
    },
  },
  ReplicaSet: {
    columns: [
      NAME,
      col('Desired', 'Number of desired pods.', 0, 'integer'),
      col('Current', 'Number of actual replicas observed.', 0, 'integer'),
      col(
        'Ready',
        'The number of ready replicas for this replica set.',
        0,
        'integer',
      ),
      AGE,
      col('Containers', 'Names of each container in the template.', 1),
      col('Images', 'Images referenced by each container in the template.', 1),
      col('Selector', 'Label selector for pods.', 1),
    ],
    cells(rs, now) {
      const c = containers(rs.spec?.template?.spec);
      return [
        rs.metadata.name!,
        rs.spec?.replicas ?? 0,
        rs.status?.replicas ?? 0,
        rs.status?.readyReplicas ?? 0,
        age(rs, now),
        c.names,
        c.images,
        selectorString(rs.spec?.selector),
      ];
    },
  },
  StatefulSet: {
    columns: [
      NAME,
      col('Ready', 'Number of the pod with ready state'),
      AGE,
      col('Containers', 'Names of each container in the template.', 1),
      col('Images', 'Images referenced by each container in the template.', 1),
    ],
    cells(s, now) {
      const c = containers(s.spec?.template?.spec);
      return [
        s.metadata.name!,
        `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 0}`,
        age(s, now),
        c.names,
        c.images,
      ];
    },
  },
  DaemonSet: {
    columns: [
      NAME,
      col(
        'Desired',
        'The total number of nodes that should be running the daemon pod.',
        0,
        'integer',
      ),
      col(
        'Current',
        'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
        0,
        'integer',
      ),
      col(
        'Ready',
        'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.',
        0,
        'integer',
      ),
      col(
        'Up-to-date',
        'The total number of nodes that are running updated daemon pod',
        0,
        'integer',
      ),
      col(
        'Available',
        'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
        0,
        'integer',
      ),
      col(
        'Node Selector',
        'NodeSelector is a selector which must be true for the pod to fit on a node.',
      ),
      AGE,
      col('Containers', 'Names of each container in the template.', 1),
      col('Images', 'Images referenced by each container in the template.', 1),
      col(
        'Selector',
        'A label query over pods that are managed by the daemon set.',
        1,
      ),
    ],
    cells(ds, now) {
      const c = containers(ds.spec?.template?.spec);
      const ns = ds.spec?.template?.spec?.nodeSelector;
      return [
        ds.metadata.name!,
        ds.status?.desiredNumberScheduled ?? 0,
        ds.status?.currentNumberScheduled ?? 0,
        ds.status?.numberReady ?? 0,
        ds.status?.updatedNumberScheduled ?? 0,
        ds.status?.numberAvailable ?? 0,
        ns
          ? Object.entries(ns)
              .map(([k, v]) => `${k}=${v}`)
              .join(',')
          : '<none>',
        age(ds, now),
        c.names,
        c.images,
        selectorString(ds.spec?.selector),
      ];
    },
  },
  Job: {
    columns: [
      NAME,
      col('Status', 'Status of the job.'),
      col(
        'Completions',
        'The desired number of successfully finished pods the job should be run with.',
      ),
      col('Duration', 'Time required to complete the job.'),
      AGE,
      col('Containers', 'Names of each container in the template.', 1),
      col('Images', 'Images referenced by each container in the template.', 1),
      col(
        'Selector',
        'A label query over pods that should match the pod count.',
        1,
      ),
    ],
    cells(job, now) {
      const c = containers(job.spec?.template?.spec);
      const start = Date.parse(job.status?.startTime ?? '');
      const end = Date.parse(job.status?.completionTime ?? '');
      const duration = Number.isFinite(start)
        ? humanDuration((Number.isFinite(end) ? end : now) - start)
        : '';
      const completions = job.spec?.completions;
      return [
        job.metadata.name!,
        jobStatus(job),
        completions !== undefined
          ? `${job.status?.succeeded ?? 0}/${completions}`
          : `${job.status?.succeeded ?? 0}/1 of ${job.spec?.parallelism ?? 1}`,
        duration,
        age(job, now),
        c.names,
        c.images,
        selectorString(job.spec?.selector),
      ];
    },
  },
  CronJob: {
    columns: [
      NAME,
      col(
        'Schedule',
        'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.',
      ),
      col(
        'Timezone',
        'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.',
      ),
      col(
        'Suspend',
        'This flag tells the controller to suspend subsequent executions.',
        0,
        'boolean',
      ),
      col(
        'Active',
        'A list of pointers to currently running jobs.',
        0,
        'integer',
      ),
      col(
        'Last Schedule',
        'Information when was the last time the job was successfully scheduled.',
      ),
      AGE,
      col('Containers', 'Names of each container in the template.', 1),
      col('Images', 'Images referenced by each container in the template.', 1),
      col(
        'Selector',
        'A label query over pods that should match the pod count.',
        1,
      ),
    ],
    cells(cj, now) {
      const c = containers(cj.spec?.jobTemplate?.spec?.template?.spec);
      return [
        cj.metadata.name!,
        cj.spec?.schedule ?? '',
        cj.spec?.timeZone ?? '<none>',
        !!cj.spec?.suspend,
        (cj.status?.active ?? []).length,
        cj.status?.lastScheduleTime
          ? since(cj.status.lastScheduleTime, now)
          : '<none>',
        age(cj, now),
        c.names,
        c.images,
        selectorString(cj.spec?.jobTemplate?.spec?.selector),
      ];
    },
  },
  Service: {
    columns: [
      NAME,
      col('Type', 'type determines how the Service is exposed.'),
      col(
        'Cluster-IP',
        'clusterIP is the IP address of the service and is usually assigned randomly by the master.',
      ),
      col(
        'External-IP',
        'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
      ),
      col('Port(s)', 'The list of ports that are exposed by this service.'),
      AGE,
      col(
        'Selector',
        'Route service traffic to pods with label keys and values matching this selector.',
        1,
      ),
    ],
    cells(svc, now) {
      const sel = svc.spec?.selector;
      return [
        svc.metadata.name!,
        svc.spec?.type ?? 'ClusterIP',
        svc.spec?.clusterIP ?? '<none>',
        externalIp(svc),
        servicePorts(svc),
        age(svc, now),
        sel && Object.keys(sel).length
          ? Object.entries(sel)
              .map(([k, v]) => `${k}=${v}`)
              .sort()
              .join(',')
          : '<none>',
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
  Ingress: {
    columns: [
      NAME,
      col(
        'Class',
        'The name of the IngressClass resource that should be used.',
      ),
      col(
        'Hosts',
        'Hosts that incoming requests are matched against before the ingress rule',
      ),
      col(
        'Address',
        'Address is a list containing ingress points for the load-balancer',
      ),
      col('Ports', 'Ports of TLS configurations that open'),
      AGE,
    ],
    cells(ing, now) {
      const hosts = (ing.spec?.rules ?? [])
        .map((r: any) => r.host)
        .filter(Boolean);
      const addr = (ing.status?.loadBalancer?.ingress ?? [])
        .map((i: any) => i.ip || i.hostname)
        .filter(Boolean);
      return [
        ing.metadata.name!,
        ing.spec?.ingressClassName ?? '<none>',
        hosts.length ? hosts.join(',') : '*',
        addr.join(','),
        ing.spec?.tls?.length ? '80, 443' : '80',
        age(ing, now),
      ];
    },
  },
  HorizontalPodAutoscaler: {
    columns: [
      NAME,
      col('Reference', 'reference to scaled resource'),
      col('Targets', 'the current and target metrics'),
      col('MinPods', 'lower limit for the number of pods', 0, 'string'),
      col('MaxPods', 'upper limit for the number of pods', 0, 'integer'),
      col(
        'Replicas',
        'current number of replicas of pods managed by this autoscaler',
        0,
        'integer',
      ),
      AGE,
    ],
    cells(h, now) {
      const ref = h.spec?.scaleTargetRef ?? {};
      const metrics: any[] = h.spec?.metrics ?? [];
      const targets = metrics.length
        ? metrics
            .map(m =>
              m.type === 'Resource'
                ? `${m.resource?.name}: <unknown>/${
                    m.resource?.target?.averageUtilization ??
                    m.resource?.target?.averageValue ??
                    ''
                  }${
                    m.resource?.target?.averageUtilization !== undefined
                      ? '%'
                      : ''
                  }`
                : '<unknown>',
            )
            .join(', ')
        : '<none>';
      return [
        h.metadata.name!,
        `${ref.kind}/${ref.name}`,
        targets,
        String(h.spec?.minReplicas ?? 1),
        h.spec?.maxReplicas ?? 0,
        h.status?.currentReplicas ?? 0,
        age(h, now),
      ];
    },
  },
};

const DEFAULT_PRINTER: Printer = {
  columns: [
    NAME,
    col(
      'Created At',
      'CreationTimestamp is a timestamp representing the server time when this object was created.',
      0,
      'date',
    ),
  ],
  cells: o => [o.metadata.name!, o.metadata.creationTimestamp ?? ''],
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(obj: KubeObject, include: IncludeObject) {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: obj.metadata,
  };
}

/** Renders objects as a meta.k8s.io/v1 Table with the columns the real server prints. */
export function toTable(
  def: ResourceDef,
  items: KubeObject[],
  options: {
    include: IncludeObject;
    resourceVersion?: string;
    continueToken?: string;
    remainingItemCount?: number;
    noHeaders?: boolean;
  },
): Record<string, unknown> {
  const printer = PRINTERS[def.kind] ?? DEFAULT_PRINTER;
  const now = Date.now();
  const metadata: Record<string, unknown> = {};
  if (options.resourceVersion)
    metadata.resourceVersion = options.resourceVersion;
  if (options.continueToken) metadata.continue = options.continueToken;
  if (options.remainingItemCount !== undefined)
    metadata.remainingItemCount = options.remainingItemCount;
  const table: Record<string, unknown> = {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: options.noHeaders ? null : printer.columns,
    rows: items.map(obj => {
      const row: Record<string, unknown> = { cells: printer.cells(obj, now) };
      const o = rowObject(obj, options.include);
      if (o) row.object = o;
      return row;
    }),
  };
  return table;
}
