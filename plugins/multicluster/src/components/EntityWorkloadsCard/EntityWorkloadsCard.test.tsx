/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { screen, within } from '@testing-library/react';
import { FakeMulticlusterApi } from '../../__testUtils__/FakeMulticlusterApi';
import { entityWith, NOW } from '../../__testUtils__/fixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { makeWorkload } from '../../__testUtils__/workloadFixtures';
import { EntityWorkloadsCard } from './EntityWorkloadsCard';

const entity = entityWith({ 'archipelago.dev/workload': 'checkout' });

describe('EntityWorkloadsCard', () => {
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
  afterEach(() => jest.restoreAllMocks());

  it('shows each workload per cluster: ready/desired, revision, drift, last sync, failover', async () => {
    const api = new FakeMulticlusterApi({
      relations: {
        clusters: [],
        environments: [],
        workloads: [makeWorkload()],
      },
    });
    await renderWithApi(<EntityWorkloadsCard />, { api, entity });
    expect(
      await screen.findByText('Workloads across clusters'),
    ).toBeInTheDocument();
    const section = within(
      screen.getByRole('region', { name: 'Workload checkout' }),
    );
    expect(section.getByText('failed over from eu-2')).toBeInTheDocument();
    expect(section.getByText('Degraded')).toBeInTheDocument();
    const rows = section
      .getAllByRole('row')
      .slice(1)
      .map(r =>
        within(r)
          .getAllByRole('cell')
          .map(c => c.textContent),
      );
    expect(rows).toEqual([
      ['eu-1', '11/12', '3', '1 drifted, 2 min ago', '30 s ago', 'no'],
      ['eu-2', '0/0', '2 (behind)', 'none', '30 s ago', 'failed over'],
    ]);
    expect(
      section.getByLabelText('Error on eu-2: connection refused'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'checkout' })).toHaveAttribute(
      'href',
      '/multicluster/workloads/checkout',
    );
    expect(api.callsOf('getEntityRelations')).toEqual([
      [{ kind: 'component', namespace: 'default', name: 'payments' }],
    ]);
  });

  it('says how to get a workload when there is none', async () => {
    const api = new FakeMulticlusterApi({
      relations: { clusters: [], environments: [], workloads: [] },
    });
    await renderWithApi(<EntityWorkloadsCard />, { api, entity });
    expect(await screen.findByText('No workloads')).toBeInTheDocument();
    expect(
      screen.getByText(/the "Deploy to clusters" template creates one/),
    ).toBeInTheDocument();
  });

  it('shows an error panel when the API fails', async () => {
    const api = new FakeMulticlusterApi({
      failures: { getEntityRelations: new Error('backend down') },
    });
    await renderWithApi(<EntityWorkloadsCard />, { api, entity });
    expect(
      await screen.findByText(/Could not load the workloads/),
    ).toBeInTheDocument();
  });
});
