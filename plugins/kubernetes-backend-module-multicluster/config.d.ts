/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

export interface Config {
  kubernetes?: {
    /** Options of @archipelago/kubernetes-backend-module-multicluster. */
    multicluster?: {
      /** Leave out clusters the inventory knows are unreachable (default true). */
      skipUnhealthy?: boolean;
      /** How long the cluster list is cached, seconds (default 30). */
      refreshIntervalSeconds?: number;
      /** Skip the metrics-server lookup for these distributions (default: emulator). */
      skipMetricsLookupFor?: string[];
      /** Only clusters matching this label selector are supplied (default: all). */
      selector?: string;
      /**
       * The entity-scoped service locator: an entity's Kubernetes tab asks only its own
       * clusters (its cluster selector, its environment's cluster, its workloads' clusters,
       * `backstage.io/kubernetes-cluster`) instead of `kubernetes.serviceLocatorMethod`'s.
       */
      serviceLocator?: {
        /** Use it (default false). */
        enabled?: boolean;
        /** Inventory cluster healths handed over (default: healthy, degraded). */
        healths?: Array<
          | 'healthy'
          | 'degraded'
          | 'unhealthy'
          | 'unreachable'
          | 'unauthorized'
          | 'unknown'
        >;
        /** How long relating an entity to its clusters may take, seconds (default 15). */
        timeoutSeconds?: number;
      };
    };
  };
}
