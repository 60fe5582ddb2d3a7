/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ANNOTATION_CLUSTER_SELECTOR } from '@archipelago/multicluster-common';
import { FakeMulticlusterApi } from '../../__testUtils__/FakeMulticlusterApi';
import {
  entityWith,
  makeCluster,
  makeHistory,
  NOW,
} from '../../__testUtils__/fixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { EntityClusterHealthCard } from './EntityClusterHealthCard';

const entity = entityWith({ [ANNOTATION_CLUSTER_SELECTOR]: 'env=prod' });

describe('EntityClusterHealthCard', () => {
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  function apiWith(
    clusters = [
      makeCluster('eu-1'),
      makeCluster('us-1', {
        health: 'unreachable',
        failingCheck: 'etcd',
        reason: 'connect ETIMEDOUT',
      }),
    ],
  ) {
    return new FakeMulticlusterApi({
      relations: { clusters, environments: [] },
      histories: Object.fromEntries(
        clusters.map(c => [
          c.id,
          {
            current: c.status,
            history: makeHistory([
              'healthy',
              'healthy',
              'degraded',
              c.status.health,
            ]),
          },
        ]),
      ),
    });
  }

  it('shows a progress bar while loading', async () => {
    const api = apiWith();
    api.getEntityRelations = () => new Promise(() => {});
    await renderWithApi(<EntityClusterHealthCard />, { api, entity });
    expect(screen.getByText('Cluster health')).toBeInTheDocument();
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('asks for the entity by kind, namespace and name', async () => {
    const api = apiWith();
    await renderWithApi(<EntityClusterHealthCard />, { api, entity });
    await screen.findByText('EU-1');
    expect(api.callsOf('getEntityRelations')).toEqual([
      [
        {
          kind: 'component',
          namespace: 'default',
          name: 'payments',
          clusterLimit: 10,
        },
      ],
    ]);
  });

  it('shows each cluster worst first with health, reason, checks, capacity and probe time', async () => {
    const api = apiWith();
    await renderWithApi(<EntityClusterHealthCard />, { api, entity });

    const rows = await screen.findAllByRole('listitem', { name: /^Cluster / });
    expect(rows.map(r => r.getAttribute('aria-label'))).toEqual([
      'Cluster us-1',
      'Cluster eu-1',
    ]);
    expect(
      screen.getByText('2 clusters · 1 unreachable · 1 healthy'),
    ).toBeInTheDocument();

    const bad = within(rows[0]);
    expect(bad.getByText('Unreachable')).toBeInTheDocument();
    expect(bad.getByTestId('status-error')).toBeInTheDocument();
    expect(bad.getByText('connect ETIMEDOUT')).toBeInTheDocument();
    expect(
      within(bad.getByLabelText('Failing checks')).getByText('etcd'),
    ).toBeInTheDocument();
    expect(bad.getByText('Version v1.31.2')).toBeInTheDocument();
    expect(bad.getByText('Nodes 3/4 ready')).toBeInTheDocument();
    expect(bad.getByText('CPU 12 cores')).toBeInTheDocument();
    expect(bad.getByText('Memory 48 GiB')).toBeInTheDocument();
    expect(bad.getByText('Probed 30 s ago')).toBeInTheDocument();
    expect(bad.getByRole('link', { name: 'US-1' })).toHaveAttribute(
      'href',
      '/multicluster/clusters/us-1-id',
    );

    const good = within(rows[1]);
    expect(good.getByText('Healthy')).toBeInTheDocument();
    expect(good.getByTestId('status-ok')).toBeInTheDocument();
    expect(good.queryByLabelText('Failing checks')).not.toBeInTheDocument();
  });

  it('draws a health history strip per cluster from its probes', async () => {
    const api = apiWith([makeCluster('us-1', { health: 'unreachable' })]);
    await renderWithApi(<EntityClusterHealthCard />, { api, entity });
    const strip = await screen.findByRole('img', { name: /Health history/ });
    expect(strip).toHaveAccessibleName(
      'Health history, last 4 probes: 2 healthy, 1 degraded, 1 unreachable',
    );
    expect(
      within(strip)
        .getAllByTestId(/^history-tick-/)
        .map(t => t.dataset.testid),
    ).toEqual([
      'history-tick-healthy',
      'history-tick-healthy',
      'history-tick-degraded',
      'history-tick-unreachable',
    ]);
    expect(api.callsOf('getClusterHealth')).toEqual([['us-1-id']]);
  });

  it('says which annotation matched nothing when there are no clusters', async () => {
    const api = apiWith([]);
    await renderWithApi(<EntityClusterHealthCard />, { api, entity });
    expect(await screen.findByText('No clusters found')).toBeInTheDocument();
    expect(
      screen.getByText('No cluster matches the selector "env=prod".'),
    ).toBeInTheDocument();
  });

  it('shows the server error when loading fails', async () => {
    const api = apiWith();
    api.failures.getEntityRelations = new Error(
      'Entity component:default/payments has an invalid archipelago.dev/cluster-selector',
    );
    await renderWithApi(<EntityClusterHealthCard />, { api, entity });
    expect(
      await screen.findByText(/Could not load the clusters of this entity/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/has an invalid archipelago.dev\/cluster-selector/)
        .length,
    ).toBeGreaterThan(0);
  });

  it('keeps the data and warns when a refresh fails (stale data)', async () => {
    const api = apiWith();
    await renderWithApi(<EntityClusterHealthCard />, { api, entity });
    await screen.findByText('EU-1');

    api.failures.getEntityRelations = new Error('Bad Gateway');
    await userEvent.click(
      screen.getByRole('button', { name: 'Reload cluster health' }),
    );

    expect(
      await screen.findByText(/Showing data from just now: refreshing failed/),
    ).toBeInTheDocument();
    expect(screen.getByText('Bad Gateway')).toBeInTheDocument();
    expect(screen.getByText('EU-1')).toBeInTheDocument();
  });

  it('marks clusters whose providers all failed as stale', async () => {
    const api = apiWith([makeCluster('eu-1', { stale: true })]);
    await renderWithApi(<EntityClusterHealthCard />, { api, entity });
    expect(await screen.findByText('stale')).toBeInTheDocument();
  });

  it('turns a cluster unreachable after a reload', async () => {
    const api = apiWith([makeCluster('eu-1')]);
    await renderWithApi(<EntityClusterHealthCard />, { api, entity });
    expect(await screen.findByText('Healthy')).toBeInTheDocument();

    api.relations = {
      clusters: [makeCluster('eu-1', { health: 'unreachable' })],
      environments: [],
    };
    await userEvent.click(
      screen.getByRole('button', { name: 'Reload cluster health' }),
    );
    expect(await screen.findByText('Unreachable')).toBeInTheDocument();
    await waitFor(() =>
      expect(api.callsOf('getClusterHealth')).toHaveLength(2),
    );
  });

  it('lists the first clusters and links to all of them on the clusters page', async () => {
    const clusters = Array.from({ length: 12 }, (_, i) =>
      makeCluster(`c-${String(i).padStart(2, '0')}`),
    );
    const api = apiWith(clusters);
    await renderWithApi(<EntityClusterHealthCard maxClusters={5} />, {
      api,
      entity,
    });
    expect(
      await screen.findAllByRole('listitem', { name: /^Cluster / }),
    ).toHaveLength(5);
    expect(
      screen.getByRole('link', { name: /View all 12 clusters/ }),
    ).toHaveAttribute('href', '/multicluster?selector=env%3Dprod');
    // Only a page is asked for; the count comes from the backend's clusterCounts.
    expect(api.callsOf('getEntityRelations')[0][0]).toMatchObject({
      clusterLimit: 5,
    });
    expect(screen.getByText('12 clusters · 12 healthy')).toBeInTheDocument();
    // Only the clusters shown load their history.
    await waitFor(() =>
      expect(api.callsOf('getClusterHealth')).toHaveLength(5),
    );
  });

  it('renders without links when the clusters page is not installed', async () => {
    const api = apiWith([makeCluster('eu-1')]);
    await renderWithApi(<EntityClusterHealthCard />, {
      api,
      entity,
      mountPages: false,
    });
    expect(await screen.findByText('EU-1')).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'EU-1' }),
    ).not.toBeInTheDocument();
  });
});
