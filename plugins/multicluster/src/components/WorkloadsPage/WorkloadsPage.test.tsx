/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { FakeMulticlusterApi } from '../../__testUtils__/FakeMulticlusterApi';
import { NOW } from '../../__testUtils__/fixtures';
import { renderWithApi } from '../../__testUtils__/render';
import {
  makeWorkload,
  WORKLOAD_EVENTS,
  WORKLOAD_REVISIONS,
} from '../../__testUtils__/workloadFixtures';
import { WorkloadsPage } from './WorkloadsPage';

jest.setTimeout(30_000);

const api = () =>
  new FakeMulticlusterApi({
    workloads: [makeWorkload()],
    workloadEvents: { checkout: WORKLOAD_EVENTS },
    workloadRevisions: { checkout: WORKLOAD_REVISIONS },
  });

const permission =
  (result: AuthorizeResult.ALLOW | AuthorizeResult.DENY) => () =>
    result;

describe('WorkloadsPage', () => {
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
  afterEach(() => jest.restoreAllMocks());

  it('lists the workloads with their phase and ready replicas', async () => {
    await renderWithApi(<WorkloadsPage />, {
      api: api(),
      routeEntries: ['/'],
      authorize: permission(AuthorizeResult.ALLOW),
    });
    expect(await screen.findByText('Workloads (1)')).toBeInTheDocument();
    const row = within(
      screen.getByRole('link', { name: 'checkout' }).closest('tr')!,
    );
    expect(row.getByText('Degraded')).toBeInTheDocument();
    expect(row.getByText('11/12 on 2 cluster(s)')).toBeInTheDocument();
  });

  it('shows a workload: status, clusters, events and revisions, and rolls back', async () => {
    const fake = api();
    await renderWithApi(<WorkloadsPage />, {
      api: fake,
      routeEntries: ['/checkout'],
      authorize: permission(AuthorizeResult.ALLOW),
    });
    expect(
      await screen.findByText('failed over from eu-2', { exact: false }),
    ).toBeInTheDocument();
    const clusters = within(
      screen.getByRole('table', { name: 'Clusters of checkout' }),
    );
    expect(clusters.getByText('failed over')).toBeInTheDocument();
    const events = within(
      await screen.findByRole('list', { name: 'Workload events' }),
    );
    expect(events.getAllByRole('listitem').map(li => li.textContent)).toEqual([
      expect.stringMatching(
        /^Warningeu-2failed over: eu-2 has been unreachable/,
      ),
      expect.stringMatching(/^Inforolling out revision 1/),
    ]);
    const revisions = within(
      await screen.findByRole('table', { name: 'Revision history' }),
    );
    expect(revisions.getAllByRole('row')).toHaveLength(3);
    await userEvent.click(
      revisions.getByRole('button', { name: 'Roll back to revision 2' }),
    );
    await waitFor(() =>
      expect(fake.callsOf('rollbackWorkload')).toEqual([['checkout', 2]]),
    );
    expect(screen.getByRole('button', { name: 'Pause' })).toBeInTheDocument();
  });

  it('offers no rollback or pause to those who may not change the workload', async () => {
    await renderWithApi(<WorkloadsPage />, {
      api: api(),
      routeEntries: ['/checkout'],
      authorize: permission(AuthorizeResult.DENY),
    });
    const revisions = within(
      await screen.findByRole('table', { name: 'Revision history' }),
    );
    expect(revisions.queryByRole('button')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Pause' }),
    ).not.toBeInTheDocument();
  });

  it('shows the global DNS name: which geography goes to which cluster, and each answer’s health', async () => {
    const dns = {
      hostname: 'shop.example.com',
      policy: 'geolocation' as const,
      default: 'us-1',
    };
    const fake = new FakeMulticlusterApi({
      workloads: [makeWorkload({ dns })],
      workloadDns: {
        checkout: {
          dns,
          zone: 'example.com',
          records: [
            {
              setIdentifier: 'EU',
              cluster: 'eu-1',
              type: 'A',
              values: ['127.2.0.1'],
              geography: 'EU',
              health: 'healthy',
            },
            {
              setIdentifier: 'default',
              cluster: 'us-1',
              type: 'A',
              values: ['127.1.0.1'],
              geography: '*',
              health: 'healthy',
            },
          ],
          clusters: [
            { cluster: 'eu-1', geography: 'EU', answering: true },
            {
              cluster: 'eu-2',
              geography: 'EU',
              answering: false,
              reason: 'the cluster is unhealthy',
            },
            { cluster: 'us-1', geography: 'NA', answering: true },
          ],
        },
      },
    });
    await renderWithApi(<WorkloadsPage />, {
      api: fake,
      routeEntries: ['/checkout'],
      authorize: permission(AuthorizeResult.ALLOW),
    });
    const table = within(
      await screen.findByRole('table', {
        name: 'DNS answers of shop.example.com',
      }),
    );
    expect(table.getAllByRole('row').map(r => r.textContent)).toEqual([
      'ClientsClusterAnswerHealth',
      'EUeu-1A 127.2.0.1healthy',
      'everyone else (default)us-1A 127.1.0.1healthy',
    ]);
    expect(
      screen.getByText('eu-2: the cluster is unhealthy'),
    ).toBeInTheDocument();
  });

  it('says so when the workload does not exist', async () => {
    await renderWithApi(<WorkloadsPage />, {
      api: api(),
      routeEntries: ['/gone'],
      authorize: permission(AuthorizeResult.ALLOW),
    });
    expect(await screen.findByText('Workload not found')).toBeInTheDocument();
  });
});
