/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

export interface Config {
  multicluster?: {
    /** Options of the example permission policy (@archipelago/permission-backend-module-multicluster-policy). */
    examplePolicy?: {
      /** Entity refs (groups or users) that see every cluster and may refresh (default group:default/admins). */
      adminGroups?: string[];
      /** Cluster label that names the owning team (default team). */
      teamLabel?: string;
    };
  };
}
