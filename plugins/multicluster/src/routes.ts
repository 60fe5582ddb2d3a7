/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/** The clusters page, mounted at `/multicluster` by default. @public */
export const rootRouteRef = createRouteRef({ id: 'multicluster' });

/** One cluster, under the clusters page. @public */
export const clusterRouteRef = createSubRouteRef({
  id: 'multicluster/cluster',
  parent: rootRouteRef,
  path: '/clusters/:id',
});

/**
 * The environments page. A page of its own (not a sub-route) so that apps get
 * a separate navigation item for it, mounted at `/multicluster/environments`.
 * @public
 */
export const environmentsRouteRef = createRouteRef({
  id: 'multicluster/environments',
});

/** One environment, under the environments page. @public */
export const environmentRouteRef = createSubRouteRef({
  id: 'multicluster/environment',
  parent: environmentsRouteRef,
  path: '/:name',
});

/**
 * The workloads page, mounted at `/multicluster/workloads`: a page of its own
 * (like environments) so apps get a navigation item for it.
 * @public
 */
export const workloadsRouteRef = createRouteRef({
  id: 'multicluster/workloads',
});

/** One workload, under the workloads page. @public */
export const workloadRouteRef = createSubRouteRef({
  id: 'multicluster/workload',
  parent: workloadsRouteRef,
  path: '/:name',
});
