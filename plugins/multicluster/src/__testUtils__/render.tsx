/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ReactNode } from 'react';
import { screen } from '@testing-library/react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SWRConfig } from 'swr';
import {
  AuthorizeResult,
  type EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import type { ApiRef, RouteRef } from '@backstage/core-plugin-api';
import { multiclusterApiRef } from '../api';
import {
  environmentsRouteRef,
  rootRouteRef,
  workloadsRouteRef,
} from '../routes';
import { FakeMulticlusterApi } from './FakeMulticlusterApi';

/** Where the legacy test app mounts the plugin's pages and the catalog's entity page. */
export const MOUNTED_ROUTES = {
  '/multicluster': rootRouteRef,
  '/multicluster/environments': environmentsRouteRef,
  '/multicluster/workloads': workloadsRouteRef,
  '/catalog/:namespace/:kind/:name': entityRouteRef,
};

/**
 * Renders in a legacy test app with the fake API, optionally inside an
 * entity, with the plugin's routes mounted unless `mountPages` is false.
 */
export function renderWithApi(
  element: ReactNode,
  options: {
    api: FakeMulticlusterApi;
    entity?: Entity;
    routeEntries?: string[];
    mountPages?: boolean;
    /** Replaces the mounted routes (for rendering the routable extensions themselves). */
    mountedRoutes?: Record<string, RouteRef>;
    /** More APIs, e.g. `[permissionApiRef, mockApis.permission()]`. */
    apis?: Array<readonly [ApiRef<any>, Partial<any>]>;
    /**
     * What the permission API decides; every permission is allowed unless
     * told otherwise (like a portal without a permission policy).
     */
    authorize?: (
      request: EvaluatePermissionRequest,
    ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  },
) {
  const content = options.entity ? (
    <EntityProvider entity={options.entity}>{element}</EntityProvider>
  ) : (
    element
  );
  const app = (
    <TestApiProvider
      apis={[
        [multiclusterApiRef, options.api],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: options.authorize ?? (() => AuthorizeResult.ALLOW),
          }),
        ],
        // Later entries win: a test may bring its own permission API.
        ...(options.apis ?? []),
      ]}
    >
      {content}
    </TestApiProvider>
  );
  // usePermission caches decisions in SWR's global cache: every render gets
  // a cache of its own, so one test's decisions never leak into the next.
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>{app}</SWRConfig>,
    {
      mountedRoutes:
        options.mountedRoutes ??
        (options.mountPages === false
          ? { '/catalog/:namespace/:kind/:name': entityRouteRef }
          : MOUNTED_ROUTES),
      routeEntries: options.routeEntries,
    },
  );
}

/** The card or table (a Material UI Paper) whose header reads `title`. */
export function paperTitled(title: string): HTMLElement {
  const paper = screen
    .getByText(title)
    .closest<HTMLElement>('[class*="MuiPaper-root"]');
  if (!paper) {
    throw new Error(`No card or table titled ${title}`);
  }
  return paper;
}
