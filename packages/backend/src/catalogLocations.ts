/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';

/**
 * The example portal has no git provider, so "New service with its own dev
 * environment" registers the new component as a `file` location
 * (multicluster:environment:register-component). Portals with git keep the
 * default (`url` only) and register with catalog:register instead.
 */
export default createBackendModule({
  pluginId: 'catalog',
  moduleId: 'archipelago-file-locations',
  register(reg) {
    reg.registerInit({
      deps: { locations: catalogLocationsExtensionPoint },
      async init({ locations }) {
        locations.setAllowedLocationTypes(['url', 'file']);
      },
    });
  },
});
