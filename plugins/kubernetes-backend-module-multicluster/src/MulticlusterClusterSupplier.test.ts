/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  Cluster,
  ConnectionDetails,
} from '@archipelago/multicluster-common';
import { multiclusterServiceMock } from '@archipelago/multicluster-node';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  MulticlusterClusterSupplier,
  toClusterDetails,
} from './MulticlusterClusterSupplier';

const cluster = (
  id: string,
  name: string,
  health: Cluster['status']['health'] = 'healthy',
  distribution = 'eks',
): Cluster => ({
  id,
  name,
  title: name.toUpperCase(),
  url: `https://${id}.example.com`,
  cloud: 'aws',
  distribution,
  labels: {},
  sources: [],
  status: {
    health,
    reason:
      health === 'unreachable' ? 'timeout: no answer within 5000 ms' : 'ok',
    checks: [],
    stale: false,
  },
});
const conn = (
  id: string,
  extra: Partial<ConnectionDetails> = {},
): ConnectionDetails => ({
  id,
  name: id,
  url: `https://${id}.example.com`,
  skipTLSVerify: false,
  health: 'healthy',
  authProvider: 'serviceAccount',
  serviceAccountToken: `token-${id}`,
  caData: 'Q0E=',
  ...extra,
});
const opts = { skipUnhealthy: true, skipMetricsLookupFor: ['emulator'] };

describe('toClusterDetails', () => {
  it('maps clusters with connection details to the Kubernetes plugin shape', () => {
    const { clusters } = toClusterDetails(
      [cluster('a-1', 'a', 'healthy', 'emulator')],
      new Map([['a-1', conn('a-1')]]),
      [],
      opts,
    );
    expect(clusters).toEqual([
      {
        name: 'a',
        title: 'A',
        url: 'https://a-1.example.com',
        caData: 'Q0E=',
        skipTLSVerify: false,
        skipMetricsLookup: true,
        authMetadata: {
          'kubernetes.io/auth-provider': 'serviceAccount',
          serviceAccountToken: 'token-a-1',
        },
      },
    ]);
  });

  it.each<[string, Cluster, ConnectionDetails | undefined, string]>([
    [
      'unreachable',
      cluster('u-1', 'u', 'unreachable'),
      conn('u-1'),
      'unreachable: timeout',
    ],
    ['no connection', cluster('n-1', 'n'), undefined, 'no connection details'],
    [
      'unsupported',
      cluster('c-1', 'c'),
      conn('c-1', {
        unsupported:
          'client-certificate credentials cannot be handed to the Kubernetes plugin',
      }),
      'client-certificate',
    ],
    [
      'no token',
      cluster('t-1', 't'),
      conn('t-1', { serviceAccountToken: undefined }),
      'no credentials',
    ],
  ])('skips a cluster that is %s', (_name, c, connection, reason) => {
    const map = new Map(connection ? [[c.id, connection]] : []);
    const result = toClusterDetails([c], map, [], opts);
    expect(result.clusters).toEqual([]);
    expect(result.skipped[0].reason).toContain(reason);
  });

  it('keeps unreachable clusters when skipUnhealthy is off', () => {
    const c = cluster('u-1', 'u', 'unreachable');
    expect(
      toClusterDetails([c], new Map([['u-1', conn('u-1')]]), [], {
        ...opts,
        skipUnhealthy: false,
      }).clusters,
    ).toHaveLength(1);
  });

  it('defers to explicitly configured clusters and renames duplicates to their id', () => {
    const defaults = [
      { name: 'x', url: 'https://x-1.example.com:443/', authMetadata: {} },
    ];
    const result = toClusterDetails(
      [
        cluster('x-1', 'x'),
        cluster('d-1', 'dup'),
        cluster('d-2', 'dup'),
        cluster('y-1', 'x2'),
      ],
      new Map([
        ['x-1', conn('x-1')],
        ['d-1', conn('d-1')],
        ['d-2', conn('d-2')],
        [
          'y-1',
          conn('y-1', {
            authProvider: 'aws',
            serviceAccountToken: undefined,
            authMetadata: { 'kubernetes.io/aws-assume-role': 'r' },
          }),
        ],
      ]),
      defaults,
      opts,
    );
    expect(result.clusters.map(c => c.name)).toEqual(['d-1', 'd-2', 'x2']);
    expect(result.clusters[2].authMetadata).toEqual({
      'kubernetes.io/aws-assume-role': 'r',
      'kubernetes.io/auth-provider': 'aws',
    });
    expect(result.skipped).toEqual([
      {
        id: 'x-1',
        reason: 'already supplied by kubernetes.clusterLocatorMethods',
      },
    ]);
  });
});

