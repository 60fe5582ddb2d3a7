/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  clusterRouteRef,
  environmentRouteRef,
  environmentsRouteRef,
  rootRouteRef,
} from '../routes';

// These hooks yield undefined instead of throwing when the target page is not
// installed: an app may add the entity cards without the pages, and a card
// must then render without links rather than crash. useRouteRef calls all its
// own hooks before it throws, so the hook order stays stable either way.

/** Link to a cluster's page, or undefined when the clusters page is not installed. */
export function useClusterLink(): ((id: string) => string) | undefined {
  try {
    const route = useRouteRef(clusterRouteRef);
    return (id: string) => route({ id });
  } catch {
    return undefined;
  }
}

/** Link to the clusters page, with filters as its query string. */
export function useClustersLink():
  | ((query?: URLSearchParams) => string)
  | undefined {
  try {
    const route = useRouteRef(rootRouteRef);
    return (query?: URLSearchParams) => {
      const search = query?.toString();
      return search ? `${route()}?${search}` : route();
    };
  } catch {
    return undefined;
  }
}

/** Link to an environment's page, or undefined when the environments page is not installed. */
export function useEnvironmentLink(): ((name: string) => string) | undefined {
  try {
    const route = useRouteRef(environmentRouteRef);
    return (name: string) => route({ name });
  } catch {
    return undefined;
  }
}

/** Link to the environments page. */
export function useEnvironmentsLink(): (() => string) | undefined {
  try {
    const route = useRouteRef(environmentsRouteRef);
    return () => route();
  } catch {
    return undefined;
  }
}
