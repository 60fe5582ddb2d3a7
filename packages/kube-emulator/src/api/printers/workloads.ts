/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Workloads: the columns `kubectl get` prints for pods and their controllers.

import type { KubeObject } from '../../store/store';
import { humanDuration } from '../../util';
import {
  age,
  col,
  containers,
  CONTAINERS,
  IMAGES,
  NAME,
  AGE,
  type Printer,
  selectorString,
  since,
} from './columns';

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

/** The printers of workloads. */
export const WORKLOAD_PRINTERS: Record<string, Printer> = {
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
      CONTAINERS,
      IMAGES,
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
      CONTAINERS,
      IMAGES,
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
      CONTAINERS,
      IMAGES,
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
      CONTAINERS,
      IMAGES,
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
      CONTAINERS,
      IMAGES,
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
      CONTAINERS,
      IMAGES,
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
};
