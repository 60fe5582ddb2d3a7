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
    };
  };
}
