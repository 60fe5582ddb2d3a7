/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { screen } from '@testing-library/react';
import {
  ApiBlueprint,
  coreExtensionData,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { MulticlusterClient } from '@archipelago/multicluster-common';
import plugin, {
  clusterHealthCard,
  clusterPickerField,
  clustersPage,
  environmentCapabilitiesCard,
  environmentsPage,
  environmentTypePickerField,
  multiclusterApi,
  workloadsCard,
  workloadsPage,
} from './alpha';
import { multiclusterApiRef } from './api';
import {
  clusterPickerFormField,
  environmentTypePickerFormField,
} from './fields/formFields';
import {
  environmentsRouteRef,
  rootRouteRef,
  workloadsRouteRef,
} from './routes';
import { FakeMulticlusterApi } from './__testUtils__/FakeMulticlusterApi';
import { entityWith, makeCluster } from './__testUtils__/fixtures';

jest.setTimeout(30_000);

describe('new frontend system plugin', () => {
  it('is the multicluster plugin with every extension', () => {
    expect(plugin.pluginId).toBe('multicluster');
    expect(plugin.routes).toEqual(
      expect.objectContaining({
        root: rootRouteRef,
        environments: environmentsRouteRef,
        workloads: workloadsRouteRef,
      }),
    );
  });

  it.each([
    // The app's sidebar takes the two pages by these ids.
    ['page:multicluster', 'page', undefined],
    ['page:multicluster/environments', 'page', 'environments'],
    ['page:multicluster/workloads', 'page', 'workloads'],
    ['entity-card:multicluster/workloads', 'entity-card', 'workloads'],
    ['api:multicluster', 'api', undefined],
    [
      'entity-card:multicluster/cluster-health',
      'entity-card',
      'cluster-health',
    ],
    [
      'entity-card:multicluster/environment-capabilities',
      'entity-card',
      'environment-capabilities',
    ],
    [
      'scaffolder-form-field:multicluster/environment-type-picker',
      'scaffolder-form-field',
      'environment-type-picker',
    ],
    [
      'scaffolder-form-field:multicluster/cluster-picker',
      'scaffolder-form-field',
      'cluster-picker',
    ],
  ] as const)('has the extension %s', (id, kind, name) => {
    expect(plugin.getExtension(id)).toMatchObject({
      kind,
      name,
      namespace: 'multicluster',
    });
  });

  it('gives each page a path, title, icon and route ref for its nav item', () => {
    const clusters = createExtensionTester(clustersPage);
    expect(clusters.get(coreExtensionData.routePath)).toBe('/multicluster');
    expect(clusters.get(coreExtensionData.title)).toBe('Clusters');
    expect(clusters.get(coreExtensionData.icon)).toBeDefined();
    expect(clusters.get(coreExtensionData.routeRef)).toBe(rootRouteRef);

    const environments = createExtensionTester(environmentsPage);
    expect(environments.get(coreExtensionData.routePath)).toBe(
      '/multicluster/environments',
    );
    expect(environments.get(coreExtensionData.title)).toBe('Environments');
    expect(environments.get(coreExtensionData.routeRef)).toBe(
      environmentsRouteRef,
    );

    const workloads = createExtensionTester(workloadsPage);
    expect(workloads.get(coreExtensionData.routePath)).toBe(
      '/multicluster/workloads',
    );
    expect(workloads.get(coreExtensionData.title)).toBe('Workloads');
    expect(workloads.get(coreExtensionData.icon)).toBeDefined();
    expect(workloads.get(coreExtensionData.routeRef)).toBe(workloadsRouteRef);
  });

  it('registers MulticlusterClient for the API', () => {
    const factory = createExtensionTester(multiclusterApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api).toBe(multiclusterApiRef);
    expect(Object.values(factory.deps)).toEqual([discoveryApiRef, fetchApiRef]);
    const client = factory.factory({
      discoveryApi: {
        getBaseUrl: async () => 'http://localhost/api/multicluster',
      },
      fetchApi: { fetch: jest.fn() },
    });
    expect(client).toBeInstanceOf(MulticlusterClient);
  });

  it('shows the entity cards only on entities with the annotations', () => {
    const clusterFilter = createExtensionTester(clusterHealthCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    );
    const environmentFilter = createExtensionTester(
      environmentCapabilitiesCard,
    ).get(EntityCardBlueprint.dataRefs.filterFunction);
    const plain = entityWith({});
    const bySelector = entityWith({
      'archipelago.dev/cluster-selector': 'env=prod',
    });
    const byName = entityWith({ 'backstage.io/kubernetes-cluster': 'prod-eu' });
    const byEnvironment = entityWith({
      'archipelago.dev/environment': 'pr-42',
    });

    expect(
      [plain, bySelector, byName, byEnvironment].map(e => clusterFilter?.(e)),
    ).toEqual([false, true, true, true]);
    expect(
      [plain, bySelector, byName, byEnvironment].map(e =>
        environmentFilter?.(e),
      ),
    ).toEqual([false, false, false, true]);

    const workloadFilter = createExtensionTester(workloadsCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    );
    const system = { ...plain, kind: 'System' };
    const byWorkload = {
      ...system,
      metadata: {
        ...system.metadata,
        annotations: { 'archipelago.dev/workload': 'checkout' },
      },
    };
    expect([plain, system, byWorkload].map(e => workloadFilter?.(e))).toEqual([
      true,
      false,
      true,
    ]);
  });

  it('loads the scaffolder form fields', async () => {
    const typeLoader = createExtensionTester(environmentTypePickerField).get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    );
    const clusterLoader = createExtensionTester(clusterPickerField).get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    );
    await expect(typeLoader()).resolves.toBe(environmentTypePickerFormField);
    await expect(clusterLoader()).resolves.toBe(clusterPickerFormField);
  });

  it('renders the clusters page in an app', async () => {
    const api = new FakeMulticlusterApi({ clusters: [makeCluster('eu-1')] });
    renderTestApp({
      features: [plugin],
      apis: [[multiclusterApiRef, api]],
      initialRouteEntries: ['/multicluster'],
    });
    expect(
      // A whole app renders here: give a loaded CI machine time.
      await screen.findByRole(
        'heading',
        { name: 'Clusters' },
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'EU-1' }, { timeout: 15_000 }),
    ).toHaveAttribute('href', '/multicluster/clusters/eu-1-id');
  });

  it('renders the environments page in an app', async () => {
    const api = new FakeMulticlusterApi();
    renderTestApp({
      features: [plugin],
      apis: [[multiclusterApiRef, api]],
      initialRouteEntries: ['/multicluster/environments'],
    });
    expect(
      await screen.findByRole(
        'heading',
        { name: 'Environments' },
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
    expect(await screen.findByText(/No environments yet/)).toBeInTheDocument();
  });
});
