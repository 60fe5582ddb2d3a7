/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { Route } from 'react-router-dom';
import { FlatRoutes } from '@backstage/core-app-api';
import { screen } from '@testing-library/react';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { mockApis } from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { ANNOTATION_CLUSTER_SELECTOR } from '@archipelago/multicluster-common';
import {
  ClusterPickerFieldExtension,
  EntityClusterHealthCard,
  EntityEnvironmentCapabilitiesCard,
  EntityWorkloadsCard,
  EnvironmentsPage,
  EnvironmentTypePickerFieldExtension,
  multiclusterPlugin,
  MulticlusterPage,
  WorkloadsPage,
} from './plugin';
import { FakeMulticlusterApi } from './__testUtils__/FakeMulticlusterApi';
import {
  entityWith,
  makeCluster,
  makeEnvironment,
} from './__testUtils__/fixtures';
import { renderWithApi } from './__testUtils__/render';
import { makeWorkload } from './__testUtils__/workloadFixtures';

jest.setTimeout(20_000);

describe('legacy plugin', () => {
  it('is the multicluster plugin with its routes', () => {
    expect(multiclusterPlugin.getId()).toBe('multicluster');
    expect(Object.keys(multiclusterPlugin.routes)).toEqual([
      'root',
      'environments',
      'workloads',
    ]);
  });

  it('provides the field extensions', () => {
    expect(EnvironmentTypePickerFieldExtension).toBeDefined();
    expect(ClusterPickerFieldExtension).toBeDefined();
  });

  // Mounted as a legacy App.tsx does.
  const appRoutes = (
    <FlatRoutes>
      <Route path="/multicluster" element={<MulticlusterPage />} />
      <Route path="/multicluster/environments" element={<EnvironmentsPage />} />
      <Route path="/multicluster/workloads" element={<WorkloadsPage />} />
    </FlatRoutes>
  );

  it('lazily renders the clusters page extension, linking to its cluster views', async () => {
    const api = new FakeMulticlusterApi({ clusters: [makeCluster('eu-1')] });
    await renderWithApi(appRoutes, {
      api,
      routeEntries: ['/multicluster'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(
      await screen.findByRole('heading', { name: 'Clusters' }),
    ).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'EU-1' })).toHaveAttribute(
      'href',
      '/multicluster/clusters/eu-1-id',
    );
  });

  it('lazily renders the environments page extension next to the clusters page', async () => {
    const api = new FakeMulticlusterApi({ environments: [makeEnvironment()] });
    await renderWithApi(appRoutes, {
      api,
      routeEntries: ['/multicluster/environments'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(await screen.findByRole('link', { name: 'pr-42' })).toHaveAttribute(
      'href',
      '/multicluster/environments/pr-42',
    );
  });

  it('lazily renders the workloads page extension, linking to its workload views', async () => {
    const api = new FakeMulticlusterApi({ workloads: [makeWorkload()] });
    await renderWithApi(appRoutes, {
      api,
      routeEntries: ['/multicluster/workloads'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [[permissionApiRef, mockApis.permission()]],
    });
    expect(
      await screen.findByRole('link', { name: 'checkout' }),
    ).toHaveAttribute('href', '/multicluster/workloads/checkout');
  });

  it('lazily renders the entity cards', async () => {
    const api = new FakeMulticlusterApi({
      relations: { clusters: [], environments: [], workloads: [] },
      environments: [makeEnvironment()],
    });
    await renderWithApi(
      <>
        <EntityClusterHealthCard />
        <EntityEnvironmentCapabilitiesCard />
        <EntityWorkloadsCard />
      </>,
      {
        api,
        entity: entityWith({
          [ANNOTATION_CLUSTER_SELECTOR]: 'env=prod',
          'archipelago.dev/environment': 'pr-42',
        }),
      },
    );
    expect(await screen.findByText('No clusters found')).toBeInTheDocument();
    expect(await screen.findByText('dev-small')).toBeInTheDocument();
    expect(await screen.findByText('No workloads')).toBeInTheDocument();
  });
});
