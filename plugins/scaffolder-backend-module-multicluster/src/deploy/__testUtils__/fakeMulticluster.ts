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
  /** Whether the user may deploy to it (multicluster.cluster.deploy; default true). */
  deployable?: boolean;
}

/**
 * Who a mock token of @backstage/backend-test-utils stands for: `sub` the
 * calling plugin, `obo` the user it acts for (a user token whose actor is a
 * plugin, as on-behalf-of tokens authenticate; see actorAwareMockAuth).
 */
function mockToken(
  header: string | undefined,
): { sub?: string; obo?: string } | undefined {
  const token = header?.replace(/^Bearer /, '') ?? '';
  const service = 'mock-service-token:';
  const user = 'mock-user-token:';
  if (token.startsWith(service)) return JSON.parse(token.slice(service.length));
  if (token.startsWith(user)) {
    const parsed = JSON.parse(token.slice(user.length));
    return { sub: parsed.actor?.subject, obo: parsed.sub };
  }
  return undefined;
}

/**
 * A stand-in for the multicluster backend's REST API, with its wire shapes:
 * `GET /clusters` (selector, limit, cursor) read on behalf of a user, and
 * `GET /internal/connections?ids=&role=` for the allow-listed plugin only,
 * the deploy role on behalf of a user who may deploy to every cluster asked
 * for. It records every request so tests can check who asked what.
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
      const role = url.searchParams.get('role') ?? 'view';
      const refuse = (message: string) =>
        send(403, {
          error: { name: 'NotAllowedError', message },
          response: { statusCode: 403 },
        });
      if (token.sub !== allowed) {
        refuse(
          `Connection details with the ${role} identity are only served to the plugins in multicluster.connections.allowedPlugins.${role}`,
        );
        return;
      }
      if (role === 'deploy' && !token.obo) {
        refuse('only served on behalf of a user');
        return;
      }
      const ids = (url.searchParams.get('ids') ?? '').split(',');
      const asked = clusters.filter(c => ids.includes(`id-${c.cluster.name}`));
      const refused = asked.filter(c => c.deployable === false);
      if (role === 'deploy' && refused.length) {
        refuse(
          `You are not allowed to deploy to ${refused
            .map(c => c.cluster.name)
            .join(', ')} (multicluster.cluster.deploy)`,
        );
        return;
      }
      const out: ConnectionDetails[] = asked.map(
        ({ cluster, health, connection }) => ({
          id: `id-${cluster.name}`,
          name: cluster.name,
          url: cluster.url,
          caData: Buffer.from(cluster.caData).toString('base64'),
          skipTLSVerify: false,
          health: health ?? 'healthy',
          authProvider: 'serviceAccount',
          // One identity per role, as the emulator issues them: never the admin's.
          serviceAccountToken:
            role === 'deploy' ? cluster.tokens.deploy : cluster.tokens.view,
          ...connection,
        }),
      );
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
