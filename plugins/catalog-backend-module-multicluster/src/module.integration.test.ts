/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Cluster } from '@archipelago/multicluster-common';
import {
  multiclusterServiceMock,
  multiclusterServiceRef,
} from '@archipelago/multicluster-node';
import {
  coreServices,
  createServiceFactory,
  type SchedulerService,
  type SchedulerServiceTaskInvocationDefinition,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import request from 'supertest';
import { catalogModuleMulticluster } from './module';

jest.setTimeout(150_000);

const cluster = (i: number, title = `c${i}`): Cluster => ({
  id: `c${i}-0000000${i}`,
  name: `c${i}`,
  title,
  url: `https://c${i}.example.com`,
  cloud: 'local',
  distribution: 'emulator',
  labels: { team: 'search' },
  sources: [],
  status: { health: 'healthy', reason: 'ok', checks: [], stale: false },
});

/** The real catalog with our module; the test runs the provider's rounds. */
async function startCatalog(
  inventory: () => Cluster[],
  multiclusterConfig: { ingestion?: Record<string, number> } = {},
) {
  const multicluster = multiclusterServiceMock();
  const listClusters = jest
    .spyOn(multicluster, 'listClusters')
    .mockImplementation(async () => ({
      items: inventory(),
      totalItems: inventory().length,
    }));
  /** The provider's round, run by the test instead of on a schedule. */
  let round: (() => Promise<void>) | undefined;
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleMulticluster,
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: (): SchedulerService => {
          const scheduler = mockServices.scheduler();
          return {
            triggerTask: (id: string) => scheduler.triggerTask(id),
            cancelTask: (id: string) => scheduler.cancelTask(id),
            scheduleTask: (
              task: Parameters<typeof scheduler.scheduleTask>[0],
            ) => scheduler.scheduleTask(task),
            getScheduledTasks: () => scheduler.getScheduledTasks(),
            createScheduledTaskRunner: () => ({
              // The round runs once at connect; the test runs the next ones.
              run: async (task: SchedulerServiceTaskInvocationDefinition) => {
                round = async () => {
                  await task.fn(new AbortController().signal);
                };
                await round();
              },
            }),
          };
        },
      }),
      createServiceFactory({
        service: multiclusterServiceRef,
        deps: {},
        factory: () => multicluster,
      }),
      mockServices.rootConfig.factory({
        data: { catalog: { providers: { multicluster: multiclusterConfig } } },
      }),
    ],
  });
  const titles = async () => {
    const res = await request(backend.server)
      .get('/api/catalog/entities')
      .query({
        filter: 'kind=resource,spec.type=kubernetes-cluster',
        fields: 'metadata.name,metadata.title',
      });
    expect(res.status).toBe(200);
    return Object.fromEntries(
      res.body.map((e: any) => [e.metadata.name, e.metadata.title]),
    );
  };
  const eventually = async (want: Record<string, string>) => {
    const deadline = Date.now() + 60_000;
    // The catalog lists entities in no particular order.
    const canonical = (byName: Record<string, string>) =>
      JSON.stringify(Object.entries(byName).sort());
    for (;;) {
      const got = await titles();
      if (canonical(got) === canonical(want) || Date.now() > deadline)
        return got;
      await new Promise(r => setTimeout(r, 250));
    }
  };
  return { backend, listClusters, round: () => round!(), eventually };
}

/**
 * The real catalog takes the module's full and then delta mutations: an
 * added cluster appears, a removed one disappears, a changed one changes.
 */
describe('catalog module with the real catalog', () => {
  let inventory: Cluster[] = [cluster(1), cluster(2), cluster(3)];
  let catalog: Awaited<ReturnType<typeof startCatalog>>;

  beforeAll(async () => {
    catalog = await startCatalog(() => inventory);
  });

  afterAll(async () => {
    await catalog?.backend.stop();
  });

  it('publishes the inventory, then only its changes', async () => {
    const { eventually, listClusters, round } = catalog;
    expect(
      await eventually({
        'c1-00000001': 'c1',
        'c2-00000002': 'c2',
        'c3-00000003': 'c3',
      }),
    ).toEqual({
      'c1-00000001': 'c1',
      'c2-00000002': 'c2',
      'c3-00000003': 'c3',
    });
    const rounds = listClusters.mock.calls.length;
    inventory = [cluster(1), cluster(2, 'c2 renamed'), cluster(4)];
    const want = {
      'c1-00000001': 'c1',
      'c2-00000002': 'c2 renamed (c2)',
      'c4-00000004': 'c4',
    };
    await round();
    expect(await eventually(want)).toEqual(want);
    expect(listClusters.mock.calls.length).toBeGreaterThan(rounds);
  });
});

/**
 * A big inventory (here: more than a batch of 2) goes in delta batches, at
 * most 3 new entities a round; the full mutation that follows reconciles.
 */
describe('catalog module feeding a big inventory in batches', () => {
  let inventory: Cluster[] = [1, 2, 3, 4, 5].map(i => cluster(i));
  let catalog: Awaited<ReturnType<typeof startCatalog>>;

  beforeAll(async () => {
    catalog = await startCatalog(() => inventory, {
      ingestion: { batchSize: 2, maxNewPerRound: 3 },
    });
  });

  afterAll(async () => {
    await catalog?.backend.stop();
  });

  it('publishes three, then the rest with a change first, then removes a gone one', async () => {
    const { eventually, round } = catalog;
    const three = {
      'c1-00000001': 'c1',
      'c2-00000002': 'c2',
      'c3-00000003': 'c3',
    };
    expect(await eventually(three)).toEqual(three);
    inventory = [cluster(1, 'c1 renamed'), ...inventory.slice(1)];
    await round();
    const five = {
      ...three,
      'c1-00000001': 'c1 renamed (c1)',
      'c4-00000004': 'c4',
      'c5-00000005': 'c5',
    };
    expect(await eventually(five)).toEqual(five);
    inventory = inventory.filter(c => c.id !== 'c2-00000002');
    await round();
    const { 'c2-00000002': _gone, ...four } = five;
    expect(await eventually(four)).toEqual(four);
  });
});
