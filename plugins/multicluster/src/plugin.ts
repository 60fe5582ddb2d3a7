/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { MulticlusterClient } from '@archipelago/multicluster-common';
import { multiclusterApiRef } from './api';
import {
  environmentsRouteRef,
  rootRouteRef,
  workloadsRouteRef,
} from './routes';
import { ClusterPicker } from './fields/ClusterPicker';
import { EnvironmentTypePicker } from './fields/EnvironmentTypePicker';
import {
  CLUSTER_PICKER,
  ClusterPickerFieldSchema,
  ENVIRONMENT_TYPE_PICKER,
  EnvironmentTypePickerFieldSchema,
} from './fields/schemas';
import {
  validateClusterSelector,
  validateEnvironmentType,
} from './fields/validation';
import type { EntityClusterHealthCardProps } from './components/EntityClusterHealthCard';

/**
 * The multicluster plugin for the legacy frontend system.
 * @public
 */
export const multiclusterPlugin = createPlugin({
  id: 'multicluster',
  apis: [
    createApiFactory({
      api: multiclusterApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MulticlusterClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    environments: environmentsRouteRef,
    workloads: workloadsRouteRef,
  },
});

/**
 * The clusters page (`/multicluster`) with its cluster views.
 * @public
 */
export const MulticlusterPage: () => JSX.Element = multiclusterPlugin.provide(
  createRoutableExtension({
    name: 'MulticlusterPage',
    component: () =>
      import('./components/ClustersPage').then(m => m.MulticlusterPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The environments page (`/multicluster/environments`) with its environment views.
 * @public
 */
export const EnvironmentsPage: () => JSX.Element = multiclusterPlugin.provide(
  createRoutableExtension({
    name: 'EnvironmentsPage',
    component: () =>
      import('./components/EnvironmentsPage').then(m => m.EnvironmentsPage),
    mountPoint: environmentsRouteRef,
  }),
);

/**
 * The workloads page (`/multicluster/workloads`) with its workload views.
 * @public
 */
export const WorkloadsPage: () => JSX.Element = multiclusterPlugin.provide(
  createRoutableExtension({
    name: 'WorkloadsPage',
    component: () =>
      import('./components/WorkloadsPage').then(m => m.WorkloadsPage),
    mountPoint: workloadsRouteRef,
  }),
);

/**
 * "Workloads across clusters": the current entity's workloads, per cluster.
 * @public
 */
export const EntityWorkloadsCard: () => JSX.Element =
  multiclusterPlugin.provide(
    createComponentExtension({
      name: 'EntityWorkloadsCard',
      component: {
        lazy: () =>
          import('./components/EntityWorkloadsCard').then(
            m => m.EntityWorkloadsCard,
          ),
      },
    }),
  );

/**
 * Cluster health of the current entity's clusters.
 * @public
 */
export const EntityClusterHealthCard: (
  props: EntityClusterHealthCardProps,
) => JSX.Element = multiclusterPlugin.provide(
  createComponentExtension({
    name: 'EntityClusterHealthCard',
    component: {
      lazy: () =>
        import('./components/EntityClusterHealthCard').then(
          m => m.EntityClusterHealthCard,
        ),
    },
  }),
);

/**
 * The current entity's environment and its capabilities.
 * @public
 */
export const EntityEnvironmentCapabilitiesCard: () => JSX.Element =
  multiclusterPlugin.provide(
    createComponentExtension({
      name: 'EntityEnvironmentCapabilitiesCard',
      component: {
        lazy: () =>
          import('./components/EntityEnvironmentCapabilitiesCard').then(
            m => m.EntityEnvironmentCapabilitiesCard,
          ),
      },
    }),
  );

/**
 * Scaffolder field `ui:field: EnvironmentTypePicker`; value `{ type, cloud }`.
 * @public
 */
export const EnvironmentTypePickerFieldExtension = multiclusterPlugin.provide(
  createScaffolderFieldExtension({
    name: ENVIRONMENT_TYPE_PICKER,
    component: EnvironmentTypePicker,
    validation: validateEnvironmentType,
    schema: EnvironmentTypePickerFieldSchema.schema,
  }),
);

/**
 * Scaffolder field `ui:field: ClusterPicker`; value: a label selector string.
 * @public
 */
export const ClusterPickerFieldExtension = multiclusterPlugin.provide(
  createScaffolderFieldExtension({
    name: CLUSTER_PICKER,
    component: ClusterPicker,
    validation: validateClusterSelector,
    schema: ClusterPickerFieldSchema.schema,
  }),
);
