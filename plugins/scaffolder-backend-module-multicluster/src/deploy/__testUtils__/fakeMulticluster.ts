/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { EmulatedCluster } from '@archipelago/kube-emulator';
import {
  type Cluster,
  type ClusterHealth,
  matchesLabelSelector,
  parseLabelSelector,
} from '@archipelago/multicluster-common';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConnectionDetails } from '@archipelago/multicluster-common';

export interface FakeCluster {
  cluster: EmulatedCluster;
  labels: Record<string, string>;
  health?: ClusterHealth;
  allocatablePods?: number;
  /** Replaces fields of the connection details served for this cluster. */
  connection?: Partial<ConnectionDetails>;
}

/** The parsed mock token of @backstage/backend-test-utils' auth service. */
function mockToken(
  header: string | undefined,
): { sub?: string; obo?: string } | undefined {
  const token = header?.replace(/^Bearer /, '') ?? '';
  const prefix = 'mock-service-token:';
  if (!token.startsWith(prefix)) return undefined;
  return JSON.parse(token.slice(prefix.length));
}

/**
 * A stand-in for the multicluster backend's REST API, with its wire shapes:
 * `GET /clusters` (selector, limit, cursor) read on behalf of a user, and
 * `GET /internal/connections?ids=` for the allow-listed plugin only. It
 * records every request so tests can check who asked what.
 */
export async function startFakeMulticluster(
  clusters: FakeCluster[],
  options: { allowedPlugin?: string } = {},
) {
  const allowed = `plugin:${options.allowedPlugin ?? 'scaffolder'}`;
  const requests: Array<{ path: string; sub?: string; obo?: string }> = [];
  const items = (): Cluster[] =>
    clusters.map(({ cluster, labels, health, allocatablePods }) => ({
      id: `id-${cluster.name}`,
      name: cluster.name,
      title: cluster.name,
      url: cluster.url,
      cloud: (labels.cloud as Cluster['cloud']) ?? 'local',
      distribution: 'emulator',
      region: labels.region,
      labels,
      sources: [],
      status: {
        health: health ?? 'healthy',
        reason: '',
        checks: [],
        stale: false,
        ...(allocatablePods !== undefined
          ? { allocatable: { cpu: 4, memoryBytes: 1, pods: allocatablePods } }
          : {}),
      },
    }));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const token = mockToken(req.headers.authorization);
    requests.push({
      path: `${url.pathname}${url.search}`,
      sub: token?.sub,
      obo: token?.obo,
    });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!token) {
      send(401, {
        error: { name: 'AuthenticationError', message: 'no token' },
        response: { statusCode: 401 },
      });
      return;
    }
    if (url.pathname === '/api/multicluster/clusters') {
      const selector = url.searchParams.get('selector');
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const offset = Number(url.searchParams.get('cursor') ?? 0);
      const matched = items().filter(
        c =>
          !selector ||
          matchesLabelSelector(parseLabelSelector(selector), c.labels),
      );
      const page = matched.slice(offset, offset + limit);
      send(200, {
        items: page,
        totalItems: matched.length,
        ...(offset + limit < matched.length
          ? { nextCursor: String(offset + limit) }
          : {}),
      });
      return;
    }
    if (url.pathname === '/api/multicluster/internal/connections') {
      if (token.sub !== allowed || token.obo) {
        send(403, {
          error: { name: 'NotAllowedError', message: 'not allowed' },
          response: { statusCode: 403 },
        });
        return;
      }
      const ids = (url.searchParams.get('ids') ?? '').split(',');
      const out: ConnectionDetails[] = clusters
        .filter(c => ids.includes(`id-${c.cluster.name}`))
        .map(({ cluster, health, connection }) => ({
          id: `id-${cluster.name}`,
          name: cluster.name,
          url: cluster.url,
          caData: Buffer.from(cluster.caData).toString('base64'),
          skipTLSVerify: false,
          health: health ?? 'healthy',
          authProvider: 'serviceAccount',
          serviceAccountToken: cluster.adminToken,
          ...connection,
        }));
      send(200, { items: out });
      return;
    }
    send(404, {
      error: { name: 'NotFoundError', message: url.pathname },
      response: { statusCode: 404 },
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${
    (server.address() as AddressInfo).port
  }/api/multicluster`;
  return {
    baseUrl,
    requests,
    discovery: {
      getBaseUrl: async (pluginId: string) => {
        if (pluginId !== 'multicluster')
          throw new Error(`unexpected plugin ${pluginId}`);
        return baseUrl;
      },
      getExternalBaseUrl: async () => baseUrl,
    },
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
