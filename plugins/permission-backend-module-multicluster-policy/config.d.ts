/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

export interface Config {
  multicluster?: {
    /** Options of the example permission policy (@archipelago/permission-backend-module-multicluster-policy). */
    examplePolicy?: {
      /** Full entity refs (groups or users) allowed everything (default group:default/admins). */
      adminGroups?: string[];
      /**
       * Cluster label naming the owning team: a Group's name, in the namespace of the
       * `archipelago.dev/team-namespace` label (`default` when absent). Default `team`.
       */
      teamLabel?: string;
    };
  };
}
