/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Cluster, Environment } from '@archipelago/multicluster-common';
import { mockServices } from '@backstage/backend-test-utils';
import type { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { multiclusterServiceMock } from '@archipelago/multicluster-node';
import { MulticlusterEntityProvider } from './MulticlusterEntityProvider';

const cluster = (i: number): Cluster => ({
  id: `c${i}-0000000${i}`,
  name: `c${i}`,
  title: `c${i}`,
  url: `https://c${i}.example.com`,
  cloud: 'gcp',
  distribution: 'gke',
  labels: { team: 'search' },
  sources: [
    {
      provider: 'gcp',
      sourceId: `c${i}`,
      lastSeenAt: '2026-01-01T00:00:00.000Z',
      stale: false,
    },
  ],
  status: { health: 'healthy', reason: 'ok', checks: [], stale: false },
});

describe('MulticlusterEntityProvider', () => {
  function setup(
    pages: Array<{ items: Cluster[]; nextCursor?: string } | 'error'>,
    environments: Environment[] = [],
    fullEveryMs?: number,
    ingestion: { batchSize?: number; maxNewPerRound?: number } = {},
  ) {
    const multicluster = multiclusterServiceMock({ environments });
    let call = 0;
    // The inventory changes between rounds: each call answers the next page.
    const listClusters = jest
      .spyOn(multicluster, 'listClusters')
      .mockImplementation(async () => {
        const page = pages[Math.min(call++, pages.length - 1)];
        if (page === 'error')
          throw new Error('multicluster answered 503: down');
        return { ...page, totalItems: 3 };
      });
    const connection: jest.Mocked<EntityProviderConnection> = {
      applyMutation: jest.fn(),
      refresh: jest.fn(),
    };
    let task: (() => Promise<void>) | undefined;
    const provider = new MulticlusterEntityProvider(
      {
        multicluster,
        auth: mockServices.auth({ pluginId: 'catalog' }),
        logger: mockServices.logger.mock(),
        taskRunner: {
          run: async ({ fn }) => void (task = fn as () => Promise<void>),
        },
      },
      {
        defaultOwner: 'group:default/platform',
        namespace: 'default',
        selector: 'team=search',
        ...(fullEveryMs !== undefined ? { fullEveryMs } : {}),
        ...ingestion,
      },
    );
    return { provider, connection, listClusters, run: () => task!() };
  }

  it('pages through the inventory and applies one full mutation', async () => {
    const { provider, connection, listClusters, run } = setup([
      { items: [cluster(1), cluster(2)], nextCursor: 'abc' },
      { items: [cluster(3)] },
    ]);
    await provider.connect(connection);
    await run();
    expect(listClusters.mock.calls.map(c => c[0])).toEqual([
      { limit: 500, selector: 'team=search' },
      { limit: 500, selector: 'team=search', cursor: 'abc' },
    ]);
    // As the catalog plugin itself, not as a user.
    expect(listClusters.mock.calls[0][1].credentials.principal).toMatchObject({
      type: 'service',
      subject: 'plugin:catalog',
    });
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    const mutation = connection.applyMutation.mock.calls[0][0];
    expect(mutation.type).toBe('full');
    expect(
      (mutation as any).entities.map((e: any) => [
        e.entity.metadata.name,
        e.locationKey,
      ]),
    ).toEqual([
      ['c1-00000001', 'multicluster:cluster/c1-00000001'],
      ['c2-00000002', 'multicluster:cluster/c2-00000002'],
      ['c3-00000003', 'multicluster:cluster/c3-00000003'],
    ]);
  });

  it('then applies deltas of only what changed, and nothing when nothing did', async () => {
    const renamed = { ...cluster(2), title: 'c2 renamed' };
    const { provider, connection, run } = setup([
      { items: [cluster(1), cluster(2), cluster(3)] },
      { items: [cluster(1), cluster(2), cluster(3)] },
      { items: [cluster(1), renamed, cluster(4)] },
      'error',
      { items: [cluster(1), renamed] },
    ]);
    await provider.connect(connection);
    await run();
    await run();
    // Nothing changed: the catalog is not asked at all.
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    await run();
    expect(connection.applyMutation.mock.calls[1][0]).toEqual({
      type: 'delta',
      added: [
        expect.objectContaining({
          locationKey: 'multicluster:cluster/c2-00000002',
        }),
        expect.objectContaining({
          locationKey: 'multicluster:cluster/c4-00000004',
        }),
      ],
      removed: [
        {
          entityRef: 'resource:default/c3-00000003',
          locationKey: 'multicluster:cluster/c3-00000003',
        },
      ],
    });
    // A failed read publishes nothing; the next delta starts from the same baseline.
    await expect(run()).rejects.toThrow(/503/);
    await run();
    expect(connection.applyMutation.mock.calls[2][0]).toEqual({
      type: 'delta',
      added: [],
      removed: [
        {
          entityRef: 'resource:default/c4-00000004',
          locationKey: 'multicluster:cluster/c4-00000004',
        },
      ],
    });
  });

  it('applies a full mutation again once the last one is older than fullEveryMs', async () => {
    const { provider, connection, run } = setup(
      [{ items: [cluster(1), cluster(2)] }, { items: [cluster(1)] }],
      [],
      0,
    );
    await provider.connect(connection);
    await run();
    await run();
    const last = connection.applyMutation.mock.calls[1][0] as any;
    expect(last.type).toBe('full');
    expect(last.entities.map((e: any) => e.entity.metadata.name)).toEqual([
      'c1-00000001',
    ]);
  });

  it('feeds a big inventory in delta batches, changes first, then resets it with a full mutation', async () => {
    const renamed = { ...cluster(1), title: 'c1 renamed' };
    const all = [cluster(1), cluster(2), cluster(3), cluster(4), cluster(5)];
    const { provider, connection, run } = setup(
      [
        { items: all },
        { items: [renamed, ...all.slice(1)] },
        { items: [renamed, ...all.slice(1)] },
      ],
      [],
      undefined,
      { batchSize: 2, maxNewPerRound: 3 },
    );
    await provider.connect(connection);
    const names = (call: number) => {
      const m = connection.applyMutation.mock.calls[call][0] as any;
      return [
        m.type,
        ...(m.type === 'full' ? m.entities : m.added).map(
          (e: any) => e.entity.metadata.name,
        ),
      ];
    };
    // Five new entities are more than a batch: no full mutation, at most three new ones.
    await run();
    expect(connection.applyMutation).toHaveBeenCalledTimes(2);
    expect([names(0), names(1)]).toEqual([
      ['delta', 'c1-00000001', 'c2-00000002'],
      ['delta', 'c3-00000003'],
    ]);
    // The change to c1 goes before the two new entities left over.
    await run();
    expect([names(2), names(3)]).toEqual([
      ['delta', 'c1-00000001', 'c4-00000004'],
      ['delta', 'c5-00000005'],
    ]);
    // Everything is published: the first full mutation reconciles the catalog.
    await run();
    expect(connection.applyMutation).toHaveBeenCalledTimes(5);
    expect(names(4)).toEqual([
      'full',
      'c1-00000001',
      'c2-00000002',
      'c3-00000003',
      'c4-00000004',
      'c5-00000005',
    ]);
  });

  it('publishes environments as Resources that depend on their cluster', async () => {
    const environment = (
      name: string,
      status: Environment['status'],
      clusterId?: string,
    ): Environment => ({
      name,
      type: 'dev-small',
      cloud: 'local',
      owner: 'group:default/team-a',
      inputs: {},
      status,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      components: [],
      ...(clusterId ? { clusterId } : {}),
    });
    const { provider, connection, run } = setup(
      [{ items: [{ ...cluster(1), environment: 'dev-ada' }, cluster(2)] }],
      [
        environment('dev-ada', 'ready', 'c1-00000001'),
        environment('dev-old', 'destroyed'),
        environment('dev-new', 'provisioning'),
      ],
    );
    await provider.connect(connection);
    await run();
    const entities = (connection.applyMutation.mock.calls[0][0] as any)
      .entities;
    expect(entities.map((e: any) => e.locationKey)).toEqual([
      'multicluster:cluster/c1-00000001',
      'multicluster:cluster/c2-00000002',
      'multicluster:environment/dev-ada',
      'multicluster:environment/dev-new',
    ]);
    // The environment's cluster is owned like the environment; the other by its team.
    expect(entities.map((e: any) => e.entity.spec.owner)).toEqual([
      'group:default/team-a',
      'group:default/search',
      'group:default/team-a',
      'group:default/team-a',
    ]);
    entities.splice(1, 1);
    expect(entities[1].entity).toMatchObject({
      kind: 'Resource',
      metadata: {
        name: 'dev-ada',
        annotations: { 'archipelago.dev/environment': 'dev-ada' },
      },
      spec: {
        type: 'environment',
        owner: 'group:default/team-a',
        dependsOn: ['resource:default/c1-00000001'],
      },
    });
    expect(entities[2].entity.spec.dependsOn).toBeUndefined();
    // Only identity is published: no capabilities, inputs or status.
    expect(JSON.stringify(entities[1].entity)).not.toMatch(
      /capabilities|inputs|ready/,
    );
  });

  it('keeps the catalog as it is when the inventory cannot be read', async () => {
    const { provider, connection, run } = setup(['error']);
    await provider.connect(connection);
    await expect(run()).rejects.toThrow(/503/);
    expect(connection.applyMutation).not.toHaveBeenCalled();
  });
});
