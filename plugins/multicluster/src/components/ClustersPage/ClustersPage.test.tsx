/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  CLUSTER_CLOUDS,
  CLUSTER_HEALTHS,
  ListClustersRequest,
} from '@archipelago/multicluster-common';
import { FakeMulticlusterApi } from '../../__testUtils__/FakeMulticlusterApi';
import { makeCluster, NOW } from '../../__testUtils__/fixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { ClustersPage } from './ClustersPage';

/**
 * Types one keystroke after another within the same tick, as a fast typist
 * would: a loaded CI machine cannot stretch the gaps past the debounce.
 */
function typeQuickly(field: HTMLElement, text: string) {
  const start = (field as HTMLInputElement).value;
  for (let i = 1; i <= text.length; i++) {
    fireEvent.change(field, { target: { value: start + text.slice(0, i) } });
  }
}

/** A fleet of `n` clusters spread over clouds, healths and two env labels. */
function fleet(n: number) {
  return Array.from({ length: n }, (_, i) =>
    makeCluster(`cluster-${String(i).padStart(5, '0')}`, {
      cloud: CLUSTER_CLOUDS[i % 4],
      health: CLUSTER_HEALTHS[i % 3],
      labels: { env: i % 2 === 0 ? 'prod' : 'dev', index: String(i) },
    }),
  );
}

function listRequests(api: FakeMulticlusterApi): ListClustersRequest[] {
  return api
    .callsOf('listClusters')
    .map(args => args[0] as ListClustersRequest);
}

function rowNames(): string[] {
  return screen
    .getAllByRole('link')
    .map(a => a.getAttribute('href') ?? '')
    .filter(href => href.startsWith('/multicluster/clusters/'))
    .map(href =>
      href.replace('/multicluster/clusters/', '').replace(/-id$/, ''),
    );
}

async function chooseOption(label: string, option: string) {
  fireEvent.mouseDown(screen.getByLabelText(label));
  await userEvent.click(
    within(await screen.findByRole('listbox')).getByRole('option', {
      name: option,
    }),
  );
}

// Full pages with Backstage tables render slowly in jsdom on a shared machine
// (the first test also pays for loading the table's modules).
jest.setTimeout(120_000);

