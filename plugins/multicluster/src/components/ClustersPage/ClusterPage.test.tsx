/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeMulticlusterApi } from '../../__testUtils__/FakeMulticlusterApi';
import { makeCluster, makeHistory, NOW } from '../../__testUtils__/fixtures';
import { paperTitled, renderWithApi } from '../../__testUtils__/render';
import { MulticlusterPage } from './MulticlusterPage';

jest.setTimeout(20_000);

function apiWith(
  cluster = makeCluster('eu-1', {
    health: 'degraded',
    failingCheck: 'etcd',
    labels: { env: 'prod', team: 'payments' },
  }),
) {
  return new FakeMulticlusterApi({
    clusters: [{ ...cluster, environment: 'pr-42' }],
    histories: {
      [cluster.id]: {
        current: cluster.status,
        history: makeHistory(['healthy', 'unreachable', 'degraded']),
      },
    },
  });
}

describe('cluster view', () => {
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('shows the overview of one cluster', async () => {
    const api = apiWith();
    await renderWithApi(<MulticlusterPage />, {
      api,
      routeEntries: ['/clusters/eu-1-id'],
    });
    expect(
      await screen.findByRole('heading', { name: 'EU-1' }),
    ).toBeInTheDocument();
    const overview = within(paperTitled('Overview'));
    expect(overview.getByText('Degraded')).toBeInTheDocument();
    expect(
      overview.getByText('https://eu-1.example.test:6443'),
    ).toBeInTheDocument();
    expect(overview.getByText('3 of 4 ready')).toBeInTheDocument();
    expect(
      overview.getByText('12 cores · 48 GiB · 330 pods'),
    ).toBeInTheDocument();
    expect(overview.getByText('30 s ago (12 ms)')).toBeInTheDocument();
    expect(overview.getByRole('link', { name: 'pr-42' })).toHaveAttribute(
      'href',
      '/multicluster/environments/pr-42',
    );
    expect(api.callsOf('getCluster')).toEqual([['eu-1-id']]);
  });

  it('shows checks, health history, sources and labels', async () => {
    const api = apiWith();
    await renderWithApi(<MulticlusterPage />, {
      api,
      routeEntries: ['/clusters/eu-1-id'],
    });
    await screen.findByRole('heading', { name: 'EU-1' });

    const checks = within(paperTitled('Checks'));
    expect(checks.getByText('etcd timed out')).toBeInTheDocument();
    expect(checks.getByText('failed')).toBeInTheDocument();
    expect(checks.getByText('ok')).toBeInTheDocument();

    expect(
      await screen.findByRole('img', {
        name: 'Health history, last 3 probes: 1 healthy, 1 unreachable, 1 degraded',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('Last 3 probes')).toBeInTheDocument();
    expect(screen.getByText('probe said unreachable')).toBeInTheDocument();

    const sources = within(paperTitled('Sources'));
    expect(sources.getByText('kubeconfig')).toBeInTheDocument();
    expect(sources.getByText('ctx-eu-1')).toBeInTheDocument();

    expect(screen.getByText('env=prod')).toBeInTheDocument();
    expect(screen.getByText('team=payments')).toBeInTheDocument();
  });

  it('warns about stale data and disabled TLS verification', async () => {
    const cluster = makeCluster('eu-1', { stale: true });
    cluster.status.tlsVerificationDisabled = true;
    const api = apiWith(cluster);
    await renderWithApi(<MulticlusterPage />, {
      api,
      routeEntries: ['/clusters/eu-1-id'],
    });
    expect(await screen.findByText(/Stale data/)).toBeInTheDocument();
    expect(
      screen.getByText(/TLS verification is disabled for this cluster/),
    ).toBeInTheDocument();
  });

  it('says so when the cluster does not exist', async () => {
    const api = apiWith();
    await renderWithApi(<MulticlusterPage />, {
      api,
      routeEntries: ['/clusters/gone'],
    });
    expect(await screen.findByText('Cluster not found')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Back to all clusters' }),
    ).toHaveAttribute('href', '/multicluster');
  });

  it('shows other errors', async () => {
    const api = apiWith();
    api.failures.getCluster = new Error('Internal Server Error');
    await renderWithApi(<MulticlusterPage />, {
      api,
      routeEntries: ['/clusters/eu-1-id'],
    });
    expect(
      await screen.findByText(/Could not load the cluster/),
    ).toBeInTheDocument();
  });

  it('shows the history error without hiding the cluster', async () => {
    const api = apiWith();
    api.failures.getClusterHealth = new Error('history table is locked');
    await renderWithApi(<MulticlusterPage />, {
      api,
      routeEntries: ['/clusters/eu-1-id'],
    });
    expect(
      await screen.findByText(/Could not load the health history/),
    ).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'EU-1' })).toBeInTheDocument();
  });

  it('reloads on demand', async () => {
    const api = apiWith();
    await renderWithApi(<MulticlusterPage />, {
      api,
      routeEntries: ['/clusters/eu-1-id'],
    });
    await screen.findByRole('heading', { name: 'EU-1' });
    await userEvent.click(
      screen.getByRole('button', { name: 'Reload cluster' }),
    );
    await screen.findByRole('heading', { name: 'EU-1' });
    expect(api.callsOf('getCluster').length).toBeGreaterThanOrEqual(2);
  });

  it('lists clusters at the root path', async () => {
    const api = apiWith();
    await renderWithApi(<MulticlusterPage />, { api, routeEntries: ['/'] });
    expect(
      await screen.findByRole('heading', { name: 'Clusters' }),
    ).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'EU-1' })).toHaveAttribute(
      'href',
      '/multicluster/clusters/eu-1-id',
    );
  });
});
