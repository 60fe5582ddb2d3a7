/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/*
 * The Archipelago example backend: a real Backstage backend on the new backend
 * system with catalog, scaffolder, kubernetes, permission and auth, plus the
 * Archipelago multicluster plugins.
 */
import { createBackend } from '@backstage/backend-defaults';
import { checkedRootConfigServiceFactory } from './rootConfig';
import { reportStartupFailure } from './startupFailure';

const backend = createBackend();

// Backstage's config, checked first: production refuses to start without its secrets.
backend.add(checkedRootConfigServiceFactory);

// Serves the built frontend when run in production mode.
backend.add(import('@backstage/plugin-app-backend'));

// auth: guest sign-in for local use, GitHub where configured (production)
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('./authProviders'));

// events: on PostgreSQL the events bus reaches every replica, so do signals
backend.add(import('@backstage/plugin-events-backend'));

// catalog, with the scaffolder's Template entity model
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('./catalogLocations'));

// scaffolder, with the multicluster:* actions
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@archipelago/scaffolder-backend-module-multicluster'));

// kubernetes
backend.add(import('@backstage/plugin-kubernetes-backend'));

// signals: live updates to the browser (used by the app's storage API)
backend.add(import('@backstage/plugin-signals-backend'));

// permission, with Archipelago's example policy: it scopes each team to the
// clusters whose `team` label names one of its groups (see app-config.yaml).
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@archipelago/permission-backend-module-multicluster-policy'),
);

// Archipelago: the multicluster inventory, environments and placement…
backend.add(import('@archipelago/multicluster-backend'));
// …the local stack (emulated fleet, local environments) where config enables it…
backend.add(import('./localStack'));
// …the cloud modules whose config section is set (discovery, drivers)…
backend.add(import('./cloudModules'));
// …and the inventory fed to the catalog and to Backstage's Kubernetes plugin.
backend.add(import('@archipelago/catalog-backend-module-multicluster'));
backend.add(import('@archipelago/kubernetes-backend-module-multicluster'));

// A backend that cannot start must not linger: name the cause and exit non-zero.
backend.start().catch(reportStartupFailure);
