/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';

/**
 * The local stack of the example portal (an emulated fleet and the `local`
 * cloud of environments), installed only when config enables one of them:
 * app-config.yaml does, app-config.production.yaml turns both off, so a
 * production backend never even loads the module (nor embedded PostgreSQL,
 * s3rver or the emulator).
 */
export default createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  *loader({ config }) {
    const enabled = (key: string) => {
      const value = config.getOptional(key);
      return (
        value !== undefined &&
        value !== false &&
        (typeof value !== 'object' ||
          value === null ||
          (value as { enabled?: unknown }).enabled !== false)
      );
    };
    if (
      enabled('multicluster.providers.emulator') ||
      enabled('multicluster.environments.local')
    ) {
      yield import('@archipelago/multicluster-backend-module-local');
    }
  },
});
