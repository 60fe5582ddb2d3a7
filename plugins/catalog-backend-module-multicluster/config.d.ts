/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /** Options of @archipelago/catalog-backend-module-multicluster. */
      multicluster?: {
        /** Owner of cluster entities without a team (or `owner`) label (default group:default/platform). */
        defaultOwner?: string;
        /**
         * Cluster label naming the owning team, a Group in the namespace of
         * the `archipelago.dev/team-namespace` label (default `default`): the
         * entity's spec.owner (default `team`).
         */
        teamLabel?: string;
        /** Namespace of the cluster entities (default `default`). */
        namespace?: string;
        /** System the cluster entities belong to, if any. */
        system?: string;
        /** Only clusters matching this label selector are published (default: all). */
        selector?: string;
        /** How often to publish (default every minute, 5 minute timeout). */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /** How a big inventory is fed to the catalog. */
        ingestion?: {
          /** Entities per delta mutation, one catalog transaction each (1-5000, default 500). */
          batchSize?: number;
          /**
           * New entities published per round at most (default all); changes to
           * published ones always go first, the rest of the new ones wait a round.
           */
          maxNewPerRound?: number;
        };
      };
    };
  };
}
