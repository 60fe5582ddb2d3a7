/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { KubeClient } from '@archipelago/multicluster-node';
import ipaddr from 'ipaddr.js';
import type { ClusterConnector } from '../workloads/reconciler/connections';
import { redactText } from '../util/redact';
import type { ClusterAddress } from './planner';

/** Which object gives a cluster's address. */
export type AddressSource =
  | { kind: 'Service'; namespace: string; name: string }
  | { kind: 'Ingress'; namespace: string; name: string };

/**
 * The address a cloud controller wrote into `status.loadBalancer.ingress`:
 * IPs become A/AAAA values, a hostname (ELB style) a CNAME. The port is the
 * one actually served (`ingress[0].ports`, which the emulator remaps), else
 * the Service's first port, else 80 for an Ingress.
 */
export function addressOf(object: any): ClusterAddress | undefined {
  const entries: any[] = Array.isArray(object?.status?.loadBalancer?.ingress)
    ? object.status.loadBalancer.ingress.slice(0, 16)
    : [];
  const v4: string[] = [];
  const v6: string[] = [];
  let hostname: string | undefined;
  for (const e of entries) {
    if (typeof e?.ip === 'string' && ipaddr.isValid(e.ip)) {
      const parsed = ipaddr.parse(e.ip);
      (parsed.kind() === 'ipv4' ? v4 : v6).push(parsed.toString());
    } else if (typeof e?.hostname === 'string' && e.hostname.length <= 253)
      hostname ??= e.hostname.toLowerCase();
  }
  const served = Number(entries[0]?.ports?.[0]?.port);
  const declared = Number(object?.spec?.ports?.[0]?.port);
  const port =
    Number.isInteger(served) && served > 0
      ? served
      : object?.kind === 'Service' && Number.isInteger(declared) && declared > 0
      ? declared
      : 80;
  if (v4.length) return { type: 'A', values: v4.sort(), port };
  if (v6.length) return { type: 'AAAA', values: v6.sort(), port };
  if (hostname) return { type: 'CNAME', values: [hostname], port };
  return undefined;
}

/** Reads the address of a Service or Ingress on one cluster (view identity, bounded). */
export async function readClusterAddress(options: {
  connector: ClusterConnector;
  clusterId: string;
  source: AddressSource;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<{ address?: ClusterAddress; problem?: string }> {
  const connection = await options.connector.connect(options.clusterId);
  if ('problem' in connection) return { problem: connection.problem };
  const client = new KubeClient(connection, {
    requestTimeoutMs: options.timeoutMs,
    maxSockets: 1,
    userAgent: 'archipelago-dns',
  });
  const { kind, namespace, name } = options.source;
  const path =
    kind === 'Service'
      ? `/api/v1/namespaces/${encodeURIComponent(
          namespace,
        )}/services/${encodeURIComponent(name)}`
      : `/apis/networking.k8s.io/v1/namespaces/${encodeURIComponent(
          namespace,
        )}/ingresses/${encodeURIComponent(name)}`;
  try {
    const object = await client.request('GET', path, {
      signal: options.signal,
    });
    const address = addressOf(object);
    return address
      ? { address }
      : { problem: `${kind} ${name} has no load balancer address yet` };
  } catch (error) {
    return {
      problem: `${kind} ${name} could not be read: ${redactText(
        String((error as Error)?.message),
      ).slice(0, 200)}`,
    };
  } finally {
    client.close();
  }
}
