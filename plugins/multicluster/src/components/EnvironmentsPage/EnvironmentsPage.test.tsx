/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { screen, within } from '@testing-library/react';
import { FakeMulticlusterApi } from '../../__testUtils__/FakeMulticlusterApi';
import {
  EVENTS,
  makeEnvironment,
  NOW,
  SECRET_VALUE,
} from '../../__testUtils__/fixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { EnvironmentsPage } from './EnvironmentsPage';

jest.setTimeout(20_000);

function rowOf(name: string) {
  return within(
    screen.getByRole('link', { name }).closest('tr') as HTMLElement,
  );
}

describe('EnvironmentsPage', () => {
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  describe('list', () => {
    it('shows status, owner, type, cloud and TTL of every environment', async () => {
      const provisioning = makeEnvironment({
        name: 'pr-43',
        status: 'provisioning',
        cloud: 'aws',
        expiresAt: undefined,
      });
      provisioning.components[2].status = 'creating';
      const api = new FakeMulticlusterApi({
        environments: [makeEnvironment(), provisioning],
      });
      await renderWithApi(<EnvironmentsPage />, { api, routeEntries: ['/'] });

      expect(await screen.findByText('Environments (2)')).toBeInTheDocument();
      const ready = rowOf('pr-42');
      expect(screen.getByRole('link', { name: 'pr-42' })).toHaveAttribute(
        'href',
        '/multicluster/environments/pr-42',
      );
      expect(ready.getByText('Ready')).toBeInTheDocument();
      expect(ready.getByRole('link', { name: 'team-a' })).toBeInTheDocument();
      expect(ready.getByText('dev-small')).toBeInTheDocument();
      expect(ready.getByText('local')).toBeInTheDocument();
      expect(ready.getByText('3 h 10 min left')).toBeInTheDocument();

      const busy = rowOf('pr-43');
      expect(busy.getByText('Provisioning')).toBeInTheDocument();
      expect(busy.getByText('2 of 3 components ready')).toBeInTheDocument();
      expect(busy.getByText('aws')).toBeInTheDocument();
      expect(busy.getByText('no TTL')).toBeInTheDocument();
    });

    it('flags drift in the list', async () => {
      const env = makeEnvironment();
      env.components[0].status = 'drifted';
      const api = new FakeMulticlusterApi({ environments: [env] });
      await renderWithApi(<EnvironmentsPage />, { api, routeEntries: ['/'] });
      expect(await screen.findByText('drift detected')).toBeInTheDocument();
    });

    it('explains how to create one when there are none', async () => {
      const api = new FakeMulticlusterApi();
      await renderWithApi(<EnvironmentsPage />, { api, routeEntries: ['/'] });
      expect(
        await screen.findByText(/No environments yet/),
      ).toBeInTheDocument();
    });

    it('shows the server error', async () => {
      const api = new FakeMulticlusterApi({
        failures: { listEnvironments: new Error('Forbidden') },
      });
      await renderWithApi(<EnvironmentsPage />, { api, routeEntries: ['/'] });
      expect(
        await screen.findByText(/Could not load environments/),
      ).toBeInTheDocument();
    });
  });

  describe('detail', () => {
    it('shows the overview, components and event timeline', async () => {
      const api = new FakeMulticlusterApi({
        environments: [makeEnvironment()],
        events: { 'pr-42': EVENTS },
      });
      await renderWithApi(<EnvironmentsPage />, {
        api,
        routeEntries: ['/pr-42'],
      });

      expect(
        await screen.findByRole('heading', { name: 'pr-42' }),
      ).toBeInTheDocument();
      expect(screen.getByText('dev-small on local')).toBeInTheDocument();
      expect(
        screen.getByRole('link', { name: 'pr-42-cluster-id' }),
      ).toHaveAttribute('href', '/multicluster/clusters/pr-42-cluster-id');
      expect(
        screen.getByRole('region', { name: 'Component database' }),
      ).toBeInTheDocument();

      const timeline = await screen.findByRole('list', {
        name: 'Event timeline',
      });
      const items = within(timeline).getAllByRole('listitem');
      // Newest first.
      expect(items.map(i => i.textContent)).toEqual([
        expect.stringContaining('Environment ready'),
        expect.stringContaining('cluster slow to start, retrying'),
        expect.stringContaining('network ready'),
        expect.stringContaining('Environment requested'),
      ]);
      expect(within(items[1]).getByText('Warning')).toBeInTheDocument();
      expect(within(items[1]).getByText('cluster')).toBeInTheDocument();
      expect(within(items[1]).getByText('40 min ago')).toBeInTheDocument();
    });

    it('never renders a secret value', async () => {
      const env = makeEnvironment();
      env.components[2].capabilities.master_password = SECRET_VALUE;
      const api = new FakeMulticlusterApi({ environments: [env] });
      const { container } = await renderWithApi(<EnvironmentsPage />, {
        api,
        routeEntries: ['/pr-42'],
      });
      await screen.findByRole('region', { name: 'Component database' });
      expect(screen.getByText('stored secret')).toBeInTheDocument();
      expect(container.innerHTML).not.toContain(SECRET_VALUE);
    });

    it('says so when the environment does not exist', async () => {
      const api = new FakeMulticlusterApi();
      await renderWithApi(<EnvironmentsPage />, {
        api,
        routeEntries: ['/gone'],
      });
      expect(
        await screen.findByText('Environment not found'),
      ).toBeInTheDocument();
      expect(
        screen.getByRole('link', { name: 'Back to all environments' }),
      ).toHaveAttribute('href', '/multicluster/environments');
    });

    it('shows an events error without hiding the environment', async () => {
      const api = new FakeMulticlusterApi({
        environments: [makeEnvironment()],
        failures: { listEnvironmentEvents: new Error('events unavailable') },
      });
      await renderWithApi(<EnvironmentsPage />, {
        api,
        routeEntries: ['/pr-42'],
      });
      expect(
        await screen.findByText(/Could not load events/),
      ).toBeInTheDocument();
      expect(
        screen.getByRole('heading', { name: 'pr-42' }),
      ).toBeInTheDocument();
    });

    it('shows an empty timeline', async () => {
      const api = new FakeMulticlusterApi({
        environments: [makeEnvironment()],
      });
      await renderWithApi(<EnvironmentsPage />, {
        api,
        routeEntries: ['/pr-42'],
      });
      expect(await screen.findByText('No events yet')).toBeInTheDocument();
    });
  });
});
