/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import LayersIcon from '@material-ui/icons/Layers';
import DeviceHubIcon from '@material-ui/icons/DeviceHub';
import { MulticlusterClient } from '@archipelago/multicluster-common';
import { multiclusterApiRef } from './api';
import { clusterCardFilter, environmentCardFilter } from './lib/entity';
import { workloadsCardFilter } from './lib/workloads';
import {
  clusterRouteRef,
  environmentRouteRef,
  environmentsRouteRef,
  rootRouteRef,
  workloadRouteRef,
  workloadsRouteRef,
} from './routes';

/** Registers MulticlusterClient; apps may override `api:multicluster`. @alpha */
export const multiclusterApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: multiclusterApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MulticlusterClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * `page:multicluster`, the clusters page at `/multicluster`. The page draws
 * its own Backstage header (as in the legacy app), so the default one is off.
 * @alpha
 */
export const clustersPage = PageBlueprint.make({
  params: {
    path: '/multicluster',
    title: 'Clusters',
    icon: <CloudQueueIcon />,
    routeRef: rootRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/ClustersPage').then(m => <m.MulticlusterPage />),
  },
});

/** `page:multicluster/environments`, the environments page. @alpha */
export const environmentsPage = PageBlueprint.make({
  name: 'environments',
  params: {
    path: '/multicluster/environments',
    title: 'Environments',
    icon: <LayersIcon />,
    routeRef: environmentsRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/EnvironmentsPage').then(m => <m.EnvironmentsPage />),
  },
});

/** `page:multicluster/workloads`, the workloads page. @alpha */
export const workloadsPage = PageBlueprint.make({
  name: 'workloads',
  params: {
    path: '/multicluster/workloads',
    title: 'Workloads',
    icon: <DeviceHubIcon />,
    routeRef: workloadsRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/WorkloadsPage').then(m => <m.WorkloadsPage />),
  },
});

/**
 * `entity-card:multicluster/workloads`, "Workloads across clusters", on
 * components and entities naming a workload.
 * @alpha
 */
export const workloadsCard = EntityCardBlueprint.make({
  name: 'workloads',
  params: {
    filter: workloadsCardFilter,
    loader: () =>
      import('./components/EntityWorkloadsCard').then(m => (
        <m.EntityWorkloadsCard />
      )),
  },
});

/**
 * `entity-card:multicluster/cluster-health`, on entities with a cluster
 * selector, a cluster name or an environment.
 * @alpha
 */
export const clusterHealthCard = EntityCardBlueprint.make({
  name: 'cluster-health',
  params: {
    filter: clusterCardFilter,
    loader: () =>
      import('./components/EntityClusterHealthCard').then(m => (
        <m.EntityClusterHealthCard />
      )),
  },
});

/** `entity-card:multicluster/environment-capabilities`, on entities with an environment. @alpha */
export const environmentCapabilitiesCard = EntityCardBlueprint.make({
  name: 'environment-capabilities',
  params: {
    filter: environmentCardFilter,
    loader: () =>
      import('./components/EntityEnvironmentCapabilitiesCard').then(m => (
        <m.EntityEnvironmentCapabilitiesCard />
      )),
  },
});

/** `scaffolder-form-field:multicluster/environment-type-picker`. @alpha */
export const environmentTypePickerField = FormFieldBlueprint.make({
  name: 'environment-type-picker',
  params: {
    field: () =>
      import('./fields/formFields').then(m => m.environmentTypePickerFormField),
  },
});

/** `scaffolder-form-field:multicluster/cluster-picker`. @alpha */
export const clusterPickerField = FormFieldBlueprint.make({
  name: 'cluster-picker',
  params: {
    field: () =>
      import('./fields/formFields').then(m => m.clusterPickerFormField),
  },
});

/**
 * The multicluster plugin for the new frontend system. Discovered by apps
 * with `app.packages: all`, or installed with
 * `createApp({ features: [multiclusterPlugin] })`.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'multicluster',
  title: 'Multicluster',
  icon: <CloudQueueIcon />,
  routes: {
    root: rootRouteRef,
    cluster: clusterRouteRef,
    environments: environmentsRouteRef,
    environment: environmentRouteRef,
    workloads: workloadsRouteRef,
    workload: workloadRouteRef,
  },
  extensions: [
    multiclusterApi,
    clustersPage,
    environmentsPage,
    clusterHealthCard,
    environmentCapabilitiesCard,
    environmentTypePickerField,
    clusterPickerField,
    workloadsPage,
    workloadsCard,
  ],
});
