/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Networking and scaling: services, ingresses and autoscalers.

import type { KubeObject } from '../../store/store';
import { age, col, NAME, AGE, type Printer } from './columns';

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

/** The printers of networking and scaling. */
export const NETWORK_PRINTERS: Record<string, Printer> = {
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