describe('MulticlusterClusterSupplier', () => {
  it('reads clusters with service credentials, caches them and survives an outage', async () => {
    let down = false;
    const multicluster = multiclusterServiceMock({
      clusters: [cluster('a-1', 'a')],
      connections: { 'a-1': conn('a-1') },
    });
    const outage =
      (fn: (...args: any[]) => Promise<any>) =>
      async (...args: any[]) => {
        if (down) throw new Error('multicluster answered 503: boom');
        return fn(...args);
      };
    multicluster.listClusters = outage(multicluster.listClusters);
    multicluster.getClusterConnections = outage(
      multicluster.getClusterConnections,
    );
    const supplier = new MulticlusterClusterSupplier(
      {
        multicluster,
        auth: mockServices.auth({ pluginId: 'kubernetes' }),
        logger: mockServices.logger.mock(),
        defaultSupplier: {
          getClusters: async () => [
            {
              name: 'static',
              url: 'https://static.example.com',
              authMetadata: {},
            },
          ],
        },
      },
      {
        skipUnhealthy: true,
        refreshIntervalMs: 60_000,
        skipMetricsLookupFor: [],
      },
    );
    const credentials = mockCredentials.user();
    const first = await supplier.getClusters({ credentials });
    expect(first.map(c => c.name)).toEqual(['static', 'a']);
    expect(
      multicluster.calls.map(c => [c.method, c.args[0], c.args[1]]),
    ).toEqual([
      ['listClusters', { limit: 500 }, undefined],
      // The view identity only.
      ['getClusterConnections', ['a-1'], 'view'],
      // What this user may read.
      ['listClusters', { limit: 500 }, undefined],
    ]);
    await supplier.getClusters({ credentials });
    expect(multicluster.calls).toHaveLength(3);

    down = true;
    (supplier as any).cache.expiresAt = 0;
    expect(
      (await supplier.getClusters({ credentials })).map(c => c.name),
    ).toEqual(['static', 'a']);
  });

  it('supplies each caller only the inventory clusters the multicluster plugin lets them read', async () => {
    const clusters = [
      { ...cluster('a-1', 'a'), labels: { team: 'payments' } },
      { ...cluster('b-1', 'b'), labels: { team: 'search' } },
    ];
    const multicluster = multiclusterServiceMock({
      clusters,
      connections: { 'a-1': conn('a-1'), 'b-1': conn('b-1') },
    });
    // The plugin's own read, and each user's, as the multicluster plugin would answer them.
    const listAll = multicluster.listClusters;
    multicluster.listClusters = async (request, options) => {
      const principal = options.credentials.principal as {
        type: string;
        userEntityRef?: string;
      };
      if (principal.type === 'service') return listAll(request, options);
      if (principal.userEntityRef === 'user:default/pat') {
        return listAll({ ...request, selector: 'team=payments' }, options);
      }
      throw Object.assign(new Error('multicluster answered 403'), {
        statusCode: 403,
      });
    };
    const supplier = new MulticlusterClusterSupplier(
      {
        multicluster,
        auth: mockServices.auth({ pluginId: 'kubernetes' }),
        logger: mockServices.logger.mock(),
      },
      {
        skipUnhealthy: true,
        refreshIntervalMs: 60_000,
        skipMetricsLookupFor: [],
      },
    );
    const names = async (credentials: any) =>
      (await supplier.getClusters({ credentials })).map(c => c.name);
    expect(await names(mockCredentials.user('user:default/pat'))).toEqual([
      'a',
    ]);
    // Refused (no team): no inventory cluster at all.
    expect(await names(mockCredentials.user('user:default/nobody'))).toEqual(
      [],
    );
    expect(await names(mockCredentials.none())).toEqual([]);
    // A plugin on its own behalf (the Kubernetes plugin's startup checks) sees them all.
    expect(await names(mockCredentials.service('plugin:kubernetes'))).toEqual([
      'a',
      'b',
    ]);
  });

  it("looks up only an entity's clusters, as the caller, and their connections once per interval", async () => {
    const clusters = [cluster('a-1', 'a'), cluster('b-1', 'b')];
    const multicluster = multiclusterServiceMock({
      clusters: [...clusters, cluster('c-1', 'c')],
      connections: {
        'a-1': conn('a-1'),
        'b-1': conn('b-1'),
        'c-1': conn('c-1'),
      },
    });
    const getCluster = multicluster.getCluster;
    multicluster.getCluster = async (id, options) => {
      // c-1 is not this caller's to read.
      if (id === 'c-1')
        throw Object.assign(new Error('multicluster answered 404'), {
          statusCode: 404,
        });
      return getCluster(id, options);
    };
    const supplier = new MulticlusterClusterSupplier(
      {
        multicluster,
        auth: mockServices.auth({ pluginId: 'kubernetes' }),
        logger: mockServices.logger.mock(),
      },
      {
        skipUnhealthy: true,
        refreshIntervalMs: 60_000,
        skipMetricsLookupFor: [],
      },
    );
    const credentials = mockCredentials.user('user:default/pat');
    const byIds = () =>
      supplier.getClustersByIds({
        credentials,
        // a-1 came with the entity's relations; b-1 and c-1 only as workload placements.
        known: [clusters[0]],
        ids: ['a-1', 'b-1', 'c-1', 'a-1'],
      });
    const first = await byIds();
    expect(first.map(v => [v.id, v.details.name, v.health])).toEqual([
      ['a-1', 'a', 'healthy'],
      ['b-1', 'b', 'healthy'],
    ]);
    expect(first[0].details.authMetadata.serviceAccountToken).toBe('token-a-1');
    // Never the whole inventory: b-1 asked for as the caller (c-1 refused before the
    // mock records it), connections only of what the caller may read.
    expect(multicluster.calls.map(c => [c.method, c.args[0]])).toEqual([
      ['getCluster', 'b-1'],
      ['getClusterConnections', ['a-1', 'b-1']],
    ]);
    await byIds();
    expect(
      multicluster.calls.filter(c => c.method === 'getClusterConnections'),
    ).toHaveLength(1);
  });
});