describe('ClustersPage', () => {
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('loads one page of 5,000 clusters, never the whole fleet, and pages with server cursors', async () => {
    const api = new FakeMulticlusterApi({ clusters: fleet(5000) });
    await renderWithApi(<ClustersPage />, { api });

    expect(await screen.findByText('1–25 of 5,000')).toBeInTheDocument();
    expect(screen.getByText('Clusters (5,000)')).toBeInTheDocument();
    expect(rowNames()).toHaveLength(25);
    expect(rowNames()[0]).toBe('cluster-00000');
    expect(listRequests(api)).toEqual([{ limit: 25, sort: 'name' }]);

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('26–50 of 5,000')).toBeInTheDocument();
    expect(rowNames()[0]).toBe('cluster-00025');
    expect(listRequests(api)[1]).toEqual({
      limit: 25,
      sort: 'name',
      cursor: 'cursor-25',
    });

    await userEvent.click(
      screen.getByRole('button', { name: 'Previous page' }),
    );
    expect(await screen.findByText('1–25 of 5,000')).toBeInTheDocument();
    expect(listRequests(api)[2]).toEqual({ limit: 25, sort: 'name' });
    expect(
      screen.getByRole('button', { name: 'Previous page' }),
    ).toBeDisabled();

    // Every request asked for one page only.
    expect(listRequests(api).every(r => r.limit === 25)).toBe(true);
  });

  it('shows counts by health and by cloud from the summary', async () => {
    const api = new FakeMulticlusterApi({ clusters: fleet(5000) });
    await renderWithApi(<ClustersPage />, { api });
    const healthy = await screen.findByRole('button', {
      name: 'Show healthy clusters',
    });
    expect(healthy).toHaveTextContent('1,667');
    expect(
      screen.getByRole('button', { name: 'Show degraded clusters' }),
    ).toHaveTextContent('1,667');
    expect(
      screen.getByRole('button', { name: 'Show unhealthy clusters' }),
    ).toHaveTextContent('1,666');
    expect(
      screen.getByRole('button', { name: 'Show unreachable clusters' }),
    ).toHaveTextContent('0');
    expect(
      screen.getByRole('button', { name: 'Show aws clusters' }),
    ).toHaveTextContent('1,250');
    expect(
      screen.queryByRole('button', { name: 'Show other clusters' }),
    ).not.toBeInTheDocument();
    expect(api.callsOf('getSummary')).toHaveLength(1);
  });

  it('filters on the server when a health count is clicked, and clears on a second click', async () => {
    const api = new FakeMulticlusterApi({ clusters: fleet(300) });
    await renderWithApi(<ClustersPage />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Show degraded clusters' }),
    );
    expect(await screen.findByText('1–25 of 100')).toBeInTheDocument();
    expect(listRequests(api).at(-1)).toEqual({
      limit: 25,
      sort: 'name',
      health: 'degraded',
    });

    await userEvent.click(
      screen.getByRole('button', { name: 'Show degraded clusters' }),
    );
    expect(await screen.findByText('1–25 of 300')).toBeInTheDocument();
    expect(listRequests(api).at(-1)).toEqual({ limit: 25, sort: 'name' });
  });

  it('filters by cloud and sorts on the server, starting again from the first page', async () => {
    const api = new FakeMulticlusterApi({ clusters: fleet(300) });
    await renderWithApi(<ClustersPage />, { api });
    await screen.findByText('1–25 of 300');
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await screen.findByText('26–50 of 300');

    await chooseOption('Cloud', 'gcp');
    expect(await screen.findByText('1–25 of 75')).toBeInTheDocument();
    // The cursor of the old query is not sent with the new one.
    expect(listRequests(api).at(-1)).toEqual({
      limit: 25,
      sort: 'name',
      cloud: 'gcp',
    });

    await chooseOption('Sort by', 'Health (best first)');
    await waitFor(() =>
      expect(listRequests(api).at(-1)).toEqual({
        limit: 25,
        sort: 'health',
        cloud: 'gcp',
      }),
    );

    // Descending: the server reverses the order (order=desc), from the first page.
    await userEvent.click(
      screen.getByRole('button', { name: 'Sort descending' }),
    );
    await waitFor(() =>
      expect(listRequests(api).at(-1)).toEqual({
        limit: 25,
        sort: 'health',
        order: 'desc',
        cloud: 'gcp',
      }),
    );
    expect(
      screen.getByRole('button', { name: 'Sort ascending' }),
    ).toBeInTheDocument();
  });

  it('validates the label selector inline and only queries with a valid one, once typing pauses', async () => {
    const api = new FakeMulticlusterApi({ clusters: fleet(300) });
    await renderWithApi(<ClustersPage />, { api });
    await screen.findByText('1–25 of 300');
    const field = screen.getByLabelText('Label selector');

    typeQuickly(field, 'env in (prod');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText(/expected/)).toBeInTheDocument();

    typeQuickly(field, ')');
    expect(field).toHaveAttribute('aria-invalid', 'false');
    expect(
      await screen.findByText('1–25 of 150', undefined, { timeout: 5000 }),
    ).toBeInTheDocument();

    const selectors = listRequests(api)
      .map(r => r.selector)
      .filter(Boolean);
    // One request for the finished selector; none for what was typed on the way.
    expect(selectors).toEqual(['env in (prod)']);
  });

  it('debounces the text search', async () => {
    const api = new FakeMulticlusterApi({ clusters: fleet(300) });
    await renderWithApi(<ClustersPage />, { api });
    await screen.findByText('1–25 of 300');
    typeQuickly(screen.getByLabelText('Search'), 'cluster-0029');
    expect(
      await screen.findByText('1–10 of 10', undefined, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(
      listRequests(api)
        .map(r => r.q)
        .filter(Boolean),
    ).toEqual(['cluster-0029']);
  });

  it('reads its filters from the URL', async () => {
    const api = new FakeMulticlusterApi({ clusters: fleet(300) });
    await renderWithApi(<ClustersPage />, {
      api,
      routeEntries: ['/?selector=env%3Ddev&cloud=azure&limit=50'],
    });
    expect(await screen.findByText('1–50 of 75')).toBeInTheDocument();
    expect(listRequests(api)[0]).toEqual({
      limit: 50,
      sort: 'name',
      selector: 'env=dev',
      cloud: 'azure',
    });
    expect(screen.getByLabelText('Label selector')).toHaveValue('env=dev');
  });

  it('changes the page size', async () => {
    const api = new FakeMulticlusterApi({ clusters: fleet(300) });
    await renderWithApi(<ClustersPage />, { api });
    await screen.findByText('1–25 of 300');
    await chooseOption('Rows per page', '100');
    expect(await screen.findByText('1–100 of 300')).toBeInTheDocument();
    expect(listRequests(api).at(-1)).toEqual({ limit: 100, sort: 'name' });
  });

  it('says when nothing matches the filters', async () => {
    const api = new FakeMulticlusterApi({ clusters: fleet(10) });
    await renderWithApi(<ClustersPage />, {
      api,
      routeEntries: ['/?selector=env%3Dnone'],
    });
    expect(
      await screen.findByText('No cluster matches these filters.'),
    ).toBeInTheDocument();
  });

  it('explains how to add clusters when there are none', async () => {
    const api = new FakeMulticlusterApi();
    await renderWithApi(<ClustersPage />, { api });
    expect(await screen.findByText(/No clusters yet/)).toBeInTheDocument();
  });

  it('shows the server error when listing fails', async () => {
    const api = new FakeMulticlusterApi({
      failures: {
        listClusters: new Error(
          'Invalid query parameter sort: must be one of name, health',
        ),
      },
    });
    await renderWithApi(<ClustersPage />, { api });
    expect(
      await screen.findByText(/Could not load clusters/),
    ).toBeInTheDocument();
  });

  it('warns about providers that failed their last round', async () => {
    const api = new FakeMulticlusterApi({
      summary: {
        totalClusters: 0,
        byHealth: {
          healthy: 0,
          degraded: 0,
          unhealthy: 0,
          unreachable: 0,
          unauthorized: 0,
          unknown: 0,
        },
        byCloud: {},
        providers: [
          {
            id: 'aws-eks',
            ok: false,
            complete: false,
            clusters: 0,
            error: 'AccessDenied',
          },
        ],
      },
    });
    await renderWithApi(<ClustersPage />, { api });
    expect(
      await screen.findByText(
        /1 cluster provider failed their last discovery round/,
      ),
    ).toBeInTheDocument();
  });

  it('warns when clusters have not been probed for several intervals', async () => {
    const api = new FakeMulticlusterApi({
      summary: {
        totalClusters: 3,
        byHealth: {
          healthy: 1,
          degraded: 0,
          unhealthy: 0,
          unreachable: 0,
          unauthorized: 0,
          unknown: 2,
        },
        byCloud: { aws: 3 },
        providers: [],
        lastProbeRoundAt: new Date(Date.now() - 20 * 60_000).toISOString(),
        staleClusters: 2,
      },
    });
    await renderWithApi(<ClustersPage />, { api });
    expect(
      await screen.findByText(
        /2 clusters have not been probed for several intervals/,
      ),
    ).toBeInTheDocument();
  });

  it('starts discovery on demand', async () => {
    const api = new FakeMulticlusterApi({ clusters: fleet(3) });
    await renderWithApi(<ClustersPage />, { api });
    await screen.findByText('1–3 of 3');
    await userEvent.click(screen.getByRole('button', { name: 'Rediscover' }));
    await waitFor(() => expect(api.callsOf('refreshClusters')).toHaveLength(1));
    await waitFor(() => expect(api.callsOf('listClusters')).toHaveLength(2));
  });
});
